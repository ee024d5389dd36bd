import {
  createLogger,
  GATEWAY_HEADER,
  migrateService,
  parseConfig,
  startSubgraph,
  type BaseConfig,
  type DatabaseConnection,
  type Database,
  type EventTransport,
  type RunningSubgraph,
  type ServiceDefinition,
  type StaffCheck,
} from '@tauliah/core';
import { graphConfigSchema, services, type ServicesConfig } from '@tauliah/cli';
import { GraphClient } from './client.ts';
import { openTestDatabase } from './database.ts';
import { openTestEventTransport, type TestEventsKind } from './events.ts';
import { TEST_AUDIENCE, TEST_ISSUER, TokenFactory } from './tokens.ts';

/** Test subgraphs trust this secret as the gateway's. */
export const TEST_GATEWAY_SECRET = 'test-gateway-secret-0123456789abcdefghijklmnop';

/** The configuration tests run with; `settings` as an operator would set them in the environment. */
export const testConfig = (settings: Record<string, string> = {}): ServicesConfig =>
  parseConfig(graphConfigSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_ISSUER: TEST_ISSUER,
    JWT_AUDIENCE: TEST_AUDIENCE,
    // A staff account confirmed through the graph stays confirmed for a test file's whole run (the most allowed, 5 min), not 30 s:
    // on a slow machine the default could lapse between two requests whose SQL statements a test compares. Tests of expiry set their own.
    STAFF_CHECK_TTL_MS: '300000',
    ...settings,
  });

/** A template database arrives seeded; a fresh one does not. */
async function alreadySeeded(connection: DatabaseConnection, service: string): Promise<boolean> {
  const [table] = await connection.query<{ found: string | null }>(`select to_regclass('_migrations.seeded')::text as found`);
  if (!table?.found) return false;
  return (await connection.query('select 1 from _migrations.seeded where service = $1', [service])).length > 0;
}

/**
 * A subgraph tested alone has no graph to ask whether a token's subject is
 * staff of the organisation it acts for. It reads the owning services' own
 * tables instead (providers, employers, funding), migrated and seeded with
 * the demo staff beside it in the same test database, exactly as they answer.
 * Its own accounts, if it keeps any, it checks itself.
 */
async function staffAccountsBeside(service: ServiceDefinition, connection: DatabaseConnection, config: BaseConfig): Promise<StaffCheck> {
  const checks: StaffCheck[] = [];
  for (const owner of services) {
    if (!owner.staffAccounts || owner.name === service.name) continue;
    await migrateService(owner, connection);
    const { db } = connection.drizzle(owner.tables);
    if (!(await alreadySeeded(connection, owner.name))) await owner.seed(db, config);
    checks.push(owner.staffAccounts(db));
  }
  return Object.assign({}, ...checks) as StaffCheck;
}

export interface TestSubgraph<TTables extends Record<string, unknown>> {
  url: string;
  /** Calls the subgraph as the gateway does (it may use `_entities`). */
  client: GraphClient;
  /** Calls the subgraph as an outsider who went around the gateway. */
  direct: GraphClient;
  tokens: TokenFactory;
  db: Database<TTables>;
  connection: DatabaseConnection;
  server: RunningSubgraph;
  /** The event broker its background worker uses (publish to it, or subscribe, to test events). */
  events: EventTransport;
  /** What `run` returns and the SQL statements it cost this subgraph. */
  statementsDuring<T>(run: () => Promise<T>): Promise<{ statements: number; result: T }>;
  stop(): Promise<void>;
}

/** The SQL statements `run` cost, read from a counter before and after: the way tests prove a request's cost does not grow with its result. */
export async function statementsDuring<T>(count: () => number, run: () => Promise<T>): Promise<{ statements: number; result: T }> {
  const before = count();
  const result = await run();
  return { statements: count() - before, result };
}

/**
 * One subgraph on its own, called directly (no gateway), on a fresh database
 * migrated and seeded with the demo data: for a service's own tests.
 */
export async function startTestSubgraph<TTables extends Record<string, unknown>, TLoaders>(
  service: ServiceDefinition<TTables, TLoaders>,
  /** events: the broker to use, or which kind to open (closed by stop() either way). */
  options: { seed?: boolean; events?: TestEventsKind | EventTransport } = {},
): Promise<TestSubgraph<TTables>> {
  const config = testConfig();
  const connection = await openTestDatabase({ template: options.seed !== false });
  await migrateService(service, connection);
  const { db } = connection.drizzle(service.tables);
  if (options.seed !== false && !(await alreadySeeded(connection, service.name))) await service.seed(db, config);
  const tokens = await TokenFactory.create();
  const staffAccounts = await staffAccountsBeside(service, connection, config);
  const events = typeof options.events === 'object' ? options.events : openTestEventTransport(options.events);
  const server = await startSubgraph(service, {
    events,
    config,
    gatewaySecret: TEST_GATEWAY_SECRET,
    connection,
    verifier: tokens.verifier(config),
    log: createLogger({ level: 'silent' }),
    port: 0,
    host: '127.0.0.1',
    staffAccounts,
  });
  return {
    url: server.url,
    client: new GraphClient(server.url, tokens, { [GATEWAY_HEADER]: TEST_GATEWAY_SECRET }),
    direct: new GraphClient(server.url, tokens),
    tokens,
    db,
    connection,
    server,
    events,
    statementsDuring: (run) => statementsDuring(() => server.statements.count, run),
    async stop() {
      await server.stop();
      await events.close();
      await connection.close();
    },
  };
}
