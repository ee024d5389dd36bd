import { migrate, type DatabaseConnection } from '@tauliah/core';
import { openTestDatabase } from '@tauliah/testing';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providersService } from '../src/index.ts';

/**
 * Upgrading to MQA's APEL.M minimum: pathways could set any threshold from
 * 1 to 100 before. One set below 50 stops the upgrade, changing nothing,
 * naming the pathway and saying what to do, rather than rewrite a provider's
 * published admission rule silently or fail on the bare check constraint.
 */
let connection: DatabaseConnection;
let folder: string;

const providerId = '0a9e1c00-0000-4000-8000-0000000000a1';
const low = '0a9e1c00-0000-4000-8000-0000000000b1';
const fine = '0a9e1c00-0000-4000-8000-0000000000b2';

beforeAll(async () => {
  connection = await openTestDatabase({ template: false });
  folder = await mkdtemp(join(tmpdir(), 'tauliah-apel-threshold-'));
  await cp(providersService.migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  const at = journal.entries.findIndex((e) => e.tag === '0010_apel_m_applications');
  expect(at).toBeGreaterThan(0);
  await writeFile(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  await migrate(connection, 'providers', folder);

  // As the previous release allowed: one pathway at 40%, one at MQA's 50%.
  await connection.query(`insert into providers.provider (id, slug, name, kind, state) values ($1, 'kolej-x', 'Kolej X', 'PRIVATE_UNIVERSITY', 'Perak')`, [providerId]);
  const pathway = (id: string, code: string, percent: number) =>
    connection.query(
      `insert into providers.pathway (id, provider_id, code, title, description, target_programme, target_programme_credits, apel_threshold_percent)
       values ($1, $2, $3, 'Data science', 'Stackable', 'Bachelor of Data Science', 120, $4)`,
      [id, providerId, code, percent],
    );
  await pathway(low, 'DS-LOW', 40);
  await pathway(fine, 'DS-MQA', 50);
});
afterAll(async () => {
  await connection?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

const tableExists = async () => (await connection.query(`select to_regclass('providers.apel_m_application')::text as found`))[0]!.found !== null;

describe("upgrading to MQA's APEL.M minimum of 50%", () => {
  it('stops, changing nothing, while a pathway sets a threshold below 50%, naming it and saying how to mend it', async () => {
    const upgrade = migrate(connection, 'providers', providersService.migrationsFolder);
    await expect(upgrade).rejects.toThrow(new RegExp(`APEL\\.M threshold below MQA's minimum of 50% of the programme's credits: ${low} \\(DS-LOW, 40%\\)\\.`));
    await expect(migrate(connection, 'providers', providersService.migrationsFolder)).rejects.toThrow(/updatePathway with apelThresholdPercent 50 or more/);
    expect(await tableExists()).toBe(false);
    const rows = await connection.query<{ code: string; apel_threshold_percent: number }>(`select code, apel_threshold_percent from providers.pathway order by code`);
    expect(rows).toEqual([
      { code: 'DS-LOW', apel_threshold_percent: 40 },
      { code: 'DS-MQA', apel_threshold_percent: 50 },
    ]);
  });

  it('applies once the provider raises it, and from then on the database refuses a threshold below 50', async () => {
    await connection.query(`update providers.pathway set apel_threshold_percent = 55 where id = $1`, [low]);
    const { applied } = await migrate(connection, 'providers', providersService.migrationsFolder);
    expect(applied).toContain('0010_apel_m_applications');
    expect(await tableExists()).toBe(true);
    await expect(connection.query(`update providers.pathway set apel_threshold_percent = 49 where id = $1`, [fine])).rejects.toThrow(/pathway_apel_threshold_check/);
  });
});
