import { learnerEnrolledEvent, learnerEnrolmentEndedEvent, type EventContract } from '@tauliah/core';
import { bdse, courseByCode, credentials as demoCredentials, demoId, enrolmentOf, learnerByKey, providers, staffAdminOf } from '@tauliah/demo-data';
import { codesOf, eventually, type Who } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * One learner, many institutions, the credentials side: a provider's student
 * records system issues by its own student numbers, never our ids; a learner
 * holds one credential per course (renewal replaces it); a provider lists
 * what it issued to reconcile with its records; and what a provider may read
 * of a learner's progress ends with its enrolment.
 */
let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const odlRecords: Who = 'PARTNER';
const odlRegistrar: Who = 'PROVIDER_STAFF';
const staffOf = (providerId: string): Who => ({ role: 'PROVIDER_STAFF', sub: staffAdminOf(providerId), providerId });
const aktTrainer = staffOf(providers.trainingProvider.id);
const uasRegistrar = staffOf(providers.publicUniversity.id);
const asLearner = (id: string): Who => ({ role: 'LEARNER', sub: id });

const aisyah = learnerByKey('aisyah');
const daniel = learnerByKey('daniel');
const farah = learnerByKey('farah');
const grace = learnerByKey('grace');
const priya = learnerByKey('priya');
const studentNumberOf = (key: string, providerId: string) => enrolmentOf(key, providerId).studentNumber;

const ISSUE = `mutation($input: IssueCredentialInput!) {
  issueCredential(input: $input) { id status studentNumber renewalOf holder { id } course { id } issuer { id } }
}`;
const COHORT = `mutation($input: [IssueCredentialInput!]!, $key: String!) {
  issueCredentials(input: $input, idempotencyKey: $key) {
    issued failed results { index credential { id studentNumber holder { id } } error { code message credentialId } }
  }
}`;
const RENEW = `mutation($id: ID!, $until: DateTimeISO!) { renewCredential(id: $id, validUntil: $until) { id renewalOf status studentNumber } }`;
const REVOKE = `mutation($id: ID!) { revokeCredential(id: $id, reason: "Issued in error") { id status } }`;
const ISSUED = `query($filter: IssuedCredentialsFilter, $providerId: ID, $first: Int, $after: String) {
  issuedCredentials(filter: $filter, providerId: $providerId, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id issuedAt status studentNumber holder { id } course { id } issuer { id } } }
  }
}`;

const credentialCount = async () => Number((await graph.connection.query<{ n: string }>('select count(*) as n from credentials.credential'))[0]!.n);

async function issue(who: Who, input: Record<string, unknown>) {
  return graph.gateway.query(ISSUE, { as: who, variables: { input } });
}

describe('issuing by student number', () => {
  it("issues to the learner the caller's provider enrolled under that number, as the learners service keeps it", async () => {
    const number = studentNumberOf('daniel', providers.odl.id);
    // The student records system sends its number as it has it: case and spaces do not matter.
    const issued = (await graph.gateway.ok(ISSUE, { as: odlRecords, variables: { input: { studentNumber: ` ${number.toLowerCase()} `, courseId: courseByCode.get('SE1101')!.id } } }))
      .issueCredential;
    expect(issued).toMatchObject({ status: 'ACTIVE', studentNumber: number, holder: { id: daniel.id }, issuer: { id: providers.odl.id } });
    const [row] = await graph.connection.query<{ holder_id: string; student_number: string }>('select holder_id, student_number from credentials.credential where id = $1', [issued.id]);
    expect(row).toEqual({ holder_id: daniel.id, student_number: number });

    // The learner sees it among their credentials, with the number their provider knows them by.
    const mine = await graph.gateway.ok(`{ me { credentials { id studentNumber } } }`, { as: asLearner(daniel.id) });
    expect(mine.me.credentials).toContainEqual({ id: issued.id, studentNumber: number });
  });

  it('follows each enrolment: a learner studying at two providers is found by each under its own number', async () => {
    const pcb = courseByCode.get('AKT-PCB')!;
    const issued = (await graph.gateway.ok(ISSUE, { as: aktTrainer, variables: { input: { studentNumber: studentNumberOf('aisyah', providers.trainingProvider.id), courseId: pcb.id } } }))
      .issueCredential;
    expect(issued).toMatchObject({ holder: { id: aisyah.id }, issuer: { id: providers.trainingProvider.id }, studentNumber: 'AKT/25/0412' });
  });

  it("answers another provider's student, an ended enrolment and an unknown number alike: NOT_FOUND naming only the number", async () => {
    const fa = courseByCode.get('AKT-FA')!;
    const before = await credentialCount();
    const odlNumber = studentNumberOf('aisyah', providers.odl.id);
    const otherProviders = await issue(aktTrainer, { studentNumber: odlNumber, courseId: fa.id });
    const unknown = await issue(aktTrainer, { studentNumber: 'AKT/99/0001', courseId: fa.id });
    for (const [response, number] of [
      [otherProviders, odlNumber],
      [unknown, 'AKT/99/0001'],
    ] as const) {
      expect(response.errors).toEqual([
        {
          message: `Learner with student number ${number} does not exist.`,
          path: ['issueCredential'],
          extensions: { code: 'NOT_FOUND', entity: 'Learner with student number', id: number },
        },
      ]);
    }
    // Grace left the public university: its number for her names nobody now.
    const ended = await issue(uasRegistrar, { studentNumber: studentNumberOf('grace', providers.publicUniversity.id), courseId: courseByCode.get('CS1010')!.id });
    expect(codesOf(ended)).toEqual(['NOT_FOUND']);
    expect(JSON.stringify(ended.errors)).not.toContain(grace.id);
    expect(await credentialCount()).toBe(before);
  });

  it('refuses input naming the learner both ways, neither way, or by a malformed number, before anything is issued', async () => {
    const courseId = courseByCode.get('SE1102')!.id;
    const number = studentNumberOf('farah', providers.odl.id);
    const before = await credentialCount();
    for (const input of [
      { learnerId: farah.id, studentNumber: number, courseId },
      { courseId },
      { studentNumber: '', courseId },
      { studentNumber: 'UTN 2025 0009', courseId },
      { studentNumber: 'X'.repeat(65), courseId },
      { studentNumber: number, courseId: 'SE1102' },
    ]) {
      const response = await issue(odlRecords, input);
      expect(codesOf(response), JSON.stringify(input)).toEqual(['BAD_USER_INPUT']);
    }
    expect((await issue(odlRecords, { learnerId: farah.id, studentNumber: number, courseId })).errors![0]!.message).toMatch(/exactly one of learnerId .* and studentNumber/);
    expect(await credentialCount()).toBe(before);
  });

  it('is for the staff and partner systems of a provider only', async () => {
    const input = { studentNumber: studentNumberOf('farah', providers.odl.id), courseId: courseByCode.get('SE1102')!.id };
    for (const who of ['LEARNER', 'EMPLOYER', 'FUNDER', 'ADMIN'] as const) expect(codesOf(await issue(who, input)), who).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(ISSUE, { variables: { input } }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('one credential per learner and course', () => {
  it('refuses a second credential for a course with a CONFLICT naming the one held, by learner id or student number', async () => {
    const courseId = courseByCode.get('SE1201')!.id;
    const number = studentNumberOf('farah', providers.odl.id);
    const first = (await graph.gateway.ok(ISSUE, { as: odlRegistrar, variables: { input: { learnerId: farah.id, courseId } } })).issueCredential;
    const before = await credentialCount();
    for (const input of [{ learnerId: farah.id, courseId }, { studentNumber: number, courseId }]) {
      const again = await issue(odlRecords, input);
      expect(codesOf(again)).toEqual(['CONFLICT']);
      expect(again.errors![0]!.extensions).toEqual({ code: 'CONFLICT', credentialId: first.id });
      expect(again.errors![0]!.message).toContain(first.id);
      expect(again.errors![0]!.message).toContain('renewCredential');
    }
    expect(await credentialCount()).toBe(before);
  });

  it('counts a lapsed credential until it is renewed, and a revoked one no more: renewal replaces, revocation frees the course', async () => {
    const fa = courseByCode.get('AKT-FA')!;
    const number = studentNumberOf('priya', providers.trainingProvider.id);
    const lapsed = demoId('credential:priya:AKT-FA');
    expect(demoCredentials.find((c) => c.id === lapsed)).toBeDefined();
    const refused = await issue(aktTrainer, { studentNumber: number, courseId: fa.id });
    expect(refused.errors![0]!.extensions).toEqual({ code: 'CONFLICT', credentialId: lapsed });

    const until = new Date(Date.now() + 3 * 365 * 86_400_000).toISOString();
    const renewed = (await graph.gateway.ok(RENEW, { as: aktTrainer, variables: { id: lapsed, until } })).renewCredential;
    expect(renewed).toMatchObject({ renewalOf: lapsed, status: 'ACTIVE' });
    expect((await issue(aktTrainer, { studentNumber: number, courseId: fa.id })).errors![0]!.extensions).toEqual({ code: 'CONFLICT', credentialId: renewed.id });

    await graph.gateway.ok(REVOKE, { as: aktTrainer, variables: { id: renewed.id } });
    const reissued = (await graph.gateway.ok(ISSUE, { as: aktTrainer, variables: { input: { studentNumber: number, courseId: fa.id } } })).issueCredential;
    expect(reissued).toMatchObject({ status: 'ACTIVE', holder: { id: priya.id }, studentNumber: number });
  });

  it('answers issuances of one credential racing each other with one credential, and CONFLICTs naming it', async () => {
    const courseId = courseByCode.get('SE1301')!.id;
    const number = studentNumberOf('farah', providers.odl.id);
    const before = await credentialCount();
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? issue(odlRecords, { studentNumber: number, courseId }) : issue(odlRegistrar, { learnerId: farah.id, courseId }))),
    );
    const issued = answers.filter((a) => !a.errors).map((a) => a.data!.issueCredential.id as string);
    expect(issued).toHaveLength(1);
    for (const refused of answers.filter((a) => a.errors)) expect(refused.errors![0]!.extensions).toEqual({ code: 'CONFLICT', credentialId: issued[0] });
    expect(await credentialCount()).toBe(before + 1);

    // Cohorts under different keys race the same way, row by row.
    const cohort = (key: string) =>
      graph.gateway.ok(COHORT, { as: odlRecords, variables: { input: [{ studentNumber: number, courseId: courseByCode.get('SE1302')!.id }], key } });
    const cohorts = (await Promise.all(['race-a', 'race-b', 'race-c'].map(cohort))).map((c) => c.issueCredentials.results[0]);
    const won = cohorts.filter((r) => r.credential).map((r) => r.credential.id);
    expect(won).toHaveLength(1);
    for (const lost of cohorts.filter((r) => r.error)) expect(lost.error).toMatchObject({ code: 'CONFLICT', credentialId: won[0] });
  });

  it('is guarded by the database itself, whatever writes the row', async () => {
    const [held] = await graph.connection.query<{ holder_id: string; course_id: string; issuer_id: string }>(
      `select holder_id, course_id, issuer_id from credentials.credential where status = 'ACTIVE' and replaced_by is null limit 1`,
    );
    const second = graph.connection.query(
      `insert into credentials.credential (holder_id, course_id, issuer_id, title, issued_at) values ($1, $2, $3, 'Again', now())`,
      [held!.holder_id, held!.course_id, held!.issuer_id],
    );
    await expect(second).rejects.toThrow(/credential_one_per_course_idx/);
  });
});

describe('a cohort by student numbers', () => {
  const course = courseByCode.get('SE1202')!;
  let enrolled: Array<{ studentNumber: string; learnerId: string }> = [];

  beforeAll(async () => {
    // Forty new students, more than one graph read of student numbers holds: the learners service registers them.
    const input = Array.from({ length: 40 }, (_, i) => {
      const day = String((i % 28) + 1).padStart(2, '0');
      return {
        studentNumber: `UTN2026-${String(i + 1).padStart(4, '0')}`,
        fullName: `Pelajar ${i + 1} binti Ahmad`,
        email: `pelajar${i + 1}@student.utn.example.my`,
        dateOfBirth: `2005-03-${day}`,
        citizenship: 'MALAYSIAN',
        nric: `0503${day}-10-${String(5000 + i).padStart(4, '0')}`,
      };
    });
    const ENROL = `mutation($input: [EnrolLearnerInput!]!) { enrolLearners(input: $input, idempotencyKey: "utn-intake-2026") { failed results { learner { id } error { message } } } }`;
    const { enrolLearners } = await graph.gateway.ok(ENROL, { as: odlRecords, variables: { input } });
    expect(enrolLearners.failed, JSON.stringify(enrolLearners.results.filter((r: { error: unknown }) => r.error))).toBe(0);
    enrolled = input.map((row, i) => ({ studentNumber: row.studentNumber, learnerId: enrolLearners.results[i].learner.id }));
  });

  it('issues each row, refuses the duplicate, the repeat and the unknown number per row, and a retry issues nothing twice', async () => {
    const held = (await graph.gateway.ok(ISSUE, { as: odlRecords, variables: { input: { studentNumber: enrolled[5]!.studentNumber, courseId: course.id } } })).issueCredential;
    const input = [
      ...enrolled.map((e) => ({ studentNumber: e.studentNumber, courseId: course.id, issuedAt: '2026-01-15T00:00:00.000Z' })),
      // Already holds it; the same student twice in one cohort; nobody of ours; both ways at once.
      { studentNumber: enrolled[0]!.studentNumber.toLowerCase(), courseId: course.id },
      { studentNumber: 'UTN2026-9999', courseId: course.id },
      { learnerId: enrolled[1]!.learnerId, studentNumber: enrolled[1]!.studentNumber, courseId: course.id },
    ];
    const before = await credentialCount();
    const first = (await graph.gateway.ok(COHORT, { as: odlRecords, variables: { input, key: 'utn-awards-2026-01' } })).issueCredentials;
    expect(first).toMatchObject({ issued: 39, failed: 4 });
    const results = first.results as Array<{ credential: { id: string; studentNumber: string; holder: { id: string } } | null; error: { code: string; message: string; credentialId: string | null } | null }>;
    expect(results[5]!.error).toMatchObject({ code: 'CONFLICT', credentialId: held.id });
    expect(results[40]!.error).toMatchObject({ code: 'CONFLICT', credentialId: results[0]!.credential!.id });
    expect(results[41]!.error).toEqual({ code: 'NOT_FOUND', message: 'Learner with student number UTN2026-9999 does not exist.', credentialId: null });
    expect(results[42]!.error).toMatchObject({ code: 'BAD_USER_INPUT', credentialId: null });
    enrolled.forEach((e, i) => {
      if (i !== 5) expect(results[i]!.credential).toMatchObject({ studentNumber: e.studentNumber, holder: { id: e.learnerId } });
    });
    expect(await credentialCount()).toBe(before + 39);

    const retry = (await graph.gateway.ok(COHORT, { as: odlRecords, variables: { input, key: 'utn-awards-2026-01' } })).issueCredentials;
    expect(retry).toEqual(first);
    expect(await credentialCount()).toBe(before + 39);
    // The same cohort under a new key issues nothing new: every row is now held.
    const again = (await graph.gateway.ok(COHORT, { as: odlRecords, variables: { input: input.slice(0, 40), key: 'utn-awards-2026-01-again' } })).issueCredentials;
    expect(again).toMatchObject({ issued: 0, failed: 40 });
    expect(again.results.every((r: { error: { code: string } }) => r.error.code === 'CONFLICT')).toBe(true);
  });
});

describe('issuedCredentials: what a provider issued, for reconciliation', () => {
  type Node = { id: string; issuedAt: string; status: string; studentNumber: string | null; holder: { id: string }; course: { id: string }; issuer: { id: string } };

  /** Every page of a listing, walked with the cursors. */
  async function walk(who: Who, variables: Record<string, unknown>, first: number): Promise<Node[]> {
    const nodes: Node[] = [];
    let after: string | null = null;
    for (;;) {
      type Page = { edges: Array<{ node: Node }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      const page: Page = (await graph.gateway.ok(ISSUED, { as: who, variables: { ...variables, first, after } })).issuedCredentials;
      nodes.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) return nodes;
      after = page.pageInfo.endCursor;
    }
  }

  /** What the database holds for an issuer, newest first: the truth a listing must match. */
  async function issuedIn(issuerId: string, where = 'true', params: unknown[] = []): Promise<string[]> {
    const rows = await graph.connection.query<{ id: string }>(
      `select id from credentials.credential where issuer_id = $1 and ${where} order by issued_at desc, id desc`,
      [issuerId, ...params],
    );
    return rows.map((r) => r.id);
  }

  it('lists every credential the provider issued, newest first, across pages, with the student number where it issued by one', async () => {
    const akt = await walk(aktTrainer, {}, 2);
    expect(akt.map((n) => n.id)).toEqual(await issuedIn(providers.trainingProvider.id));
    expect(akt.every((n) => n.issuer.id === providers.trainingProvider.id)).toBe(true);
    const byNumber = akt.filter((n) => n.studentNumber !== null);
    expect(byNumber.length).toBeGreaterThan(0);
    expect(new Set(byNumber.map((n) => n.holder.id))).toEqual(new Set([aisyah.id, priya.id]));

    const odl = await walk(odlRecords, {}, 100);
    expect(odl.map((n) => n.id)).toEqual(await issuedIn(providers.odl.id));
    // Another provider's credentials never appear, whoever holds them.
    expect(odl.some((n) => akt.some((a) => a.id === n.id))).toBe(false);
  });

  it('filters by course, status and issue date, each against what the database holds', async () => {
    const se1101 = courseByCode.get('SE1101')!.id;
    const byCourse = await walk(odlRegistrar, { filter: { courseId: se1101 } }, 5);
    expect(byCourse.map((n) => n.id)).toEqual(await issuedIn(providers.odl.id, 'course_id = $2', [se1101]));

    const window = { issuedAfter: '2025-03-01T00:00:00.000Z', issuedBefore: '2025-06-01T00:00:00.000Z' };
    const inWindow = await walk(odlRegistrar, { filter: window }, 10);
    expect(inWindow.length).toBeGreaterThan(0);
    expect(inWindow.map((n) => n.id)).toEqual(await issuedIn(providers.odl.id, 'issued_at >= $2 and issued_at < $3', [window.issuedAfter, window.issuedBefore]));

    const revoked = await walk(aktTrainer, { filter: { status: ['REVOKED'] } }, 10);
    expect(revoked.map((n) => n.id)).toEqual(await issuedIn(providers.trainingProvider.id, `status = 'REVOKED'`));
    expect(revoked.length).toBeGreaterThan(0);
    // EXPIRED is read from expiry, as Credential.status reads it: Priya's lapsed first-aid certificate (renewed, then its renewal revoked).
    const expired = await walk(aktTrainer, { filter: { status: ['EXPIRED'] } }, 10);
    expect(expired.map((n) => n.id)).toEqual([demoId('credential:priya:AKT-FA')]);
    expect(expired.every((n) => n.status === 'EXPIRED')).toBe(true);
    const active = await walk(aktTrainer, { filter: { status: ['ACTIVE', 'SUSPENDED'], courseId: courseByCode.get('AKT-FA')!.id } }, 10);
    expect(active.map((n) => n.status)).toEqual(['ACTIVE']);
  });

  it('counts only when asked, and costs the same statements for a page of 5 as of 50', async () => {
    const total = (await graph.gateway.ok(ISSUED, { as: odlRegistrar, variables: { first: 1 } })).issuedCredentials.totalCount;
    expect(total).toBe((await issuedIn(providers.odl.id)).length);
    const PAGE = `query($first: Int) { issuedCredentials(first: $first) { edges { node { id studentNumber holder { id } skills { code } } } } }`;
    const cost = async (first: number) => (await graph.statementsDuring(() => graph.gateway.ok(PAGE, { as: odlRecords, variables: { first } }))).statements;
    await cost(1); // the staff check is remembered after the first request
    const [five, fifty] = [await cost(5), await cost(50)];
    expect(five).toBe(fifty);
  });

  it('shows the student number to the issuer, the holder and administrators only', async () => {
    const [row] = await graph.connection.query<{ id: string }>(`select id from credentials.credential where holder_id = $1 and student_number is not null limit 1`, [daniel.id]);
    const QUERY = `query($id: ID!) { credential(id: $id) { id studentNumber } }`;
    const read = async (who: Who) => (await graph.gateway.query(QUERY, { as: who, variables: { id: row!.id } })).data?.credential;
    expect((await read(odlRecords)).studentNumber).toBe(studentNumberOf('daniel', providers.odl.id));
    expect((await read(asLearner(daniel.id))).studentNumber).toBe(studentNumberOf('daniel', providers.odl.id));
    expect((await read('ADMIN')).studentNumber).toBe(studentNumberOf('daniel', providers.odl.id));
    // Shown to employers by its holder, the credential is; the provider's number for him is not.
    await graph.gateway.ok(`mutation($id: ID!) { setCredentialVisibility(id: $id, visibility: EMPLOYERS) { id } }`, { as: asLearner(daniel.id), variables: { id: row!.id } });
    expect(await read('EMPLOYER')).toEqual({ id: row!.id, studentNumber: null });
  });

  it("is for a provider's staff and partners, an administrator naming the provider; never another provider's list", async () => {
    const odl = providers.odl.id;
    expect(codesOf(await graph.gateway.query(ISSUED, { as: aktTrainer, variables: { providerId: odl } }))).toEqual(['FORBIDDEN']);
    for (const who of ['LEARNER', 'EMPLOYER', 'FUNDER'] as const) expect(codesOf(await graph.gateway.query(ISSUED, { as: who })), who).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(ISSUED, {}))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await graph.gateway.query(ISSUED, { as: 'ADMIN' }))).toEqual(['BAD_USER_INPUT']);
    const asAdmin = (await graph.gateway.ok(ISSUED, { as: 'ADMIN', variables: { providerId: providers.trainingProvider.id, first: 100 } })).issuedCredentials;
    expect(asAdmin.edges.map((e: { node: Node }) => e.node.id)).toEqual(await issuedIn(providers.trainingProvider.id));
    // The provider's own id is accepted from its staff.
    expect(codesOf(await graph.gateway.query(ISSUED, { as: odlRegistrar, variables: { providerId: odl, first: 1 } }))).toEqual([]);
  });

  it('refuses a bad page size, a cursor it did not make, a reversed date window, a malformed course and an empty status list', async () => {
    for (const variables of [
      { first: 0 },
      { first: 101 },
      { after: 'not-a-cursor' },
      { after: Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url') },
      { filter: { issuedAfter: '2025-06-01T00:00:00.000Z', issuedBefore: '2025-03-01T00:00:00.000Z' } },
      { filter: { courseId: 'SE1101' } },
      { filter: { status: [] } },
    ]) {
      expect(codesOf(await graph.gateway.query(ISSUED, { as: odlRegistrar, variables })), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe("a provider's reach ends with the enrolment", () => {
  const PROGRESS = `query($id: ID!, $learnerId: ID!) { pathway(id: $id) { progress(learnerId: $learnerId) { creditsEarned } } }`;
  const progressOf = (learnerId: string, who: Who) => graph.gateway.query(PROGRESS, { as: who, variables: { id: bdse.id, learnerId } });
  const mayRead = async (learnerId: string) => codesOf(await progressOf(learnerId, odlRegistrar)).length === 0;

  /** An event as the learners service's relay sends it. */
  const event = <T>(contract: EventContract<T>, data: T, version: number) => ({
    id: randomUUID(),
    subject: contract.subject,
    version,
    occurredAt: new Date().toISOString(),
    data: contract.data.parse(data),
  });

  /** The enrolment credentials keeps for a pair: [version, ended]. */
  async function kept(learnerId: string, providerId: string): Promise<[number, boolean] | undefined> {
    const [row] = await graph.connection.query<{ version: string | number; ended_at: Date | null }>(
      'select version, ended_at from credentials.learner_enrolment where learner_id = $1 and provider_id = $2',
      [learnerId, providerId],
    );
    return row && [Number(row.version), row.ended_at !== null];
  }

  it('refuses pathway progress once the enrolment-ended event arrives, and an older "enrolled" arriving late does not revive it', async () => {
    const odl = providers.odl.id;
    expect(await mayRead(farah.id)).toBe(true);
    await graph.events.publish(event(learnerEnrolmentEndedEvent, { learnerId: farah.id, providerId: odl }, 1_000_000));
    await eventually(async () => !(await mayRead(farah.id)), 'the ended enrolment to take the provider’s reach away');
    const refused = await progressOf(farah.id, odlRegistrar);
    expect(codesOf(refused)).toEqual(['FORBIDDEN']);
    expect(await kept(farah.id, odl)).toEqual([1_000_000, true]);

    // An "enrolled" the ending overtook, then a marker on the same consumer: once the marker is in, the stale event was handled.
    const marker = randomUUID();
    await graph.events.publish(event(learnerEnrolledEvent, { learnerId: farah.id, providerId: odl }, 999_999));
    await graph.events.publish(event(learnerEnrolledEvent, { learnerId: marker, providerId: odl }, 1_000_001));
    await eventually(async () => (await kept(marker, odl)) !== undefined, 'the enrolled consumer to catch up');
    expect(await kept(farah.id, odl)).toEqual([1_000_000, true]);
    expect(await mayRead(farah.id)).toBe(false);

    // Enrolled again, later: the provider reads her progress again; a repeat of the ending changes nothing.
    await graph.events.publish(event(learnerEnrolledEvent, { learnerId: farah.id, providerId: odl }, 1_000_002));
    await eventually(() => mayRead(farah.id), 'the new enrolment to restore the provider’s reach');
    const endedMarker = randomUUID();
    await graph.events.publish(event(learnerEnrolmentEndedEvent, { learnerId: farah.id, providerId: odl }, 1_000_000));
    await graph.events.publish(event(learnerEnrolmentEndedEvent, { learnerId: endedMarker, providerId: odl }, 1_000_003));
    await eventually(async () => (await kept(endedMarker, odl)) !== undefined, 'the ended consumer to catch up');
    expect(await kept(farah.id, odl)).toEqual([1_000_002, false]);
    expect(await mayRead(farah.id)).toBe(true);
  });

  it('follows the learner ending their enrolment themselves, through the learners service and its events', async () => {
    expect(await mayRead(daniel.id)).toBe(true);
    const END = `mutation($id: ID!) { endMyEnrolment(enrolmentId: $id) { id } }`;
    await graph.gateway.ok(END, { as: asLearner(daniel.id), variables: { id: enrolmentOf('daniel', providers.odl.id).id } });
    await eventually(async () => !(await mayRead(daniel.id)), 'the ending to reach credentials');
    // Progress on his own account is untouched.
    expect(codesOf(await progressOf(daniel.id, asLearner(daniel.id)))).toEqual([]);
  });
});
