import { learnerByKey } from '@tauliah/demo-data';
import { codesOf } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENROL, ENROL_MANY, newForeignStudent, newStudent, ODL, odlPartner, uasPartner, withOtherBirthday } from './enrolment.support.ts';

// A student records system pushes a whole intake in one call: up to 10,000 rows, each answered on its own, and a
// retry (its answer lost) enrols nobody twice.
let graph: TestGraph;

beforeAll(async () => {
  // 10,000 rows take the learners service ~15 s on a quiet machine; a loaded one (two test files on two cores) must not turn that into a timeout.
  graph = await startTestGraph({ settings: { SUBGRAPH_TIMEOUTS_MS: 'learners=180000' } });
});
afterAll(() => graph?.stop());

type Row = Record<string, unknown>;
interface Batch {
  idempotencyKey: string;
  replayed: boolean;
  enrolled: number;
  linked: number;
  failed: number;
  results: Array<{ index: number; outcome: string | null; learner: { id: string } | null; enrolment: { id: string; studentNumber: string } | null; error: { code: string; message: string } | null }>;
}

const enrolMany = async (input: Row[], key: string, as = odlPartner): Promise<Batch> => (await graph.gateway.ok(ENROL_MANY, { as, variables: { input, key } })).enrolLearners;
const count = async (statement: string, params: unknown[] = []) => Number((await graph.connection.query<{ n: number | string }>(statement, params))[0]!.n);
const faizal = learnerByKey('faizal');
const aisyah = learnerByKey('aisyah');

/**
 * An intake of `size` rows in the same proportions whatever the size: new students (some non-citizens), students
 * registered already (enrolled by another provider first), and rows refused for their content or for repeating another.
 */
async function intake(size: number, tag: string): Promise<{ rows: Row[]; registered: Map<number, string> }> {
  const rows: Row[] = Array.from({ length: size }, (_, i) => (i % 10 === 9 ? newForeignStudent({ studentNumber: `${tag}-${i}` }) : newStudent({ studentNumber: `${tag}-${i}` })));
  // Every 50th student is registered already, by the public university's student records (one intake of its own).
  const earlierRows = Array.from({ length: Math.ceil((size - 3) / 50) }, (_, j) => 3 + j * 50);
  const earlier = await enrolMany(
    earlierRows.map((i) => ({ ...rows[i], studentNumber: `UAS-${tag}-${i}` })),
    `uas-${tag}`,
    uasPartner,
  );
  expect(earlier.enrolled).toBe(earlierRows.length);
  const registered = new Map(earlierRows.map((i, j) => [i, earlier.results[j]!.learner!.id]));
  rows[1] = { ...rows[1], email: 'nope' };
  rows[2] = withOtherBirthday(rows[2] as { dateOfBirth: string });
  rows[5] = { ...rows[5], studentNumber: rows[4]!.studentNumber };
  rows[6] = { ...rows[0], studentNumber: `${tag}-again` };
  return { rows, registered };
}

describe('enrolling a whole intake at once', () => {
  let rows: Row[];
  let registered: Map<number, string>;
  let first: Batch;

  it('answers each of 10,000 rows: a new learner, a registered one linked, or a coded error with its index', async () => {
    ({ rows, registered } = await intake(10_000, 'I26'));
    const began = performance.now();
    first = await enrolMany(rows, 'sis-intake-2026');
    console.info(`enrolLearners: 10,000 rows in ${Math.round(performance.now() - began)} ms through the gateway`);
    expect(first.results).toHaveLength(10_000);
    expect(first.results.map((r) => r.index)).toEqual(rows.map((_, i) => i));
    expect(first).toMatchObject({ idempotencyKey: 'sis-intake-2026', replayed: false, failed: 4, linked: registered.size, enrolled: 10_000 - 4 - registered.size });

    expect(first.results[1]).toMatchObject({ outcome: null, learner: null, enrolment: null, error: { code: 'BAD_USER_INPUT', message: 'Invalid input.1: input.1.email must be an email address.' } });
    expect(first.results[2]!.error).toEqual({ code: 'BAD_USER_INPUT', message: 'Invalid input.2: input.2.nric does not match dateOfBirth (its first six digits are the date of birth, YYMMDD).' });
    expect(first.results[5]!.error).toEqual({ code: 'CONFLICT', message: `Student number I26-4 is also given to row 4 of this request: each student needs their own.` });
    expect(first.results[6]!.error).toEqual({ code: 'CONFLICT', message: 'This row describes the same person as row 0 of this request (the same identity document and date of birth).' });
    for (const [i, learnerId] of registered) expect(first.results[i]).toMatchObject({ outcome: 'LINKED', learner: { id: learnerId }, error: null });
    expect(first.results[0]).toMatchObject({ outcome: 'ENROLLED', enrolment: { studentNumber: 'I26-0' }, error: null });
    expect(new Set(first.results.flatMap((r) => (r.learner ? [r.learner.id] : []))).size).toBe(10_000 - 4);

    expect(await count(`select count(*) as n from learners.enrolment where idempotency_key = 'sis-intake-2026'`)).toBe(10_000 - 4);
    expect(await count(`select count(*) as n from learners.enrolment where provider_id = $1 and student_number like 'I26-%'`, [ODL])).toBe(10_000 - 4);
    const enrolledEvents = await count(
      `select count(*) as n from learners.outbox o join learners.enrolment e on e.learner_id = (o.payload->>'learnerId')::uuid and e.provider_id = (o.payload->>'providerId')::uuid
       where o.subject = 'learners.learner.enrolled' and e.idempotency_key = 'sis-intake-2026'`,
    );
    expect(enrolledEvents).toBe(10_000 - 4);
  }, 180_000);

  it('answers a retry with the same key with the same results, and enrols nobody twice', async () => {
    const learnersBefore = await count('select count(*) as n from learners.learner');
    const eventsBefore = await count('select count(*) as n from learners.outbox');
    const retry = await enrolMany(rows, 'sis-intake-2026');
    expect(retry).toEqual({ ...first, replayed: true });
    expect(await count('select count(*) as n from learners.learner')).toBe(learnersBefore);
    expect(await count('select count(*) as n from learners.outbox')).toBe(eventsBefore);
    // The key with other rows is refused whole: nothing is enrolled.
    const changed = await graph.gateway.query(ENROL_MANY, { as: odlPartner, variables: { input: [...rows.slice(0, 9_999), newStudent()], key: 'sis-intake-2026' } });
    expect(codesOf(changed)).toEqual(['CONFLICT']);
    expect(changed.errors![0]!.message).toBe('The idempotency key sis-intake-2026 was already used for a different enrolment request: use a new key for new students.');
    expect(await count('select count(*) as n from learners.learner')).toBe(learnersBefore);
  }, 120_000);

  it('costs the same number of SQL statements for 10 rows as for 1,000', async () => {
    const statements = async (size: number) => {
      const { rows: batch } = await intake(size, `N${size}`);
      const { statements: cost, result } = await graph.statementsDuring(() =>
        graph.gateway.ok(
          `mutation($input: [EnrolLearnerInput!]!, $key: String!) {
            enrolLearners(input: $input, idempotencyKey: $key) { enrolled linked failed results { outcome learner { id fullName } enrolment { studentNumber provider { name } } error { code } } }
          }`,
          { as: odlPartner, variables: { input: batch, key: `statements-${size}` } },
        ),
      );
      expect(result.enrolLearners).toMatchObject({ failed: 4, linked: Math.ceil((size - 3) / 50) });
      return cost;
    };
    const ten = await statements(10);
    expect(await statements(1_000)).toBe(ten);
  }, 120_000);

  it('refuses an empty request, one over 10,000 rows, and a blank key, before anything is done', async () => {
    const refused = async (input: Row[], key: string) => {
      const response = await graph.gateway.query(ENROL_MANY, { as: odlPartner, variables: { input, key } });
      expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
      return response.errors![0]!.message;
    };
    expect(await refused([], 'k')).toBe('input must list 1 to 10,000 students; got 0.');
    expect(await refused(Array.from({ length: 10_001 }, () => newStudent()), 'k')).toBe('input must list 1 to 10,000 students; got 10,001.');
    expect(await refused([newStudent()], ' ')).toBe('Invalid idempotencyKey: idempotencyKey must not be empty.');
  });
});

describe('enrolling the same person from two providers at once', () => {
  it('registers them once: one provider enrols a new learner, the other links that learner', async () => {
    const student = newStudent();
    const answers = await Promise.all([
      graph.gateway.ok(ENROL, { as: odlPartner, variables: { input: student } }),
      graph.gateway.ok(ENROL, { as: uasPartner, variables: { input: { ...student, studentNumber: 'UAS-RACE-1' } } }),
    ]);
    const results = answers.map((a) => a.enrolLearner);
    expect(results.map((r) => r.outcome).sort()).toEqual(['ENROLLED', 'LINKED']);
    expect(results[0].learner.id).toBe(results[1].learner.id);
  });

  it('links demo learners registered long ago, by NRIC and date of birth, in a batch like any other', async () => {
    const batch = await enrolMany(
      [
        { ...newStudent(), studentNumber: 'OLD-1', fullName: faizal.fullName, dateOfBirth: faizal.dateOfBirth, nric: faizal.nric },
        { ...newStudent(), studentNumber: 'OLD-2', fullName: aisyah.fullName, dateOfBirth: aisyah.dateOfBirth, nric: aisyah.nric },
      ],
      'sis-old-students',
    );
    expect(batch.results.map((r) => [r.outcome, r.learner?.id ?? null, r.error?.code ?? null])).toEqual([
      ['LINKED', faizal.id, null],
      // Aisyah is the ODL's student already.
      [null, null, 'CONFLICT'],
    ]);
  });
});
