import DataLoader from 'dataloader';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { arrayLiteral, builtOnce, sqlArray } from './database.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed UUID; a malformed id from a client must not reach a uuid column (it would fail the whole batch). */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** The well-formed UUIDs among keys (deduplicated), for an `in (...)` list. */
export const uuidKeys = (keys: readonly unknown[]): string[] => [...new Set(keys.filter(isUuid))];

/** `column = any(...)` over the well-formed UUIDs among keys, as one bound parameter however many: what a batch loader filters by. */
export const anyUuid = (column: SQLWrapper, keys: readonly unknown[]): SQL => sql`${column} = any(${sqlArray(uuidKeys(keys), 'uuid')})`;

/** A statement builtOnceByKeys builds, one of two shapes: by a single key, or by an array of them. */
export type ByKeysShape = 'one' | 'many';

/** The column type of the keys a builtOnceByKeys statement looks up: ids, or codes. */
export type KeyType = 'uuid' | 'text';

/** The keys worth asking for, deduplicated: well-formed UUIDs for a uuid column, any text for a text one. */
const keysOfType = (keys: readonly unknown[], type: KeyType): string[] =>
  type === 'uuid' ? uuidKeys(keys) : [...new Set(keys.filter((key): key is string => typeof key === 'string'))];

/**
 * A statement by keys, built once (builtOnce) in two shapes and run with the
 * keys of `type` among `keys` (for ids, the well-formed UUIDs): `column = $1`
 * for a single key, and `column = any($1)` for more. PostgreSQL plans a
 * prepared statement with an array parameter afresh on every call (its plan
 * for the values given always looks cheaper than one for an array of unknown
 * length), but keeps one plan for a single key and reuses it: the lookup of
 * one, the commonest batch of a public endpoint, is planned once. `build`
 * makes the statement with `filter` as (part of) its where clause and ends in
 * `.prepare(name)`; any other bind parameters it names come in `values`. No
 * key worth asking for: no statement, no rows.
 */
export function builtOnceByKeys<TDb extends object, Row>(
  column: SQLWrapper,
  type: KeyType,
  build: (db: TDb, filter: SQL, shape: ByKeysShape) => { execute(values: Record<string, unknown>): Promise<Row[]> },
): (db: TDb, keys: readonly unknown[], values?: Record<string, unknown>) => Promise<Row[]> {
  const cast = sql.raw(type);
  const one = builtOnce((db: TDb) => build(db, sql`${column} = ${sql.placeholder('key')}::${cast}`, 'one'));
  const many = builtOnce((db: TDb) => build(db, sql`${column} = any(${sql.placeholder('keys')}::${cast}[])`, 'many'));
  return async (db, keys, values = {}) => {
    const asked = keysOfType(keys, type);
    if (asked.length === 0) return [];
    return asked.length === 1 ? one(db).execute({ ...values, key: asked[0] }) : many(db).execute({ ...values, keys: arrayLiteral(asked) });
  };
}

/** Orders rows to match the keys DataLoader asked for; a missing row is null. */
export function byKey<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): Array<R | null> {
  const index = new Map<K, R>();
  for (const row of rows) index.set(keyOf(row), row);
  return keys.map((key) => index.get(key) ?? null);
}

/** Groups rows under the keys DataLoader asked for; a key with no rows gets an empty list. */
export function groupedByKey<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}

/** A loader of one row per key, fetched with one query per batch. */
export function rowLoader<K, R>(fetch: (keys: readonly K[]) => Promise<R[]>, keyOf: (row: R) => K): DataLoader<K, R | null> {
  return new DataLoader<K, R | null>(async (keys) => byKey(keys, await fetch(keys), keyOf), { maxBatchSize: 10_000 });
}

/** A loader of many rows per key, fetched with one query per batch. */
export function rowsLoader<K, R>(fetch: (keys: readonly K[]) => Promise<R[]>, keyOf: (row: R) => K): DataLoader<K, R[]> {
  return new DataLoader<K, R[]>(async (keys) => groupedByKey(keys, await fetch(keys), keyOf), { maxBatchSize: 10_000 });
}
