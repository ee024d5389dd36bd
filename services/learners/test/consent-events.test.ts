import { consentGrantedEvent, consentRevokedEvent, migrate, parseEvent, type DatabaseConnection, type EventEnvelope } from '@tauliah/core';
import { consents, demoId, learnerByKey, personas } from '@tauliah/demo-data';
import { codesOf, eventually, openTestDatabase, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnersService } from '../src/index.ts';

let graph: TestSubgraph<typeof learnersService.tables>;
const aisyah = learnerByKey('aisyah');
const faizal = learnerByKey('faizal');
const asFaizal = { role: 'LEARNER', sub: faizal.id } as const;
const employerId = personas.EMPLOYER.employerId;

beforeAll(async () => {
  graph = await startTestSubgraph(learnersService);
});
afterAll(() => graph?.stop());

const GRANT = `mutation($input: GrantConsentInput!) { grantConsent(input: $input) { id grantedAt expiresAt revokedAt active } }`;
const REVOKE = `mutation($id: ID!) { revokeConsent(id: $id) { id revokedAt active } }`;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const toEmployer = (scopes: string[], expiresAt = inDays(30)) => ({ granteeKind: 'EMPLOYER', granteeId: employerId, scopes, expiresAt });

interface OutboxRow {
  position: number;
  subject: string;
  payload: Record<string, unknown>;
  published: boolean;
}

/** The consent events about one learner, oldest first. */
async function consentEvents(learnerId: string): Promise<OutboxRow[]> {
  const rows = await graph.connection.query<OutboxRow & { position: string | number }>(
    `select position, subject, payload, published_at is not null as published from learners.outbox
     where subject like 'learners.consent.%' and payload->>'learnerId' = $1 order by position`,
    [learnerId],
  );
  return rows.map((row) => ({ ...row, position: Number(row.position) }));
}
const outboxSize = async () => (await graph.connection.query<{ n: number }>('select count(*)::int as n from learners.outbox'))[0]!.n;

describe('the demo consents', () => {
  it('are history: the seed announces none of them', async () => {
    for (const consent of consents) {
      expect(await graph.connection.query(`select 1 from learners.outbox where payload->>'consentId' = $1`, [consent.id])).toEqual([]);
    }
  });
});

describe('a learner granting consent', () => {
  it('records one consent.granted with the grant, its grantee, scopes and expiry, and nothing personal', async () => {
    const expiresAt = inDays(60);
    const before = await consentEvents(faizal.id);
    const granted = (await graph.client.ok(GRANT, { as: asFaizal, variables: { input: toEmployer(['PROFILE', 'CONTACT', 'PROFILE'], expiresAt) } })).grantConsent;
    const events = (await consentEvents(faizal.id)).slice(before.length);
    expect(events).toEqual([
      {
        position: expect.any(Number),
        subject: 'learners.consent.granted',
        payload: { consentId: granted.id, learnerId: faizal.id, granteeKind: 'EMPLOYER', granteeId: employerId, scopes: ['PROFILE', 'CONTACT'], expiresAt: granted.expiresAt },
        published: expect.any(Boolean),
      },
    ]);
    expect(new Date(events[0]!.payload.expiresAt as string).toISOString()).toBe(expiresAt);
    const wire = JSON.stringify(events[0]!.payload);
    for (const personal of [faizal.fullName, faizal.email, faizal.nric, faizal.dateOfBirth]) expect(wire).not.toContain(personal);
  });

  it('announces a second grant to the same organisation as a grant of its own, leaving the first as it was', async () => {
    const first = (await graph.client.ok(GRANT, { as: 'LEARNER', variables: { input: toEmployer(['PROFILE'], inDays(10)) } })).grantConsent;
    const before = await consentEvents(aisyah.id);
    const second = (await graph.client.ok(GRANT, { as: 'LEARNER', variables: { input: toEmployer(['PROFILE', 'CREDENTIALS'], inDays(90)) } })).grantConsent;
    expect(second.id).not.toBe(first.id);
    const events = (await consentEvents(aisyah.id)).slice(before.length);
    expect(events.map((e) => [e.subject, e.payload.consentId])).toEqual([['learners.consent.granted', second.id]]);
    expect(events[0]!.payload.scopes).toEqual(['PROFILE', 'CREDENTIALS']);

    // Both grants count, each until its own expiry: the first was neither replaced nor revoked.
    const mine = await graph.client.ok(`{ me { consents { id active revokedAt } } }`, { as: 'LEARNER' });
    expect(mine.me.consents.filter((c: { id: string }) => [first.id, second.id].includes(c.id))).toEqual([
      { id: second.id, active: true, revokedAt: null },
      { id: first.id, active: true, revokedAt: null },
    ]);
  });

  it('records nothing for a grant it refuses', async () => {
    const total = await outboxSize();
    const refusals = [
      { as: 'LEARNER', input: toEmployer([]) },
      { as: 'LEARNER', input: toEmployer(['PROFILE'], inDays(-1)) },
      { as: 'LEARNER', input: toEmployer(['PROFILE'], inDays(800)) },
      { as: 'LEARNER', input: { ...toEmployer(['PROFILE']), granteeId: 'software-house' } },
    ] as const;
    for (const { as, input } of refusals) expect(codesOf(await graph.client.query(GRANT, { as, variables: { input } }))).toEqual(['BAD_USER_INPUT']);
    // A signed-in learner who never registered has no consents to give.
    const stranger = { role: 'LEARNER', sub: demoId('learner:never-registered') } as const;
    expect(codesOf(await graph.client.query(GRANT, { as: stranger, variables: { input: toEmployer(['PROFILE']) } }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await graph.client.query(GRANT, { as: 'EMPLOYER', variables: { input: toEmployer(['PROFILE']) } }))).toEqual(['FORBIDDEN']);
    expect(await outboxSize()).toBe(total);
  });
});

describe('a learner revoking consent', () => {
  it('records one consent.revoked, and nothing when it is revoked again', async () => {
    const granted = (await graph.client.ok(GRANT, { as: asFaizal, variables: { input: toEmployer(['CREDENTIALS']) } })).grantConsent;
    const before = await consentEvents(faizal.id);
    const revoked = (await graph.client.ok(REVOKE, { as: asFaizal, variables: { id: granted.id } })).revokeConsent;
    expect(revoked.active).toBe(false);
    const events = (await consentEvents(faizal.id)).slice(before.length);
    expect(events.map((e) => ({ subject: e.subject, payload: e.payload }))).toEqual([
      { subject: 'learners.consent.revoked', payload: { consentId: granted.id, learnerId: faizal.id, granteeKind: 'EMPLOYER', granteeId: employerId } },
    ]);

    const again = (await graph.client.ok(REVOKE, { as: asFaizal, variables: { id: granted.id } })).revokeConsent;
    expect(again).toEqual(revoked);
    expect(await consentEvents(faizal.id)).toHaveLength(before.length + 1);
  });

  it("records nothing for another learner's consent, an unknown one or a malformed id", async () => {
    const theirs = (await graph.client.ok(GRANT, { as: asFaizal, variables: { input: toEmployer(['PROFILE']) } })).grantConsent;
    const total = await outboxSize();
    expect(codesOf(await graph.client.query(REVOKE, { as: 'LEARNER', variables: { id: theirs.id } }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await graph.client.query(REVOKE, { as: 'LEARNER', variables: { id: demoId('consent:none') } }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await graph.client.query(REVOKE, { as: 'LEARNER', variables: { id: 'consent-1' } }))).toEqual(['BAD_USER_INPUT']);
    expect(await outboxSize()).toBe(total);
    const mine = await graph.client.ok(`{ me { consents { id active } } }`, { as: asFaizal });
    expect(mine.me.consents).toContainEqual({ id: theirs.id, active: true });
  });
});

describe('a consent and its event commit together', () => {
  /** Makes the outbox refuse one subject, as a failing insert would, for the length of `run`. */
  async function refusing(subject: string, run: () => Promise<void>): Promise<void> {
    await graph.connection.query(`alter table learners.outbox add constraint refuse_consent check (subject <> '${subject}') not valid`);
    try {
      await run();
    } finally {
      await graph.connection.query('alter table learners.outbox drop constraint refuse_consent');
    }
  }
  const consentRows = async (learnerId: string) =>
    graph.connection.query<{ id: string; revoked: boolean }>('select id, revoked_at is not null as revoked from learners.consent_grant where learner_id = $1 order by id', [learnerId]);

  it('keeps no grant whose event could not be recorded', async () => {
    const before = await consentRows(faizal.id);
    await refusing('learners.consent.granted', async () => {
      expect(codesOf(await graph.client.query(GRANT, { as: asFaizal, variables: { input: toEmployer(['PROFILE']) } }))).toEqual(['INTERNAL_SERVER_ERROR']);
    });
    expect(await consentRows(faizal.id)).toEqual(before);
  });

  it('leaves a consent in force when its revocation could not be recorded', async () => {
    const granted = (await graph.client.ok(GRANT, { as: asFaizal, variables: { input: toEmployer(['CONTACT']) } })).grantConsent;
    await refusing('learners.consent.revoked', async () => {
      expect(codesOf(await graph.client.query(REVOKE, { as: asFaizal, variables: { id: granted.id } }))).toEqual(['INTERNAL_SERVER_ERROR']);
    });
    expect(await consentRows(faizal.id)).toContainEqual({ id: granted.id, revoked: false });
    // Now it goes through, with its one event.
    await graph.client.ok(REVOKE, { as: asFaizal, variables: { id: granted.id } });
    expect((await consentEvents(faizal.id)).filter((e) => e.payload.consentId === granted.id).map((e) => e.subject)).toEqual([
      'learners.consent.granted',
      'learners.consent.revoked',
    ]);
  });
});

describe('the relay', () => {
  it('publishes consent events in the order they were recorded, as their contracts read them, and marks them published', async () => {
    const seen: EventEnvelope[] = [];
    const listen = async (subject: string, parse: (body: string) => EventEnvelope) => {
      const subscription = await graph.events.subscribe({ producer: 'learners', durable: `consent-test-${subject.replaceAll('.', '-')}`, subject });
      const listening = (async () => {
        for await (const delivery of subscription.messages) {
          seen.push(parse(delivery.body));
          delivery.ack();
        }
      })();
      return async () => {
        await subscription.close();
        await listening;
      };
    };
    const stops = [
      await listen(consentGrantedEvent.subject, (body) => parseEvent(consentGrantedEvent, body)),
      await listen(consentRevokedEvent.subject, (body) => parseEvent(consentRevokedEvent, body)),
    ];
    try {
      const granted = (await graph.client.ok(GRANT, { as: asFaizal, variables: { input: toEmployer(['PROFILE', 'CREDENTIALS']) } })).grantConsent;
      await graph.client.ok(REVOKE, { as: asFaizal, variables: { id: granted.id } });

      const about = () => seen.filter((e) => (e.data as { consentId: string }).consentId === granted.id).sort((a, b) => a.version - b.version);
      await eventually(() => about().length === 2, 'the grant and its revocation published');
      expect(about().map((e) => e.subject)).toEqual(['learners.consent.granted', 'learners.consent.revoked']);
      expect(about()[0]!.data).toMatchObject({ scopes: ['PROFILE', 'CREDENTIALS'], expiresAt: granted.expiresAt });
      const recorded = (await consentEvents(faizal.id)).filter((r) => r.payload.consentId === granted.id);
      expect(about().map((e) => e.version)).toEqual(recorded.map((r) => r.position));
      await eventually(async () => (await consentEvents(faizal.id)).every((r) => r.published), 'the rows marked published');
    } finally {
      for (const stop of stops) await stop();
    }
  });
});

describe('upgrading to consent events', () => {
  let connection: DatabaseConnection;
  let folder: string;
  const learnerId = '7d2e9c80-0000-4000-8000-000000000001';
  const inForce = '7d2e9c80-0000-4000-8000-0000000000c1';

  beforeAll(async () => {
    connection = await openTestDatabase({ template: false });
    folder = await mkdtemp(join(tmpdir(), 'tauliah-learners-consents-'));
    await cp(learnersService.migrationsFolder, folder, { recursive: true });
    const journalPath = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
    const at = journal.entries.findIndex((e) => e.tag === '0005_announce_consents');
    expect(at).toBeGreaterThan(0);
    await writeFile(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
    await migrate(connection, 'learners', folder);

    // Consents given under the previous release: one in force, one revoked, one expired.
    await connection.query(
      `insert into learners.learner (id, full_name, email, date_of_birth, citizenship, registered_by_subject) values ($1::uuid, 'Siti', 'siti@upgrade.example.my', '2001-01-01', 'MALAYSIAN', $1::text)`,
      [learnerId],
    );
    await connection.query(
      `insert into learners.consent_grant (id, learner_id, grantee_kind, grantee_id, scopes, granted_at, expires_at, revoked_at) values
        ($2, $1, 'EMPLOYER', $3, '{PROFILE,CREDENTIALS}', now() - interval '2 days', '2099-03-04T05:06:07.891Z', null),
        ('7d2e9c80-0000-4000-8000-0000000000c2', $1, 'FUNDER', $3, '{PROFILE}', now() - interval '3 days', now() + interval '30 days', now() - interval '1 day'),
        ('7d2e9c80-0000-4000-8000-0000000000c3', $1, 'PROVIDER', $3, '{CONTACT}', now() - interval '60 days', now() - interval '1 day', null)`,
      [learnerId, inForce, employerId],
    );
    await migrate(connection, 'learners', learnersService.migrationsFolder);
  });
  afterAll(async () => {
    await connection?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('announces each consent still in force as granted, in a form its contract accepts, and none that ended', async () => {
    const rows = await connection.query<{ subject: string; payload: unknown }>(`select subject, payload from learners.outbox where subject like 'learners.consent.%' order by position`);
    expect(rows).toEqual([
      {
        subject: 'learners.consent.granted',
        payload: { consentId: inForce, learnerId, granteeKind: 'EMPLOYER', granteeId: employerId, scopes: ['PROFILE', 'CREDENTIALS'], expiresAt: '2099-03-04T05:06:07.891Z' },
      },
    ]);
    expect(consentGrantedEvent.data.parse(rows[0]!.payload)).toEqual(rows[0]!.payload);
  });
});
