import { approvedHrdCorpCourses, courseByCode, courseId, learnerByKey, learners, schemes } from '@tauliah/demo-data';
import { codesOf } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A partner whose first call seems lost retries at once, while the first is still running: every
// idempotent mutation must then answer both calls with the first call's result, and do its work once.
let graph: TestGraph;
const TIMES = 5;

beforeAll(async () => {
  graph = await startTestGraph();
  // Counts every credential row an issuance tried to insert, even in a transaction that rolled back:
  // a sequence is never rolled back. Rows are inserted only once signed, so this counts signed credentials.
  await graph.connection.transaction(async (tx) => {
    await tx.exec('create sequence public.credential_insert_attempts');
    await tx.exec(`create function public.count_credential_insert() returns trigger language plpgsql as $$
      begin perform nextval('public.credential_insert_attempts'); return new; end $$`);
    await tx.exec('create trigger count_insert_attempts before insert on credentials.credential for each row execute function public.count_credential_insert()');
  });
});
afterAll(() => graph?.stop());

const count = async (statement: string, params: unknown[] = []) => Number((await graph.connection.query<{ n: string | number }>(statement, params))[0]!.n);
const together = <T>(call: () => Promise<T>) => Promise.all(Array.from({ length: TIMES }, call));

const ENROL = `mutation($input: EnrolLearnerInput!, $key: String) { enrolLearner(input: $input, idempotencyKey: $key) { replayed learner { id email } } }`;
const enrolment = (email: string, studentNumber = 'UTN2026-0123') => ({
  studentNumber,
  fullName: 'Nur Aina binti Hamzah',
  email,
  dateOfBirth: '2008-04-11',
  citizenship: 'MALAYSIAN',
  nric: '080411-10-5678',
  state: 'Selangor',
});

describe('enrolling a learner with an idempotency key', () => {
  it('answers concurrent retries with the one enrolment the first call made, never "already enrolled"', async () => {
    const input = enrolment('aina@student.example.my');
    const answers = await together(() => graph.gateway.query(ENROL, { as: 'PARTNER', variables: { input, key: 'sis-2026-000123' } }));
    for (const answer of answers) expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    const enrolments = answers.map((a) => a.data!.enrolLearner as { replayed: boolean; learner: { id: string } });
    expect(new Set(enrolments.map((r) => r.learner.id)).size).toBe(1);
    expect(enrolments.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await count('select count(*) as n from learners.learner where email = $1', [input.email])).toBe(1);
  });

  it('refuses the same key for a different student as a CONFLICT, even while the first call runs', async () => {
    const first = { ...enrolment('farid@student.example.my', 'UTN2026-0124'), nric: '080411-14-1111' };
    const other = { ...first, email: 'mei@student.example.my', nric: '080411-08-2222', studentNumber: 'UTN2026-0125' };
    const [a, b] = await Promise.all([
      graph.gateway.query(ENROL, { as: 'PARTNER', variables: { input: first, key: 'sis-2026-000124' } }),
      graph.gateway.query(ENROL, { as: 'PARTNER', variables: { input: other, key: 'sis-2026-000124' } }),
    ]);
    expect([...codesOf(a), ...codesOf(b)]).toEqual(['CONFLICT']);
    expect(await count(`select count(*) as n from learners.enrolment where idempotency_key = 'sis-2026-000124'`)).toBe(1);
  });
});

const COHORT = `mutation($input: [IssueCredentialInput!]!, $key: String!) {
  issueCredentials(input: $input, idempotencyKey: $key) { issued failed results { index credential { id } error { code } } }
}`;

describe('issuing a cohort with an idempotency key', () => {
  it('signs the cohort once however many calls race with its key, and answers each with the same credentials', async () => {
    // Learners who do not hold the course yet: a learner holds one credential per course.
    const course = courseByCode.get('SE2401')!;
    const input = learners.slice(8, 16).map((l) => ({ learnerId: l.id, courseId: course.id, issuedAt: '2025-06-30T00:00:00.000Z' }));
    // Credentials for courses: stacked awards the cohort completes arrive on their own.
    const credentialsBefore = await count('select count(*) as n from credentials.credential where course_id is not null');
    const attemptsBefore = await count('select case when is_called then last_value else 0 end as n from public.credential_insert_attempts');

    const answers = await together(() => graph.gateway.query(COHORT, { as: 'PARTNER', variables: { input, key: 'sis-cohort-2025-06' } }));
    for (const answer of answers) expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    const ids = answers.map((a) => JSON.stringify(a.data!.issueCredentials.results.map((r: { credential: { id: string } | null }) => r.credential?.id)));
    expect(new Set(ids).size).toBe(1);
    expect(answers[0]!.data!.issueCredentials).toMatchObject({ issued: input.length, failed: 0 });

    expect(await count('select count(*) as n from credentials.credential where course_id is not null')).toBe(credentialsBefore + input.length);
    // Nothing signed and thrown away: the calls that lost the race inserted nothing, not even in a rolled-back transaction.
    expect(await count('select case when is_called then last_value else 0 end as n from public.credential_insert_attempts')).toBe(attemptsBefore + input.length);
    expect(await count(`select count(*) as n from credentials.cohort_issuance where idempotency_key = 'sis-cohort-2025-06'`)).toBe(1);
  });
});

describe('funding submissions with an idempotency key', () => {
  it('answers concurrent B40 applications with one key with the one application the first call made', async () => {
    const aisyah = learnerByKey('aisyah');
    const APPLY = `mutation($input: ApplyForB40AidInput!) { applyForB40Aid(input: $input) { id status } }`;
    const input = { schemeId: schemes.b40Bursary.id, courseId: courseId('SE1201'), householdIncomeSen: 310_000, evidenceReference: 'STR-2026-0042', idempotencyKey: 'aisyah-se1201' };
    const declarations = () => count('select count(*) as n from funding.income_declaration where learner_id = $1', [aisyah.id]);
    const declaredBefore = await declarations();
    const answers = await together(() => graph.gateway.query(APPLY, { as: { role: 'LEARNER', sub: aisyah.id }, variables: { input } }));
    for (const answer of answers) expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    expect(new Set(answers.map((a) => a.data!.applyForB40Aid.id)).size).toBe(1);
    expect(await count(`select count(*) as n from funding.application where idempotency_key = 'aisyah-se1201'`)).toBe(1);
    expect(await declarations()).toBe(declaredBefore + 1);
  });

  it("answers concurrent HRD Corp claims with one key with the one claim the first call made", async () => {
    const CLAIM = `mutation($input: ClaimHrdCorpGrantInput!) { claimHrdCorpGrant(input: $input) { id } }`;
    const input = { schemeId: schemes.hrdCorpMicroCredential.id, learnerId: learnerByKey('faizal').id, courseId: courseId(approvedHrdCorpCourses[1]), idempotencyKey: 'perisian-claim-1' };
    const answers = await together(() => graph.gateway.query(CLAIM, { as: 'EMPLOYER', variables: { input } }));
    for (const answer of answers) expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    expect(new Set(answers.map((a) => a.data!.claimHrdCorpGrant.id)).size).toBe(1);
    expect(await count(`select count(*) as n from funding.application where idempotency_key = 'perisian-claim-1'`)).toBe(1);
  });

  it('answers concurrent course submissions with one key with the one submission the first call made', async () => {
    const SUBMIT = `mutation($scheme: ID!, $course: ID!) { submitCourseForScheme(schemeId: $scheme, courseId: $course, idempotencyKey: "utn-2026-se1101") { id status } }`;
    const variables = { scheme: schemes.hrdCorpMicroCredential.id, course: courseId('SE1101') };
    const answers = await together(() => graph.gateway.query(SUBMIT, { as: 'PROVIDER_STAFF', variables }));
    for (const answer of answers) expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    expect(new Set(answers.map((a) => a.data!.submitCourseForScheme.id)).size).toBe(1);
    expect(await count(`select count(*) as n from funding.course_approval where idempotency_key = 'utn-2026-se1101'`)).toBe(1);
  });
});
