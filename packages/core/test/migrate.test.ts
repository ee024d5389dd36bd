import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, migrate, type DatabaseConnection } from '../src/index.ts';

let connection: DatabaseConnection;
let folder: string;

async function writeMigration(tags: Array<[string, string]>): Promise<void> {
  await mkdir(join(folder, 'meta'), { recursive: true });
  await writeFile(join(folder, 'meta', '_journal.json'), JSON.stringify({ entries: tags.map(([tag], idx) => ({ idx, tag })) }));
  for (const [tag, text] of tags) await writeFile(join(folder, `${tag}.sql`), text);
}

beforeAll(async () => {
  connection = await openPglite();
  folder = await mkdtemp(join(tmpdir(), 'tauliah-migrations-'));
});
afterAll(() => connection?.close());

describe('migrations', () => {
  const first: [string, string] = ['0000_init', 'CREATE SCHEMA "demo";\n--> statement-breakpoint\nCREATE TABLE "demo"."thing" ("id" int primary key);'];

  it('applies each migration once, in order', async () => {
    await writeMigration([first]);
    expect((await migrate(connection, 'demo', folder)).applied).toEqual(['0000_init']);
    expect((await migrate(connection, 'demo', folder)).applied).toEqual([]);
    await writeMigration([first, ['0001_more', 'ALTER TABLE "demo"."thing" ADD COLUMN "name" text;']]);
    expect((await migrate(connection, 'demo', folder)).applied).toEqual(['0001_more']);
    await connection.query(`insert into demo.thing (id, name) values (1, 'x')`);
  });

  it('refuses to start when an applied migration was edited', async () => {
    await writeMigration([[first[0], `${first[1]} -- edited`]]);
    await expect(migrate(connection, 'demo', folder)).rejects.toThrow(/was edited after it was applied/);
  });

  it('leaves nothing behind when a migration fails half-way', async () => {
    await writeMigration([first, ['0001_more', 'ALTER TABLE "demo"."thing" ADD COLUMN "name" text;'], ['0002_bad', 'CREATE TABLE "demo"."half" (id int);\n--> statement-breakpoint\nSELECT nonsense FROM nowhere;']]);
    await expect(migrate(connection, 'demo', folder)).rejects.toThrow();
    const tables = await connection.query<{ n: number }>(`select count(*)::int as n from information_schema.tables where table_schema = 'demo' and table_name = 'half'`);
    expect(tables[0]?.n).toBe(0);
  });
});
