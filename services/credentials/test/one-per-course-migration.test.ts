import { migrate, type DatabaseConnection } from '@tauliah/core';
import { openTestDatabase } from '@tauliah/testing';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsService } from '../src/index.ts';

/**
 * Upgrading to one credential per learner and course: the migration first
 * checks that the credentials already issued obey the rule, and stops with
 * what to do when they do not, rather than fail on the index or let them be.
 */
let connection: DatabaseConnection;
let folder: string;

const holder = '0e1c5a7e-0000-4000-8000-000000000001';
const course = '0e1c5a7e-0000-4000-8000-0000000000c1';
const issuer = '0e1c5a7e-0000-4000-8000-0000000000a1';
const id = (n: number) => `0e1c5a7e-0000-4000-8000-00000000010${n}`;

beforeAll(async () => {
  connection = await openTestDatabase({ template: false });
  folder = await mkdtemp(join(tmpdir(), 'tauliah-one-per-course-'));
  await cp(credentialsService.migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  const at = journal.entries.findIndex((e) => e.tag === '0009_one_active_per_course');
  expect(at).toBeGreaterThan(0);
  await writeFile(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  await migrate(connection, 'credentials', folder);

  // As the previous release could leave them: the course issued twice and both count; a revoked and a renewed one beside them, which do not.
  const insert = (n: number, extra: string, values: string) =>
    connection.query(
      `insert into credentials.credential (id, holder_id, course_id, issuer_id, title, issued_at${extra}) values ($1, $2, $3, $4, 'Welding', '2025-0${n}-01'${values})`,
      [id(n), holder, course, issuer],
    );
  await insert(1, '', '');
  await insert(2, ', status', ", 'SUSPENDED'");
  await insert(3, ', status', ", 'REVOKED'");
  await insert(4, ', replaced_by', `, '${id(1)}'`);
});
afterAll(async () => {
  await connection?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

const hasIndex = async () =>
  (await connection.query(`select 1 from pg_indexes where schemaname = 'credentials' and indexname = 'credential_one_per_course_idx'`)).length === 1;

describe('upgrading to one credential per learner and course', () => {
  it('stops, changing nothing, while a learner holds two counting credentials for a course, and says how to find and mend them', async () => {
    const upgrade = migrate(connection, 'credentials', credentialsService.migrationsFolder);
    await expect(upgrade).rejects.toThrow(/1 learner and course pairs hold more than one ACTIVE or SUSPENDED credential not replaced by a renewal/);
    await expect(migrate(connection, 'credentials', credentialsService.migrationsFolder)).rejects.toThrow(/revoke the extra credentials/);
    expect(await hasIndex()).toBe(false);
    const columns = await connection.query(`select 1 from information_schema.columns where table_schema = 'credentials' and table_name = 'credential' and column_name = 'student_number'`);
    expect(columns).toEqual([]);
  });

  it('applies once the extra one is revoked, revoked and renewed credentials of the course aside', async () => {
    await connection.query(`update credentials.credential set status = 'REVOKED' where id = $1`, [id(2)]);
    const { applied } = await migrate(connection, 'credentials', credentialsService.migrationsFolder);
    expect(applied).toContain('0009_one_active_per_course');
    expect(await hasIndex()).toBe(true);
    await expect(
      connection.query(`insert into credentials.credential (holder_id, course_id, issuer_id, title, issued_at) values ($1, $2, $3, 'Welding', now())`, [holder, course, issuer]),
    ).rejects.toThrow(/credential_one_per_course_idx/);
  });
});
