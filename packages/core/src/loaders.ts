import DataLoader from 'dataloader';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { arrayLiteral, sqlArray } from './database.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed UUID; a malformed id from a client must not reach a uuid column (it would fail the whole batch). */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** The well-formed UUIDs among keys (deduplicated), for an `in (...)` list. */
export const uuidKeys = (keys: readonly unknown[]): string[] => [...new Set(keys.filter(isUuid))];

/** `column = any(...)` over the well-formed UUIDs among keys, as one bound parameter however many: what a batch loader filters by. */
export const anyUuid = (column: SQLWrapper, keys: readonly unknown[]): SQL => sql`${column} = any(${sqlArray(uuidKeys(keys), 'uuid')})`;

/** anyUuid in a statement built once (builtOnce): `column = any(...)` over the placeholder `name`, whose value is `uuidArray(keys)`. */
export const anyUuidPlaceholder = (column: SQLWrapper, name: string): SQL => sql`${column} = any(${sql.placeholder(name)}::uuid[])`;

/** The value of an anyUuidPlaceholder: the well-formed UUIDs among keys, as one array literal. */
export const uuidArray = (keys: readonly unknown[]): string => arrayLiteral(uuidKeys(keys));

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
