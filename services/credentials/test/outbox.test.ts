import {
  credentialIssuedEvent,
  credentialReinstatedEvent,
  credentialRenewedEvent,
  credentialRevokedEvent,
  credentialSuspendedEvent,
  parseEvent,
  type EventContract,
  type EventEnvelope,
} from '@tauliah/core';
import { courseByCode, credentials as demoCredentials, enrolments, learnerByKey, learners, providers, staffAdminOf, type DemoLearner } from '@tauliah/demo-data';
import { codesOf, eventually, type Who } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The credentials outbox: every credential issued, revoked, suspended,
 * reinstated or renewed through the graph records exactly one event, in the
 * transaction that changes it (so a refused or failed change records none,
 * and a replayed cohort none again), and the relay publishes them to the
 * graph's broker, where the webhooks' delivery consumes them.
 */
let graph: TestGraph;
const registrar: Who = 'PROVIDER_STAFF';
const records: Who = 'PARTNER';
const ODL = providers.odl.id;
const asLearner = (learner: { id: string }): Who => ({ role: 'LEARNER', sub: learner.id });

const ISSUE = `mutation($input: IssueCredentialInput!) { issueCredential(input: $input) { id } }`;
const COHORT = `mutation($input: [IssueCredentialInput!]!, $key: String!) {
  issueCredentials(input: $input, idempotencyKey: $key) { issued failed results { credential { id } error { code } } }
}`;
const REVOKE = `mutation($id: ID!) { revokeCredential(id: $id, reason: "Issued in error") { status } }`;
const SUSPEND = `mutation($id: ID!) { suspendCredential(id: $id, reason: "Under review") { status } }`;
const REINSTATE = `mutation($id: ID!) { reinstateCredential(id: $id) { status } }`;
const RENEW = `mutation($id: ID!, $until: DateTimeISO!) { renewCredential(id: $id, validUntil: $until) { id renewalOf } }`;
const VISIBILITY = `mutation($id: ID!, $v: CredentialVisibility!) { setCredentialVisibility(id: $id, visibility: $v) { visibility } }`;

/** Students the ODL enrols for this file: new learners, holding nothing yet. */
let students: string[] = [];

beforeAll(async () => {
  graph = await startTestGraph();
  const input = Array.from({ length: 230 }, (_, i) => {
    const month = String((i % 12) + 1).padStart(2, '0');
    const day = String((Math.floor(i / 12) % 28) + 1).padStart(2, '0');
    return {
      studentNumber: `OUTBOX-${String(i + 1).padStart(4, '0')}`,
      fullName: `Pelajar Outbox ${i + 1}`,
      email: `outbox${i + 1}@student.utn.example.my`,
      dateOfBirth: `2004-${month}-${day}`,
      citizenship: 'MALAYSIAN',
      nric: `04${month}${day}-14-${String(6000 + i).padStart(4, '0')}`,
    };
  });
  const ENROL = `mutation($input: [EnrolLearnerInput!]!) { enrolLearners(input: $input, idempotencyKey: "outbox-intake") { failed results { learner { id } error { message } } } }`;
  const { enrolLearners } = await graph.gateway.ok(ENROL, { as: records, variables: { input } });
  expect(enrolLearners.failed, JSON.stringify(enrolLearners.results.filter((r: { error: unknown }) => r.error))).toBe(0);
  students = enrolLearners.results.map((r: { learner: { id: string } }) => r.learner.id);
});
afterAll(() => graph?.stop());

interface Recorded {
  position: number;
  subject: string;
  payload: Record<string, unknown>;
  published: boolean;
}

/** The outbox's last position now: what a step records comes after it. */
async function lastPosition(): Promise<number> {
  const [row] = await graph.connection.query<{ last: string | number | null }>('select max(position) as last from credentials.outbox');
  return Number(row?.last ?? 0);
}

/** What the outbox recorded after `position`, oldest first. */
async function recordedSince(position: number): Promise<Recorded[]> {
  const rows = await graph.connection.query<Recorded & { position: string | number }>(
    // Stacked awards the credentials settle issue their own events (test/e2e/stacked-awards.test.ts); these windows are about the credentials changed.
    "select position, subject, payload, published_at is not null as published from credentials.outbox where position > $1 and not payload ? 'award' order by position",
    [position],
  );
  return rows.map((row) => ({ ...row, position: Number(row.position) }));
}

/** What every event about the credential must say: whom it concerns and who may see it, as the database holds it now. */
async function factsOf(credentialId: string): Promise<Record<string, string>> {
  const [row] = await graph.connection.query<{ issuer_id: string; holder_id: string; course_id: string; visibility: string }>(
    'select issuer_id, holder_id, course_id, visibility from credentials.credential where id = $1',
    [credentialId],
  );
  return { credentialId, issuerId: row!.issuer_id, learnerId: row!.holder_id, courseId: row!.course_id, visibility: row!.visibility };
}

/** Credentials for courses: a stacked award the settling of an earlier issuance brings may arrive at any moment, and is not what these tests count. */
const credentialCount = async () => Number((await graph.connection.query<{ n: string | number }>('select count(*) as n from credentials.credential where course_id is not null'))[0]!.n);

/** A demo learner and an ODL course they hold no credential for. */
function unheldCourse(learner: DemoLearner, excluded: string[] = []): string {
  const course = [...courseByCode.values()].find(
    (c) => c.providerId === ODL && !excluded.includes(c.id) && !demoCredentials.some((d) => d.learnerId === learner.id && d.courseId === c.id),
  );
  if (!course) throw new Error(`${learner.key} holds every ODL course`);
  return course.id;
}

async function issue(learnerId: string, courseId: string): Promise<string> {
  return (await graph.gateway.ok(ISSUE, { as: registrar, variables: { input: { learnerId, courseId } } })).issueCredential.id;
}

describe('the demo seed', () => {
  it('announces none of the demo credentials: they are history, not news', async () => {
    const ids = demoCredentials.map((c) => c.id);
    const about = await graph.connection.query(`select 1 from credentials.outbox where payload->>'credentialId' = any($1::text[])`, [ids]);
    expect(about).toEqual([]);
  });

  it("gives a demo credential the student number of its holder's enrolment with its issuer, as a student records system would have, else none", async () => {
    const numberOf = (c: { learnerId: string; providerId: string }) => enrolments.find((e) => e.learnerId === c.learnerId && e.providerId === c.providerId)?.studentNumber ?? null;
    const rows = await graph.connection.query<{ id: string; student_number: string | null }>('select id, student_number from credentials.credential where id = any($1::uuid[])', [
      demoCredentials.map((c) => c.id),
    ]);
    const kept = new Map(rows.map((r) => [r.id, r.student_number]));
    expect(kept.size).toBe(demoCredentials.length);
    for (const c of demoCredentials) expect(kept.get(c.id), c.id).toBe(numberOf(c));
    // Both kinds are in the demo set: Priya's first-aid certificate from the training provider, and credentials from a provider the holder never enrolled with.
    expect(kept.get(demoCredentials.find((c) => c.learnerId === learnerByKey('priya').id && c.providerId === providers.trainingProvider.id)!.id)).toBe('AKT/22/0098');
    expect(demoCredentials.some((c) => numberOf(c) === null)).toBe(true);
  });
});

describe('issuing records credential.issued', () => {
  it('records one event per credential, with the ids it concerns and its visibility, and nothing about the person', async () => {
    const learner = learners[0]!;
    const since = await lastPosition();
    const id = await issue(learner.id, unheldCourse(learner));
    const events = await recordedSince(since);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ subject: 'credentials.credential.issued', payload: await factsOf(id) });
    expect(events[0]!.payload).toMatchObject({ learnerId: learner.id, issuerId: ODL, visibility: 'PRIVATE' });
    expect(Object.keys(events[0]!.payload).sort()).toEqual(['courseId', 'credentialId', 'issuerId', 'learnerId', 'visibility']);
    const wire = JSON.stringify(events[0]!.payload);
    for (const personal of [learner.fullName, learner.email, learner.nric]) if (personal) expect(wire).not.toContain(personal);
  });

  it('records nothing for an issuance refused: an unknown learner, a second credential for a course, a bad id, a caller who may not issue', async () => {
    const learner = learners[1]!;
    const courseId = unheldCourse(learner);
    await issue(learner.id, courseId);
    const since = await lastPosition();
    const before = await credentialCount();
    for (const [who, input, code] of [
      [registrar, { learnerId: randomUUID(), courseId }, 'NOT_FOUND'],
      [registrar, { learnerId: learner.id, courseId }, 'CONFLICT'],
      [registrar, { learnerId: 'S1234567', courseId }, 'BAD_USER_INPUT'],
      ['LEARNER', { learnerId: learner.id, courseId: unheldCourse(learner, [courseId]) }, 'FORBIDDEN'],
    ] as const) {
      expect(codesOf(await graph.gateway.query(ISSUE, { as: who, variables: { input } })), JSON.stringify(input)).toEqual([code]);
    }
    expect(await credentialCount()).toBe(before);
    expect(await recordedSince(since)).toEqual([]);
  });

  it('records one event per credential of a cohort, in its order, none for the refused rows, and none again when it is replayed', async () => {
    const courseId = courseByCode.get('SE2301')!.id;
    const good = students.slice(0, 5).map((learnerId) => ({ learnerId, courseId }));
    const input = [good[0], { learnerId: randomUUID(), courseId }, ...good.slice(1), { learnerId: good[2]!.learnerId, courseId }];
    const since = await lastPosition();
    const first = (await graph.gateway.ok(COHORT, { as: records, variables: { input, key: 'outbox-cohort' } })).issueCredentials;
    expect(first).toMatchObject({ issued: 5, failed: 2 });
    const issued: string[] = first.results.flatMap((r: { credential: { id: string } | null }) => (r.credential ? [r.credential.id] : []));
    const events = await recordedSince(since);
    expect(events.map((e) => e.subject)).toEqual(Array(5).fill('credentials.credential.issued'));
    expect(events.map((e) => e.payload)).toEqual(await Promise.all(issued.map(factsOf)));

    // A retry, and two more at once, answer the first results and record nothing.
    const after = await lastPosition();
    const retries = await Promise.all([1, 2, 3].map(() => graph.gateway.ok(COHORT, { as: records, variables: { input, key: 'outbox-cohort' } })));
    for (const retry of retries) expect(retry.issueCredentials).toEqual(first);
    expect(await recordedSince(after)).toEqual([]);
  });

  it('answers a cohort raced by concurrent calls with one event per credential stored, whichever call stored it', async () => {
    const courseId = courseByCode.get('SE2302')!.id;
    const input = students.slice(5, 10).map((learnerId) => ({ learnerId, courseId }));
    const since = await lastPosition();
    await Promise.all(['race-a', 'race-b', 'race-c'].map((key) => graph.gateway.ok(COHORT, { as: records, variables: { input, key } })));
    const stored = await graph.connection.query<{ id: string }>('select id from credentials.credential where course_id = $1 and holder_id = any($2::uuid[])', [
      courseId,
      students.slice(5, 10),
    ]);
    expect(stored).toHaveLength(5);
    const events = await recordedSince(since);
    expect(events.map((e) => e.payload.credentialId).sort()).toEqual(stored.map((s) => s.id).sort());
  });

  it('keeps the statements of a cohort the same for 200 credentials as for 10, the events included', async () => {
    const cohort = (learnerIds: string[], courseCode: string, key: string) =>
      graph.statementsDuring(() =>
        graph.gateway.ok(COHORT, { as: records, variables: { input: learnerIds.map((learnerId) => ({ learnerId, courseId: courseByCode.get(courseCode)!.id })), key } }),
      );
    await cohort(students.slice(10, 20), 'SE2201', 'warm-up');
    const tenFrom = await lastPosition();
    const ten = await cohort(students.slice(10, 20), 'SE2401', 'ten');
    const hundredsFrom = await lastPosition();
    const twoHundred = await cohort(students.slice(20, 220), 'SE2402', 'two-hundred');
    expect(ten.result.issueCredentials.issued).toBe(10);
    expect(twoHundred.result.issueCredentials.issued).toBe(200);
    expect((await recordedSince(tenFrom)).filter((e) => e.position <= hundredsFrom)).toHaveLength(10);
    expect(await recordedSince(hundredsFrom)).toHaveLength(200);
    expect(twoHundred.statements).toBe(ten.statements);
  });

  it('issues nothing when its events cannot be recorded: the credentials and their events commit together', async () => {
    const learner = learners[2]!;
    const courseId = unheldCourse(learner);
    const since = await lastPosition();
    const before = await credentialCount();
    await graph.connection.query(`alter table credentials.outbox add constraint refuse_issued check (subject <> 'credentials.credential.issued') not valid`);
    try {
      const refused = await graph.gateway.query(ISSUE, { as: registrar, variables: { input: { learnerId: learner.id, courseId } } });
      expect(codesOf(refused)).toEqual(['INTERNAL_SERVER_ERROR']);
      const cohort = await graph.gateway.query(COHORT, { as: records, variables: { input: [{ learnerId: learner.id, courseId }], key: 'refused-by-outbox' } });
      expect(codesOf(cohort)).toEqual(['INTERNAL_SERVER_ERROR']);
    } finally {
      await graph.connection.query('alter table credentials.outbox drop constraint refuse_issued');
    }
    expect(await credentialCount()).toBe(before);
    expect(await recordedSince(since)).toEqual([]);
    // Nothing was half-written: the same cohort under the same key now issues and announces it.
    const retried = (await graph.gateway.ok(COHORT, { as: records, variables: { input: [{ learnerId: learner.id, courseId }], key: 'refused-by-outbox' } })).issueCredentials;
    expect(retried.issued).toBe(1);
    expect((await recordedSince(since)).map((e) => e.payload)).toEqual([await factsOf(retried.results[0].credential.id)]);
  });
});

describe('changing a credential records its event', () => {
  it('records credential.suspended, .reinstated and .revoked, one per change, with the visibility the holder chose', async () => {
    const learner = learners[3]!;
    const id = await issue(learner.id, unheldCourse(learner));
    // Shown to employers by its holder: the events say so, for the employers a partner's webhook may tell.
    expect((await graph.gateway.ok(VISIBILITY, { as: asLearner(learner), variables: { id, v: 'EMPLOYERS' } })).setCredentialVisibility.visibility).toBe('EMPLOYERS');
    const since = await lastPosition();
    for (const [change, status] of [
      [SUSPEND, 'SUSPENDED'],
      [REINSTATE, 'ACTIVE'],
      [SUSPEND, 'SUSPENDED'],
      [REVOKE, 'REVOKED'],
    ] as const) {
      const changed: Record<string, { status: string }> = await graph.gateway.ok(change, { as: registrar, variables: { id } });
      expect(Object.values(changed)[0]!.status).toBe(status);
    }
    const events = await recordedSince(since);
    expect(events.map((e) => e.subject)).toEqual([
      'credentials.credential.suspended',
      'credentials.credential.reinstated',
      'credentials.credential.suspended',
      'credentials.credential.revoked',
    ]);
    const facts = await factsOf(id);
    expect(facts.visibility).toBe('EMPLOYERS');
    for (const event of events) expect(event.payload).toEqual(facts);
  });

  it('records nothing for a change refused: not allowed from its status, not the caller’s credential, not the issuer', async () => {
    const learner = learners[4]!;
    const id = await issue(learner.id, unheldCourse(learner));
    const since = await lastPosition();
    expect(codesOf(await graph.gateway.query(REINSTATE, { as: registrar, variables: { id } }))).toEqual(['CONFLICT']);
    // Another provider's staff does not even see it (it is private to its holder and issuer).
    const otherStaff = { role: 'PROVIDER_STAFF', sub: staffAdminOf(providers.trainingProvider.id), providerId: providers.trainingProvider.id } as const;
    expect(codesOf(await graph.gateway.query(REVOKE, { as: otherStaff, variables: { id } }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await graph.gateway.query(REVOKE, { as: asLearner(learner), variables: { id } }))).toEqual(['FORBIDDEN']);
    await graph.gateway.ok(REVOKE, { as: registrar, variables: { id } });
    const revoked = await recordedSince(since);
    expect(revoked.map((e) => e.subject)).toEqual(['credentials.credential.revoked']);
    // Revoked is final: a second revocation, a suspension, a renewal are refused and record nothing.
    const after = await lastPosition();
    expect(codesOf(await graph.gateway.query(REVOKE, { as: registrar, variables: { id } }))).toEqual(['CONFLICT']);
    expect(codesOf(await graph.gateway.query(SUSPEND, { as: registrar, variables: { id } }))).toEqual(['CONFLICT']);
    const until = new Date(Date.now() + 365 * 86_400_000).toISOString();
    expect(codesOf(await graph.gateway.query(RENEW, { as: registrar, variables: { id, until } }))).toEqual(['CONFLICT']);
    expect(await recordedSince(after)).toEqual([]);
  });

  it('revokes nothing when its event cannot be recorded', async () => {
    const learner = learners[5]!;
    const id = await issue(learner.id, unheldCourse(learner));
    const since = await lastPosition();
    await graph.connection.query(`alter table credentials.outbox add constraint refuse_revoked check (subject <> 'credentials.credential.revoked') not valid`);
    try {
      expect(codesOf(await graph.gateway.query(REVOKE, { as: registrar, variables: { id } }))).toEqual(['INTERNAL_SERVER_ERROR']);
    } finally {
      await graph.connection.query('alter table credentials.outbox drop constraint refuse_revoked');
    }
    const [row] = await graph.connection.query<{ status: string }>('select status from credentials.credential where id = $1', [id]);
    expect(row!.status).toBe('ACTIVE');
    expect(await recordedSince(since)).toEqual([]);
  });

  it('records one credential.renewed for a renewal, naming the credential it replaces, and no credential.issued', async () => {
    const learner = learners[6]!;
    const id = await issue(learner.id, unheldCourse(learner));
    const since = await lastPosition();
    const until = new Date(Date.now() + 2 * 365 * 86_400_000).toISOString();
    const renewed = (await graph.gateway.ok(RENEW, { as: registrar, variables: { id, until } })).renewCredential;
    expect(renewed.renewalOf).toBe(id);
    const events = await recordedSince(since);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ subject: 'credentials.credential.renewed', payload: { ...(await factsOf(renewed.id)), replacesCredentialId: id } });
    expect(credentialRenewedEvent.data.parse(events[0]!.payload)).toEqual(events[0]!.payload);
    // A credential already renewed is not renewed again, and nothing is recorded.
    const after = await lastPosition();
    expect(codesOf(await graph.gateway.query(RENEW, { as: registrar, variables: { id, until } }))).toEqual(['CONFLICT']);
    expect(await recordedSince(after)).toEqual([]);
  });
});

/** Every credential event's contract, by subject: what a consumer parses the stream with. */
const CONTRACTS = new Map<string, EventContract<Record<string, unknown>>>(
  [credentialIssuedEvent, credentialRevokedEvent, credentialSuspendedEvent, credentialReinstatedEvent, credentialRenewedEvent].map((c) => [c.subject, c]),
);

describe('the relay', () => {
  it('publishes the events to the credentials stream in the order recorded, each versioned by its outbox position, and marks them published', async () => {
    const seen: Array<EventEnvelope<Record<string, unknown>>> = [];
    const subscription = await graph.events.subscribe({ producer: 'credentials', durable: 'credentials-outbox-test', subject: 'credentials.credential.>' });
    const listening = (async () => {
      for await (const delivery of subscription.messages) {
        const { subject } = JSON.parse(delivery.body) as EventEnvelope;
        seen.push(parseEvent(CONTRACTS.get(subject)!, delivery.body));
        delivery.ack();
      }
    })();
    try {
      const learner = learners[7]!;
      const since = await lastPosition();
      const id = await issue(learner.id, unheldCourse(learner));
      await graph.gateway.ok(SUSPEND, { as: registrar, variables: { id } });
      const until = new Date(Date.now() + 365 * 86_400_000).toISOString();
      const renewed = (await graph.gateway.ok(RENEW, { as: registrar, variables: { id, until } })).renewCredential.id as string;
      await graph.gateway.ok(REVOKE, { as: registrar, variables: { id: renewed } });

      const about = () => seen.filter((e) => e.version > since && !(e.data as { award?: unknown }).award);
      await eventually(() => about().length === 4, 'the four events on the broker');
      const recorded = await recordedSince(since);
      expect(about().map((e) => [e.subject, e.version, e.data])).toEqual(recorded.map((r) => [r.subject, r.position, r.payload]));
      expect(about().map((e) => e.subject)).toEqual([
        'credentials.credential.issued',
        'credentials.credential.suspended',
        'credentials.credential.renewed',
        'credentials.credential.revoked',
      ]);
      expect(about().map((e) => e.data.credentialId)).toEqual([id, id, renewed, renewed]);
      await eventually(async () => (await recordedSince(since)).every((r) => r.published), 'the rows marked published');
    } finally {
      await subscription.close();
      await listening;
    }
  });
});
