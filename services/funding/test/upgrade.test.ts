import { migrate, type DatabaseConnection } from '@tauliah/core';
import { openTestDatabase } from '@tauliah/testing';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundingService } from '../src/index.ts';

/**
 * Upgrading a funding database from before declarations belonged to a funder:
 * each declaration an older release kept with a B40 application is linked to
 * it and its scheme's funder; one no application matches is said to nobody.
 */
let connection: DatabaseConnection;
let folder: string;
const funder = '7d2e9c70-0000-4000-8000-0000000000f1';
const scheme = '7d2e9c70-0000-4000-8000-0000000000a1';
const learner = '7d2e9c70-0000-4000-8000-000000000001';
const course = '7d2e9c70-0000-4000-8000-0000000000c1';
const otherCourse = '7d2e9c70-0000-4000-8000-0000000000c2';

beforeAll(async () => {
  connection = await openTestDatabase({ template: false });
  folder = await mkdtemp(join(tmpdir(), 'tauliah-funding-upgrade-'));
  await cp(fundingService.migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  const at = journal.entries.findIndex((e) => e.tag === '0003_income_declared_to_funder');
  expect(at).toBeGreaterThan(0);
  await writeFile(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  await migrate(connection, 'funding', folder);

  await connection.query(`insert into funding.funder (id, name, kind) values ($1, 'Tabung', 'B40_AID')`, [funder]);
  await connection.query(
    `insert into funding.scheme (id, funder_id, code, name, description, kind, budget_sen, per_learner_cap_sen, co_payment_percent, valid_from, valid_until, published, rules)
     values ($1, $2, 'B40-X', 'B40', 'x', 'B40_AID', 1000000, 100000, 10, '2026-01-01', '2026-12-31', true, '[]')`,
    [scheme, funder],
  );
  // As applyForB40Aid left them: a declaration, then its application moments later; and one refused as it was made.
  await connection.query(
    `insert into funding.income_declaration (id, learner_id, monthly_income_sen, evidence_reference, declared_at) values
      ('7d2e9c70-0000-4000-8000-0000000000d1', $1, 310000, 'STR-1', '2026-03-01T10:00:00Z'),
      ('7d2e9c70-0000-4000-8000-0000000000d2', $1, 900000, 'LHDN', '2026-03-02T10:00:00Z'),
      ('7d2e9c70-0000-4000-8000-0000000000d3', $1, 320000, 'STR-2', '2026-03-03T10:00:00Z')`,
    [learner],
  );
  await connection.query(
    `insert into funding.application (id, scheme_id, kind, learner_id, course_id, declared_household_income_sen, evidence_reference, amount_sen, submitted_by, submitted_at) values
      ('7d2e9c70-0000-4000-8000-0000000000e1', $1, 'B40_AID', $2::uuid, $3, 310000, 'STR-1', 50000, $2::text, '2026-03-01T10:00:00.050Z'),
      ('7d2e9c70-0000-4000-8000-0000000000e3', $1, 'B40_AID', $2::uuid, $4, 320000, 'STR-2', 50000, $2::text, '2026-03-03T10:00:00.040Z')`,
    [scheme, learner, course, otherCourse],
  );
  await migrate(connection, 'funding', fundingService.migrationsFolder);
});
afterAll(async () => {
  await connection?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('upgrading to declarations made to a funder', () => {
  it('links each declaration to the application it came with and its funder, and the refused one to nobody', async () => {
    const rows = await connection.query<{ evidence_reference: string; funder_id: string | null; application_id: string | null }>(
      'select evidence_reference, funder_id, application_id from funding.income_declaration order by declared_at',
    );
    expect(rows).toEqual([
      { evidence_reference: 'STR-1', funder_id: funder, application_id: '7d2e9c70-0000-4000-8000-0000000000e1' },
      { evidence_reference: 'LHDN', funder_id: null, application_id: null },
      { evidence_reference: 'STR-2', funder_id: funder, application_id: '7d2e9c70-0000-4000-8000-0000000000e3' },
    ]);
  });
});
