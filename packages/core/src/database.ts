import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { getTableColumns, sql, type Column, type Logger as DrizzleLogger, type Placeholder, type SQL, type Table } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { mkdir } from 'node:fs/promises';
import postgres from 'postgres';
import { BoundedCache } from './bounded-cache.ts';
import { baseConfigSchema, type BaseConfig } from './config.ts';
import { observeDatabasePool } from './telemetry/metrics.ts';

// Writes done once per idempotency key: a use of the database every idempotent mutation shares.

/** The drizzle database every service codes against, whichever driver is underneath. */
export type Database<TSchema extends Record<string, unknown> = Record<string, unknown>> = PgDatabase<PgQueryResultHKT, TSchema>;

/** Counts SQL statements, so tests can prove a request's statement count does not grow with its result. */
export class StatementCounter implements DrizzleLogger {
  count = 0;
  logQuery(): void {
    this.count += 1;
  }
}

/**
 * One physical database: an embedded PGlite (one per process; every service
 * has its own schema in it) or a postgres.js pool against a real server.
 */
export interface DatabaseConnection {
  readonly kind: 'pglite' | 'postgres';
  /** Where it lives, for the start-up banner (a directory or a URL without password). */
  readonly location: string;
  /** A drizzle instance over this connection, with its own statement counter. */
  drizzle<TSchema extends Record<string, unknown>>(schema: TSchema): { db: Database<TSchema>; statements: StatementCounter };
  /** Runs raw statements in one transaction (migrations, seeding). */
  transaction(run: (tx: RawTransaction) => Promise<void>): Promise<void>;
  /** Runs a query outside drizzle and returns its rows. */
  query<Row = Record<string, unknown>>(statement: string, params?: unknown[]): Promise<Row[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The embedded database's whole data directory as a tarball (templates for tests); PostgreSQL has none. */
  dump(): Promise<Blob>;
}

export interface RawTransaction {
  exec(statement: string): Promise<void>;
  query<Row = Record<string, unknown>>(statement: string, params?: unknown[]): Promise<Row[]>;
}

export interface OpenDatabaseOptions {
  /** A postgres:// URL; without it the embedded database is used. */
  url?: string;
  /** The embedded database's directory; without it an in-memory database. */
  dataDir?: string;
  /** Pool size for postgres.js (DATABASE_POOL_SIZE). */
  maxConnections?: number;
  /** PostgreSQL's statement_timeout for every statement (DATABASE_STATEMENT_TIMEOUT_MS); 0 for none. */
  statementTimeoutMs?: number;
  /** The longest a query waits for a connection, opening one included (DATABASE_ACQUIRE_TIMEOUT_MS). */
  acquireTimeoutMs?: number;
  /** Whether drizzle's statements are prepared on the server (DATABASE_PREPARED_STATEMENTS); see `preparing`. */
  preparedStatements?: boolean;
}

type PoolSettings = Required<Pick<OpenDatabaseOptions, 'maxConnections' | 'statementTimeoutMs' | 'acquireTimeoutMs' | 'preparedStatements'>>;

/** The pool settings of a process's configuration, for openDatabase. */
export const poolSettings = (
  config: Pick<BaseConfig, 'DATABASE_POOL_SIZE' | 'DATABASE_STATEMENT_TIMEOUT_MS' | 'DATABASE_ACQUIRE_TIMEOUT_MS' | 'DATABASE_PREPARED_STATEMENTS'>,
): PoolSettings => ({
  maxConnections: config.DATABASE_POOL_SIZE,
  statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
  acquireTimeoutMs: config.DATABASE_ACQUIRE_TIMEOUT_MS,
  preparedStatements: config.DATABASE_PREPARED_STATEMENTS === 'on',
});

/**
 * Without settings (a command such as seed, a test): the configuration's
 * defaults, except no statement timeout, since bulk loads may run long; every
 * process passes its configuration (poolSettings).
 */
const defaults: PoolSettings = { ...poolSettings(baseConfigSchema.parse({})), statementTimeoutMs: 0 };

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseConnection> {
  return options.url ? openPostgres(options.url, { ...defaults, ...withoutUndefined(options) }) : openPglite(options.dataDir);
}

function withoutUndefined<T extends object>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

export async function openPglite(dataDir?: string, loadDataDir?: Blob): Promise<DatabaseConnection> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir, { extensions: { pg_trgm }, ...(loadDataDir ? { loadDataDir } : {}) });
  return pgliteConnection(client, dataDir ?? 'memory://');
}

export function pgliteConnection(client: PGlite, location: string): DatabaseConnection {
  const stopObserving = observeDatabasePool(() => ({ driver: 'pglite', max: 1 }));
  return {
    kind: 'pglite',
    location,
    drizzle(schema) {
      const statements = new StatementCounter();
      return { db: drizzlePglite({ client, schema, logger: statements }), statements };
    },
    async transaction(run) {
      await client.transaction(async (tx) => {
        await run({
          exec: async (statement) => {
            await tx.exec(statement);
          },
          query: async <Row>(statement: string, params: unknown[] = []) => (await tx.query<Row>(statement, params)).rows,
        });
      });
    },
    async query<Row>(statement: string, params: unknown[] = []) {
      const result = await client.query<Row>(statement, params);
      return result.rows;
    },
    async ping() {
      await client.query('select 1');
    },
    async close() {
      stopObserving();
      if (!client.closed) await client.close();
    },
    dump: () => client.dumpDataDir('none'),
  };
}

/**
 * Reconnection after a lost connection: quick at first, then twice a second,
 * so a pool is whole again within a second of PostgreSQL coming back
 * (postgres.js's own default grows to 20 s, failing every query meanwhile).
 */
const reconnectDelaySeconds = (attempt: number) => Math.min(0.05 * 2 ** attempt, 0.5);

/**
 * A postgres.js pool. A connection the server closed or lost (a restart, a
 * failover) is replaced at the next query, its queries rejected with a
 * connection error the error formatter answers as SERVICE_UNAVAILABLE; while
 * the server is unreachable, queries fail at once rather than wait.
 * postgres.js 4: under a restart, 3.4.9 crashed the process from a timer
 * (`Cannot read properties of null (reading 'write')`) and held queries for
 * up to 30 s (test/postgres-restart.test.ts shows both).
 */
function openPostgres(url: string, options: PoolSettings): DatabaseConnection {
  const acquireSeconds = options.acquireTimeoutMs / 1000;
  const client = postgres(url, {
    max: options.maxConnections,
    onnotice: () => {},
    idle_timeout: 30,
    connect_timeout: acquireSeconds,
    queue_timeout: acquireSeconds,
    backoff: reconnectDelaySeconds,
    connection: { statement_timeout: options.statementTimeoutMs },
  });
  const stopObserving = observeDatabasePool(() => ({ driver: 'postgres', max: options.maxConnections }));
  const parsed = new URL(url);
  parsed.password = '';
  const location = parsed.toString();
  return {
    kind: 'postgres',
    location,
    drizzle(schema) {
      const statements = new StatementCounter();
      return { db: drizzlePostgres({ client: preparing(client, options.preparedStatements), schema, logger: statements }), statements };
    },
    async transaction(run) {
      await client.begin(async (tx) => {
        await run({
          exec: async (statement) => {
            await tx.unsafe(statement);
          },
          query: async <Row>(statement: string, params: unknown[] = []) =>
            (await tx.unsafe(statement, params as postgres.ParameterOrJSON<never>[])) as unknown as Row[],
        });
      });
    },
    async query<Row>(statement: string, params: unknown[] = []) {
      return (await client.unsafe(statement, params as postgres.ParameterOrJSON<never>[])) as unknown as Row[];
    },
    async ping() {
      try {
        await client`select 1`;
      } catch (error) {
        throw new Error(`PostgreSQL at ${location} does not answer: ${describeFailure(error)}`, { cause: error });
      }
    },
    async close() {
      stopObserving();
      await client.end({ timeout: 5 });
    },
    async dump(): Promise<Blob> {
      throw new Error('A PostgreSQL database is not dumped from here: use pg_dump or CREATE DATABASE ... TEMPLATE.');
    },
  };
}

/**
 * The pool as drizzle sees it. Drizzle asks postgres.js for an unnamed
 * statement, which PostgreSQL parses and plans on every call: for a
 * request's small reads, most of the server's work. Prepared, each statement
 * is parsed once per connection and, once PostgreSQL finds a generic plan as
 * good as a fresh one, planned once too. postgres.js keeps a connection's
 * statements by their text (1,000 at most; past that, the one prepared
 * longest ago is closed) and sends a query to a connection that has it
 * prepared. Off
 * (DATABASE_PREPARED_STATEMENTS=off), nothing is prepared, statements built
 * once with `.prepare(name)` included: for a connection pooler that does not
 * keep a session's prepared statements. Transactions and savepoints hand
 * drizzle a scoped handle of their own, wrapped alike.
 */
function preparing<T extends postgres.Sql | postgres.TransactionSql>(client: T, prepare: boolean): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        return (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) => target.unsafe(query, params, { ...options, prepare });
      }
      if (property === 'begin' || property === 'savepoint') {
        const open = Reflect.get(target, property, receiver) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => {
          const run = args.pop() as (scoped: postgres.TransactionSql) => unknown;
          return open(...args, (scoped: postgres.TransactionSql) => run(preparing(scoped, prepare)));
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

/** The code and class of a failure, for a readiness probe's log line; never the statement's values. */
function describeFailure(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  return [typeof name === 'string' ? name : 'Error', typeof code === 'string' ? code : undefined].filter(Boolean).join(' ');
}

/**
 * A Postgres array of `values` as one bound parameter (an array literal, each element quoted), for `= any(...)` and
 * array operators: one parameter however many values, where a parameter per value costs a batch of 10,000 keys
 * about 90 ms to build and bind.
 */
export function sqlArray(values: readonly string[], type: 'text' | 'uuid'): SQL {
  return sql`${arrayLiteral(values)}::${sql.raw(type)}[]`;
}

const columnsOf = new WeakMap<Table, Array<[string, Column]>>();

/**
 * A table's row from its JSON inside another statement (`json_agg(t)`,
 * `row_to_json(t)`: keys are column names), each value decoded as drizzle
 * decodes that column from the driver (a timestamp becomes a Date), so it
 * equals the row read on its own. For columns JSON carries as the driver
 * does: text, uuid, integer, boolean, timestamps, json (not numeric, which
 * the driver gives as text).
 */
export function rowFromJson<T extends Table>(table: T, json: Record<string, unknown>): T['$inferSelect'] {
  let columns = columnsOf.get(table);
  if (!columns) columnsOf.set(table, (columns = Object.entries(getTableColumns(table) as Record<string, Column>)));
  const row: Record<string, unknown> = {};
  for (const [key, column] of columns) {
    const value = json[column.name];
    row[key] = value == null ? null : column.mapFromDriverValue(value);
  }
  return row;
}

/** A Postgres array literal of `values`, each element quoted: the value of one array parameter (sqlArray, or a placeholder cast to an array). */
export function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/** The rows of a raw `db.execute(...)`: postgres.js returns an array of rows, PGlite a result object holding them. */
export function resultRows<Row>(result: unknown): Row[] {
  return Array.isArray(result) ? (result as Row[]) : ((result as { rows?: Row[] }).rows ?? []);
}

/**
 * True when a database error is a PostgreSQL unique violation (SQLSTATE 23505),
 * and, when `constraint` is given, only of that constraint or unique index.
 * Looks through `cause`, since drizzle wraps the driver's error; the driver names
 * the constraint `constraint_name` (postgres.js) or `constraint` (PGlite).
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e: unknown = error; typeof e === 'object' && e !== null; e = (e as { cause?: unknown }).cause) {
    const { code, constraint: pgliteName, constraint_name: postgresName } = e as { code?: unknown; constraint?: unknown; constraint_name?: unknown };
    if (code === '23505') return constraint === undefined || pgliteName === constraint || postgresName === constraint;
  }
  return false;
}

/** The largest value of a PostgreSQL `integer` column, which is also the largest GraphQL `Int`. */
export const MAX_INTEGER = 2_147_483_647;

/**
 * A statement drizzle builds once per database handle rather than on every
 * call: for the hottest lookups of a public endpoint, where building the
 * query was a fifth of a request's CPU. `build` makes it with
 * `sql.placeholder(...)` for its values and ends in `.prepare(name)`; the
 * statement is prepared on the server too, so keep it to lookups by a unique
 * key, whose one generic plan suits every value.
 */
export function builtOnce<TDb extends object, TPrepared>(build: (db: TDb) => TPrepared): (db: TDb) => TPrepared {
  const built = new WeakMap<TDb, TPrepared>();
  return (db) => {
    let prepared = built.get(db);
    if (!prepared) built.set(db, (prepared = build(db)));
    return prepared;
  };
}

/**
 * The values of a statement whose conditions vary from request to request (a
 * filter, a cursor), each bound as a placeholder, and its shape: which values
 * and choices it has. Two requests of one shape run the same SQL with their
 * own values, so the statement is built once per shape (builtOncePerShape).
 */
export class BoundValues {
  readonly values: Record<string, unknown> = {};
  readonly #shape: string[] = [];

  /** `value`, in the statement as the placeholder `name`. */
  bind(name: string, value: unknown): Placeholder {
    this.values[name] = value;
    this.#shape.push(name);
    return sql.placeholder(name);
  }

  /** A choice that changes the statement itself, not only its values. */
  mark(choice: string): void {
    this.#shape.push(choice);
  }

  get shape(): string {
    return this.#shape.join(' ');
  }
}

/**
 * Statements built once per shape of their values (BoundValues) and per
 * database handle, for up to `maxShapes` shapes (the least recently used
 * forgotten first): a list whose statement depends on which filters a
 * request names, not only on their values. `build` makes the statement with
 * the placeholders of the request's BoundValues, which it is then run with.
 */
export function builtOncePerShape<TDb extends object, TStatement>(maxShapes: number): (db: TDb, shape: string, build: () => TStatement) => TStatement {
  const shapes = builtOnce((_db: TDb) => new BoundedCache<string, TStatement>(maxShapes));
  return (db, shape, build) => {
    const built = shapes(db);
    let statement = built.get(shape);
    if (!statement) built.set(shape, (statement = build()));
    return statement;
  };
}
