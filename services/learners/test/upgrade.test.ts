import { createLogger, migrate, type Database, type DatabaseConnection } from '@tauliah/core';
import { openTestDatabase, testConfig } from '@tauliah/testing';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learner, type tables } from '../src/db/schema.ts';
import { maskedNric, sealClearNrics } from '../src/identity/nric.ts';
import { learnersService } from '../src/index.ts';

/**
 * Upgrading a learners database from before credential preferences and sealed
 * NRIC digits: every existing learner is announced PRIVATE, every learner a
 * provider registered as enrolled with it, and the NRIC digits the older
 * release kept in clear are sealed at start-up without losing the masked form.
 * Then to enrolments as records: each learner a provider registered keeps an
 * ACTIVE enrolment with it under a student number derived from their id.
 */
let connection: DatabaseConnection;
let folder: string;
let db: Database<typeof tables>;
const key = testConfig().PII_ENCRYPTION_KEY;
const provider = '6c1d8b6f-0000-4000-8000-0000000000a1';
const enrolled = '6c1d8b6f-0000-4000-8000-000000000001';
const self = '6c1d8b6f-0000-4000-8000-000000000002';
const foreigner = '6c1d8b6f-0000-4000-8000-000000000003';

beforeAll(async () => {
  connection = await openTestDatabase({ template: false });
  folder = await mkdtemp(join(tmpdir(), 'tauliah-learners-upgrade-'));
  await cp(learnersService.migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  const at = journal.entries.findIndex((e) => e.tag === '0003_credential_preferences_sealed_nric');
  expect(at).toBeGreaterThan(0);
  await writeFile(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  await migrate(connection, 'learners', folder);

  // As the previous release left them: the last four NRIC digits in clear beside the date of birth.
  await connection.query(
    `insert into learners.learner (id, full_name, email, date_of_birth, citizenship, nric_hash, nric_last4, registered_by_provider_id, registered_by_subject, idempotency_key, created_at) values
      ($1, 'Siti', 'siti@upgrade.example.my', '2001-01-01', 'MALAYSIAN', 'h1', '5522', $4, 'staff:1', 'sis-0001', '2025-01-01'),
      ($2::uuid, 'Ravi', 'ravi@upgrade.example.my', '2001-01-02', 'MALAYSIAN', 'h2', '6011', null, $2::text, null, '2025-01-02'),
      ($3::uuid, 'Mei', 'mei@upgrade.example.my', '2001-01-03', 'NON_CITIZEN', null, null, null, $3::text, null, '2025-01-03')`,
    [enrolled, self, foreigner, provider],
  );
  await migrate(connection, 'learners', learnersService.migrationsFolder);
  db = connection.drizzle(learnersService.tables).db;
});
afterAll(async () => {
  await connection?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

const events = async (subject: string) =>
  (await connection.query<{ payload: unknown }>(`select payload from learners.outbox where subject = $1 order by position`, [subject])).map((r) => r.payload);

describe('upgrading to credential preferences and enrolment events', () => {
  it('starts every learner at PRIVATE and announces it, and announces each provider enrolment', async () => {
    const rows = await connection.query<{ v: string }>('select credential_visibility as v from learners.learner order by created_at');
    expect(rows.map((r) => r.v)).toEqual(['PRIVATE', 'PRIVATE', 'PRIVATE']);
    expect(await events('learners.learner.preferences')).toEqual([enrolled, self, foreigner].map((learnerId) => ({ learnerId, credentialVisibility: 'PRIVATE' })));
    expect(await events('learners.learner.enrolled')).toEqual([{ learnerId: enrolled, providerId: provider }]);
  });
});

describe('sealing the NRIC digits an older release kept in clear', () => {
  it('seals and clears them in one go, keeps the masked form, and does nothing the second time', async () => {
    expect(await sealClearNrics(db, key, createLogger({ level: 'silent' }))).toBe(2);
    const rows = await db.select().from(learner).orderBy(learner.createdAt);
    expect(rows.map((r) => r.nricLast4)).toEqual([null, null, null]);
    expect(JSON.stringify(await connection.query('select * from learners.learner'))).not.toMatch(/5522|6011/);
    expect(rows.map((r) => maskedNric(r, key))).toEqual(['••••••-••-5522', '••••••-••-6011', null]);

    const sealed = rows.map((r) => r.nricLast4Sealed);
    expect(await sealClearNrics(db, key, createLogger({ level: 'silent' }))).toBe(0);
    expect((await db.select().from(learner).orderBy(learner.createdAt)).map((r) => r.nricLast4Sealed)).toEqual(sealed);
  });

  it('opens sealed digits only for the learner they were sealed for, and only with the key', async () => {
    const [first, second] = await db.select().from(learner).orderBy(learner.createdAt);
    expect(() => maskedNric({ ...second!, nricLast4Sealed: first!.nricLast4Sealed }, key)).toThrow(/^Cannot open sealed NRIC digits: /);
    expect(() => maskedNric(first!, 'another-key-of-at-least-thirty-two-characters')).toThrow(/^Cannot open sealed NRIC digits: /);
  });

  it('opens digits sealed before sealing was shared across services, as stored rows hold them', () => {
    // Sealed by that release under the embedded default PII_ENCRYPTION_KEY, which the tests run on.
    const row = { id: '6c1d8b6f-0000-4000-8000-000000000004', nricLast4: null, nricLast4Sealed: 'v1.n-anR876wokCWHqV.JcCeJZ4ZbRIsEbjeDONcMw.n2jyzg' };
    expect(maskedNric(row, key)).toBe('••••••-••-5522');
    expect(() => maskedNric({ ...row, id: enrolled }, key)).toThrow(/^Cannot open sealed NRIC digits: /);
  });
});

describe('upgrading to enrolments as records', () => {
  it('enrols each learner a provider registered with it, under their id in upper case as the student number, announcing nothing twice', async () => {
    const rows = await connection.query(
      `select e.learner_id, e.provider_id, e.student_number, e.status, e.enrolled_at = l.created_at as since_registered, e.enrolled_by_subject, e.ended_at, e.idempotency_key
       from learners.enrolment e join learners.learner l on l.id = e.learner_id order by e.enrolled_at`,
    );
    expect(rows).toEqual([
      {
        learner_id: enrolled,
        provider_id: provider,
        student_number: enrolled.toUpperCase(),
        status: 'ACTIVE',
        since_registered: true,
        enrolled_by_subject: 'staff:1',
        ended_at: null,
        idempotency_key: 'sis-0001',
      },
    ]);
    // Announced once already, when the previous upgrade announced every provider's learners.
    expect(await events('learners.learner.enrolled')).toEqual([{ learnerId: enrolled, providerId: provider }]);
  });

  it('keeps e-mail addresses as contact details, no longer unique, and a person as their identity document with their date of birth', async () => {
    const twin = '6c1d8b6f-0000-4000-8000-000000000004';
    await connection.query(
      `insert into learners.learner (id, full_name, email, date_of_birth, citizenship, nric_hash, registered_by_subject) values ($1::uuid, 'Ravi Kumar', 'RAVI@upgrade.example.my', '2001-01-04', 'MALAYSIAN', 'h2', $1::text)`,
      [twin],
    );
    await expect(
      connection.query(`insert into learners.learner (id, full_name, email, date_of_birth, citizenship, nric_hash, registered_by_subject) values ($1::uuid, 'Ravi', 'r@upgrade.example.my', '2001-01-02', 'MALAYSIAN', 'h2', $1::text)`, [
        '6c1d8b6f-0000-4000-8000-000000000005',
      ]),
    ).rejects.toThrow(/learner_nric_key/);
  });
});
