import { migrate, type DatabaseConnection } from '@tauliah/core';
import { openTestDatabase } from '@tauliah/testing';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundingService } from '../src/index.ts';

/**
 * Upgrading a funding database from before levy payments were recorded per
 * month: each LEVY_PAID entry an older release kept (the seed's opening
 * balance, one per employer) becomes the payment for the Malaysian month it
 * was recorded in; grants drawn name no month.
 */
let connection: DatabaseConnection;
let folder: string;
const employer = '7d2e9c70-0000-4000-8000-0000000000b1';

beforeAll(async () => {
  connection = await openTestDatabase({ template: false });
  folder = await mkdtemp(join(tmpdir(), 'tauliah-funding-levy-upgrade-'));
  await cp(fundingService.migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  const at = journal.entries.findIndex((e) => e.tag === '0005_levy_payments');
  expect(at).toBeGreaterThan(0);
  await writeFile(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  await migrate(connection, 'funding', folder);

  await connection.query(`insert into funding.levy_account (employer_id, balance_sen) values ($1, 4700000)`, [employer]);
  // Recorded at 04:00 on 1 April in Malaysia, still 31 March in UTC.
  await connection.query(
    `insert into funding.levy_entry (employer_id, kind, amount_sen, recorded_at) values
      ($1, 'LEVY_PAID', 4800000, '2026-03-31T20:00:00Z'), ($1, 'GRANT_DRAWN', 100000, '2026-05-02T02:00:00Z')`,
    [employer],
  );
  await migrate(connection, 'funding', fundingService.migrationsFolder);
});
afterAll(async () => {
  await connection?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('upgrading to levy payments per month', () => {
  it('gives the payment kept before its Malaysian month, and a grant drawn none', async () => {
    const rows = await connection.query<{ kind: string; month: string | null }>(`select kind, month::text as month from funding.levy_entry order by recorded_at`);
    expect(rows).toEqual([
      { kind: 'LEVY_PAID', month: '2026-04-01' },
      { kind: 'GRANT_DRAWN', month: null },
    ]);
  });

  it('then holds one payment per employer and month, and every payment to a month', async () => {
    const again = connection.query(`insert into funding.levy_entry (employer_id, kind, amount_sen, month) values ($1, 'LEVY_PAID', 1, '2026-04-01')`, [employer]);
    await expect(again).rejects.toThrow(/levy_entry_paid_month_key/);
    const monthless = connection.query(`insert into funding.levy_entry (employer_id, kind, amount_sen) values ($1, 'LEVY_PAID', 1)`, [employer]);
    await expect(monthless).rejects.toThrow(/levy_entry_month_check/);
    const midMonth = connection.query(`insert into funding.levy_entry (employer_id, kind, amount_sen, month) values ($1, 'LEVY_PAID', 1, '2026-05-15')`, [employer]);
    await expect(midMonth).rejects.toThrow(/levy_entry_month_check/);
  });

  it('accepts funders of the new kind OTHER, each registration number once', async () => {
    const insert = (id: string) =>
      connection.query(`insert into funding.funder (id, name, kind, registration_number) values ($1, 'Yayasan', 'OTHER', 'PPM-9')`, [id]);
    await insert('7d2e9c70-0000-4000-8000-0000000000f1');
    await expect(insert('7d2e9c70-0000-4000-8000-0000000000f2')).rejects.toThrow(/funder_registration_number_key/);
  });
});
