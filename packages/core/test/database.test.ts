import { createEmptyDatabase, openTestDatabase, serverDatabaseUrl } from '@tauliah/testing';
import { eq, gt, sql } from 'drizzle-orm';
import { integer, pgSchema, text, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyUuid, builtOnce, builtOnceByKeys, isUniqueViolation, openDatabase, resultRows, sqlArray, type Database, type DatabaseConnection } from '../src/index.ts';

let connection: DatabaseConnection;
let db: Database;

/** The error a statement fails with (it must fail). */
async function failureOf(statement: Promise<unknown>): Promise<unknown> {
  return statement.then(
    () => expect.fail('the statement succeeded'),
    (error: unknown) => error,
  );
}

beforeAll(async () => {
  connection = await openTestDatabase({ template: false });
  db = connection.drizzle({}).db;
  await connection.transaction(async (tx) => {
    await tx.exec('create schema unique_demo');
    await tx.exec('create table unique_demo.member (id int primary key, email text not null, nric text)');
    await tx.exec('create unique index member_email_key on unique_demo.member (email)');
    await tx.exec(`insert into unique_demo.member (id, email, nric) values (1, 'aisyah@example.my', '900101-14-5678')`);
  });
});
afterAll(() => connection?.close());

describe('isUniqueViolation', () => {
  it('recognises a duplicate through the error drizzle wraps around the driver', async () => {
    const error = await failureOf(db.execute(sql`insert into unique_demo.member (id, email) values (2, 'aisyah@example.my')`));
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(error, 'member_email_key')).toBe(true);
  });

  it('recognises a duplicate straight from the driver', async () => {
    const error = await failureOf(connection.query(`insert into unique_demo.member (id, email) values (3, 'aisyah@example.my')`));
    expect(isUniqueViolation(error, 'member_email_key')).toBe(true);
  });

  it('names the violated constraint exactly, so another unique key is not mistaken for it', async () => {
    const error = await failureOf(db.execute(sql`insert into unique_demo.member (id, email) values (1, 'hafiz@example.my')`));
    expect(isUniqueViolation(error, 'member_pkey')).toBe(true);
    expect(isUniqueViolation(error, 'member_email_key')).toBe(false);
    expect(isUniqueViolation(error, 'member')).toBe(false);
  });

  it('is false for other database errors and for anything else', async () => {
    const error = await failureOf(db.execute(sql`insert into unique_demo.member (id) values (4)`));
    expect(isUniqueViolation(error)).toBe(false);
    expect(isUniqueViolation(new Error('duplicate key value violates unique constraint "member_email_key"'))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
    expect(isUniqueViolation('23505')).toBe(false);
  });
});

describe('resultRows', () => {
  it('reads the rows of a raw statement whichever driver answers', async () => {
    const rows = resultRows<{ email: string }>(await db.execute(sql`select email from unique_demo.member order by id`));
    expect(rows).toEqual([{ email: 'aisyah@example.my' }]);
  });
});

describe('sqlArray and anyUuid', () => {
  it('bind any values as one array, quotes and separators included, whichever driver answers', async () => {
    const values = ['plain', 'a "quoted" word', 'back\\slash', 'comma, brace {x}', 'NULL', ''];
    const rows = resultRows<{ v: string }>(await db.execute(sql`select unnest(${sqlArray(values, 'text')}) as v`));
    expect(rows.map((r) => r.v)).toEqual(values);
    expect(resultRows(await db.execute(sql`select unnest(${sqlArray([], 'uuid')}) as v`))).toEqual([]);
  });

  it('filter by the well-formed ids among the keys, a malformed one matching nothing rather than failing the batch', async () => {
    await db.execute(sql`create table if not exists unique_demo.keyed (id uuid primary key)`);
    const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
    await db.execute(sql`insert into unique_demo.keyed (id) select unnest(${sqlArray(ids, 'uuid')}) on conflict do nothing`);
    const keyed = sql.raw('unique_demo.keyed.id');
    const found = resultRows<{ id: string }>(await db.execute(sql`select id from unique_demo.keyed where ${anyUuid(keyed, [ids[1], 'not-a-uuid', ids[1]])}`));
    expect(found).toEqual([{ id: ids[1] }]);
    expect(resultRows(await db.execute(sql`select id from unique_demo.keyed where ${anyUuid(keyed, ['not-a-uuid'])}`))).toEqual([]);
  });

  it('run a statement by ids built once in the shape the batch needs: one id, many, or none (no statement)', async () => {
    const keyedTable = pgSchema('unique_demo').table('keyed', { id: uuid('id').primaryKey() });
    const shapes: string[] = [];
    const byIds = builtOnceByKeys(keyedTable.id, 'uuid', (handle: Database, filter, shape) => {
      shapes.push(shape);
      return handle.select().from(keyedTable).where(filter).prepare(`keyed_${shape}`);
    });
    const { db: counted, statements } = connection.drizzle({});
    const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
    const sorted = (rows: Array<{ id: string }>) => rows.map((r) => r.id).sort();
    expect(sorted(await byIds(counted, [ids[1], 'not-a-uuid', ids[1]]))).toEqual([ids[1]]);
    expect(sorted(await byIds(counted, [ids[0]]))).toEqual([ids[0]]);
    expect(sorted(await byIds(counted, [...ids, 'not-a-uuid']))).toEqual(ids);
    expect(shapes).toEqual(['one', 'many']);
    const before = statements.count;
    expect(await byIds(counted, ['not-a-uuid'])).toEqual([]);
    expect(await byIds(counted, [])).toEqual([]);
    expect(statements.count).toBe(before);
  });

  it('run a statement by text keys built once, every string a key, quotes and separators included', async () => {
    const coded = pgSchema('unique_demo').table('coded', { code: text('code').primaryKey() });
    const codes = ['DATA-01', 'a "quoted", code', 'back\\slash {x}'];
    await db.execute(sql`create table if not exists unique_demo.coded (code text primary key)`);
    await db.execute(sql`insert into unique_demo.coded (code) select unnest(${sqlArray(codes, 'text')}) on conflict do nothing`);
    const byCodes = builtOnceByKeys(coded.code, 'text', (handle: Database, filter, shape) => handle.select().from(coded).where(filter).prepare(`coded_${shape}`));
    const { db: counted, statements } = connection.drizzle({});
    const sorted = (rows: Array<{ code: string }>) => rows.map((r) => r.code).sort();
    expect(sorted(await byCodes(counted, [codes[1], codes[1]]))).toEqual([codes[1]]);
    expect(sorted(await byCodes(counted, [...codes, 'NOT-A-CODE', 42]))).toEqual([...codes].sort());
    const before = statements.count;
    expect(await byCodes(counted, [42])).toEqual([]);
    expect(statements.count).toBe(before);
  });
});

describe.runIf(Boolean(serverDatabaseUrl()))('statements on PostgreSQL', () => {
  const item = pgSchema('prepared_demo').table('item', { id: integer('id').primaryKey(), label: text('label').notNull() });

  /** A pool of one connection on a new database holding prepared_demo.item, so the session's prepared statements are the pool's. */
  async function onOneConnection(preparedStatements: boolean | undefined, check: (connection: DatabaseConnection, db: Database) => Promise<void>) {
    const database = await createEmptyDatabase(serverDatabaseUrl()!);
    const connection = await openDatabase({ url: database.url, maxConnections: 1, preparedStatements });
    try {
      await connection.query('create schema prepared_demo');
      await connection.query('create table prepared_demo.item (id int primary key, label text not null)');
      await connection.query(`insert into prepared_demo.item values (1, 'Data analytics'), (2, 'Welding')`);
      await check(connection, connection.drizzle({}).db);
    } finally {
      await connection.close();
      await database.drop();
    }
  }
  const preparedOf = async (connection: DatabaseConnection) =>
    (await connection.query<{ statement: string }>('select statement from pg_prepared_statements')).map((row) => row.statement).filter((text) => text.includes('prepared_demo'));

  it('are prepared once per connection by default, in transactions too, and reused with other values', async () => {
    await onOneConnection(undefined, async (connection, db) => {
      expect(await db.select().from(item).where(eq(item.id, 1))).toEqual([{ id: 1, label: 'Data analytics' }]);
      expect(await db.select().from(item).where(eq(item.id, 2))).toEqual([{ id: 2, label: 'Welding' }]);
      const inTransaction = await db.transaction(async (tx) => {
        await tx.update(item).set({ label: 'Welding (advanced)' }).where(eq(item.id, 2));
        return tx.select({ id: item.id }).from(item).where(gt(item.id, 1));
      });
      expect(inTransaction).toEqual([{ id: 2 }]);

      const prepared = await preparedOf(connection);
      // The two lookups by id share one statement; the transaction's update and select are prepared too.
      expect(prepared.filter((text) => text.includes('"prepared_demo"."item"."id" = $1') && text.startsWith('select'))).toHaveLength(1);
      expect(prepared.some((text) => text.startsWith('update'))).toBe(true);
      expect(prepared.some((text) => text.includes('"prepared_demo"."item"."id" > $1'))).toBe(true);
    });
  });

  it('by a single id are planned once and reused, where an array of ids is planned on every call', async () => {
    await onOneConnection(undefined, async (connection, db) => {
      const keyed = pgSchema('prepared_demo').table('keyed', { id: uuid('id').primaryKey() });
      const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
      await connection.query('create table prepared_demo.keyed (id uuid primary key)');
      await connection.query('insert into prepared_demo.keyed select unnest($1::uuid[])', [ids]);
      const byIds = builtOnceByKeys(keyed.id, 'uuid', (handle: Database, filter, shape) => handle.select().from(keyed).where(filter).prepare(`prepared_demo_${shape}`));
      for (let i = 0; i < 8; i++) {
        expect(await byIds(db, [ids[0]])).toEqual([{ id: ids[0] }]);
        expect(await byIds(db, ids)).toHaveLength(2);
      }
      const plans = await connection.query<{ statement: string; generic_plans: string; custom_plans: string }>(
        `select statement, generic_plans, custom_plans from pg_prepared_statements where statement like '%prepared_demo%'`,
      );
      const one = plans.find((p) => p.statement.includes('= $1::uuid'))!;
      const many = plans.find((p) => p.statement.includes('any($1::uuid[])'))!;
      expect(Number(one.generic_plans)).toBeGreaterThan(0);
      expect(Number(many.generic_plans)).toBe(0);
    });
  });

  it('are never prepared with DATABASE_PREPARED_STATEMENTS=off, not even a statement built once with a name', async () => {
    await onOneConnection(false, async (connection, db) => {
      const byId = builtOnce((handle: Database) => handle.select().from(item).where(eq(item.id, sql.placeholder('id'))).prepare('prepared_demo_item_by_id'));
      expect(await byId(db).execute({ id: 2 })).toEqual([{ id: 2, label: 'Welding' }]);
      expect(await db.transaction(async (tx) => tx.select().from(item).where(eq(item.id, 1)))).toEqual([{ id: 1, label: 'Data analytics' }]);
      expect(await preparedOf(connection)).toEqual([]);
    });
  });
});
