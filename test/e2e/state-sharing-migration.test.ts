import { learnerResidenceEvent, migrate, parseEvent, type DatabaseConnection } from '@tauliah/core';
import { credentialsService } from '@tauliah/credentials';
import { learnersService } from '@tauliah/learners';
import { openTestDatabase } from '@tauliah/testing';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyResidence } from '../../services/credentials/src/events/learner-residence.ts';

/**
 * Upgrading a database that holds learners from before they could choose to
 * be found by state: nobody has chosen yet, so talent search must stop
 * finding anyone by state, on both sides of the event stream.
 */
let connection: DatabaseConnection;
let folders: string;

/** A copy of a service's migrations that stops before `tag`: the database as the previous release left it. */
async function migrationsBefore(service: { name: string; migrationsFolder: string }, tag: string): Promise<string> {
  const folder = join(folders, service.name);
  await cp(service.migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  expect(at, `${service.name} has a migration ${tag}`).toBeGreaterThan(0);
  await writeFile(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return folder;
}

const sharing = '5b0c7a5e-0000-4000-8000-000000000001';
const stateless = '5b0c7a5e-0000-4000-8000-000000000002';
const neverAnnounced = '5b0c7a5e-0000-4000-8000-000000000003';
const course = '5b0c7a5e-0000-4000-8000-0000000000c1';
const issuer = '5b0c7a5e-0000-4000-8000-0000000000a1';

beforeAll(async () => {
  connection = await openTestDatabase({ template: false });
  folders = await mkdtemp(join(tmpdir(), 'tauliah-state-sharing-'));
  await migrate(connection, 'learners', await migrationsBefore(learnersService, '0002_share_state_in_talent_search'));
  await migrate(connection, 'credentials', await migrationsBefore(credentialsService, '0005_state_only_when_shared'));

  // As the previous release left them: every state announced, and snapshotted at issuance for a learner no event had mentioned.
  await connection.query(`insert into learners.learner (id, full_name, email, date_of_birth, citizenship, state, registered_by_subject, created_at) values
    ($1, 'Siti', 'siti@upgrade.example.my', '2001-01-01', 'NON_CITIZEN', 'Selangor', 'seed', '2025-01-01'),
    ($2, 'Ravi', 'ravi@upgrade.example.my', '2001-01-02', 'NON_CITIZEN', null, 'seed', '2025-01-02'),
    ($3, 'Mei', 'mei@upgrade.example.my', '2001-01-03', 'NON_CITIZEN', 'Johor', 'seed', '2025-01-03')`, [sharing, stateless, neverAnnounced]);
  await connection.query(`insert into learners.outbox (subject, payload, published_at) values
    ('learners.learner.residence', jsonb_build_object('learnerId', $1::text, 'state', 'Selangor'), now()),
    ('learners.learner.residence', jsonb_build_object('learnerId', $2::text, 'state', null), now())`, [sharing, stateless]);
  await connection.query(`insert into credentials.learner_residence (learner_id, state, version) values ($1, 'Selangor', 1), ($2, null, 2)`, [sharing, stateless]);
  for (const [n, holder, state] of [[1, sharing, 'Selangor'], [2, neverAnnounced, 'Johor']] as const) {
    const id = `5b0c7a5e-0000-4000-8000-00000000010${n}`;
    await connection.query(
      `insert into credentials.credential (id, holder_id, course_id, issuer_id, title, issued_at, visibility, holder_state) values ($1, $2, $3, $4, 'Welding', '2025-06-01', 'EMPLOYERS', $5)`,
      [id, holder, course, issuer, state],
    );
    await connection.query(
      `insert into credentials.talent_proof (skill_code, level, holder_id, issued_at, issuer_id, credential_id, holder_state) values ('WELDING', 3, $1, '2025-06-01', $2, $3, $4)`,
      [holder, issuer, id, state],
    );
  }

  await migrate(connection, 'learners', learnersService.migrationsFolder);
  await migrate(connection, 'credentials', credentialsService.migrationsFolder);
});
afterAll(async () => {
  await connection?.close();
  if (folders) await rm(folders, { recursive: true, force: true });
});

const proofStates = async () =>
  Object.fromEntries(
    (await connection.query<{ holder_id: string; holder_state: string | null }>('select holder_id, holder_state from credentials.talent_proof')).map((r) => [r.holder_id, r.holder_state]),
  );

describe('upgrading to learners choosing whether employers may find them by state', () => {
  it('starts every existing learner as not sharing', async () => {
    const rows = await connection.query<{ shares: boolean }>('select share_state_in_talent_search as shares from learners.learner');
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.shares === false)).toBe(true);
  });

  it('forgets the states credentials recorded at issuance, keeping those its events still vouch for until the next event', async () => {
    const columns = await connection.query(`select 1 from information_schema.columns where table_schema = 'credentials' and table_name = 'credential' and column_name = 'holder_state'`);
    expect(columns).toEqual([]);
    expect(await proofStates()).toEqual({ [sharing]: 'Selangor', [neverAnnounced]: null });
  });

  it('announces, after every earlier event, that no learner with a state shares it, and credentials then files nobody under a state', async () => {
    const rows = await connection.query<{ id: string; position: string | number; subject: string; payload: unknown; created_at: Date | string }>(
      "select id, position, subject, payload, created_at from learners.outbox where published_at is null and subject = 'learners.learner.residence' order by position",
    );
    const events = rows.map((row) =>
      parseEvent(learnerResidenceEvent, JSON.stringify({ id: row.id, subject: row.subject, version: Number(row.position), occurredAt: new Date(row.created_at).toISOString(), data: row.payload })),
    );
    expect(events.map((e) => e.data)).toEqual([
      { learnerId: sharing, state: null },
      { learnerId: neverAnnounced, state: null },
    ]);
    expect(events.every((e) => e.version > 2)).toBe(true);

    const { db } = connection.drizzle(credentialsService.tables);
    for (const event of events) expect(await applyResidence(db, event)).toBe(true);
    expect(await proofStates()).toEqual({ [sharing]: null, [neverAnnounced]: null });
    const residences = await connection.query('select learner_id, state from credentials.learner_residence order by learner_id');
    expect(residences).toEqual([
      { learner_id: sharing, state: null },
      { learner_id: stateless, state: null },
      { learner_id: neverAnnounced, state: null },
    ]);
  });
});
