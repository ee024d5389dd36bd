import { codesOf, eventually } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BY_NUMBER, ENROL, newStudent, ODL } from './enrolment.support.ts';

// A token acts for a provider only while its subject is a staff account there: a registrar who left enrols nobody
// and finds nobody by student number, whatever their token still says.
let graph: TestGraph;

beforeAll(async () => {
  // Services other than providers trust a confirmed account this long (30 s by default; shorter so the test sees it end).
  graph = await startTestGraph({ settings: { STAFF_CHECK_TTL_MS: '1000' } });
});
afterAll(() => graph?.stop());

const ADD = `mutation($input: ProviderStaffInput!) { addProviderStaff(input: $input) { subject role } }`;
const REMOVE = `mutation($subject: String!) { removeProviderStaff(subject: $subject) { subject } }`;

describe('enrolling as staff of a provider', () => {
  it('refuses a registrar who is not, or no longer, a staff account of the provider', async () => {
    const registrar = { role: 'PROVIDER_STAFF', sub: 'staff:utn:admissions', providerId: ODL } as const;
    const student = newStudent();
    const refused = await graph.gateway.query(ENROL, { as: registrar, variables: { input: student } });
    expect(codesOf(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors![0]!.message).toMatch(/staff:utn:admissions.*is not a staff account of provider/);

    await graph.gateway.ok(ADD, { as: 'PROVIDER_STAFF', variables: { input: { subject: registrar.sub, name: 'Siti Khadijah binti Omar', email: 'admissions@utn.example.edu.my', kind: 'PERSON', role: 'STAFF' } } });
    const { enrolLearner } = await graph.gateway.ok(ENROL, { as: registrar, variables: { input: student } });
    expect(enrolLearner.outcome).toBe('ENROLLED');
    expect((await graph.gateway.ok(BY_NUMBER, { as: registrar, variables: { number: student.studentNumber } })).learnerByStudentNumber.id).toBe(enrolLearner.learner.id);

    await graph.gateway.ok(REMOVE, { as: 'PROVIDER_STAFF', variables: { subject: registrar.sub } });
    // The learners service trusts a confirmed account until its answer expires, then asks again.
    const byNumber = () => graph.gateway.query(BY_NUMBER, { as: registrar, variables: { number: student.studentNumber } });
    await eventually(async () => codesOf(await byNumber())[0] === 'FORBIDDEN', 'the removed registrar is refused', 5_000);
    const refusedNow = await byNumber();
    expect(refusedNow.data?.learnerByStudentNumber ?? null).toBeNull();
    expect(refusedNow.errors![0]!.message).toMatch(/staff:utn:admissions.*is not a staff account of provider/);
    const other = newStudent();
    expect(codesOf(await graph.gateway.query(ENROL, { as: registrar, variables: { input: other } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(`{ learner(id: "${enrolLearner.learner.id}") { dateOfBirth } }`, { as: registrar }))).toEqual(['FORBIDDEN']);
    const enrolledOther = await graph.connection.query(`select 1 from learners.enrolment where student_number = $1`, [other.studentNumber.toUpperCase()]);
    expect(enrolledOther).toEqual([]);
  });
});
