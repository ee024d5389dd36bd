import { employers, enrolmentOf, learnerByKey, providers } from '@tauliah/demo-data';
import { codesOf, type Who } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BY_NUMBER, ENROL, ENROL_MANY, newForeignStudent, newStudent, ODL, odlPartner, odlStaff, UAS, uasPartner, uasStaff } from './enrolment.support.ts';

let graph: TestGraph;
const aisyah = learnerByKey('aisyah');

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const enrol = (as: Who, input: Record<string, unknown>, key?: string) => graph.gateway.query(ENROL, { as, variables: { input, key } });
const enrolOk = async (as: Who, input: Record<string, unknown>, key?: string) => (await graph.gateway.ok(ENROL, { as, variables: { input, key } })).enrolLearner;
const outbox = (subject: string, learnerId: string) =>
  graph.connection.query<{ payload: Record<string, unknown> }>(`select payload from learners.outbox where subject = $1 and payload->>'learnerId' = $2 order by position`, [subject, learnerId]);
const MY_ENROLMENTS = `{ me { enrolments { id provider { id name } studentNumber status enrolledAt endedAt } } }`;
const END_MINE = `mutation($id: ID!) { endMyEnrolment(enrolmentId: $id) { id status endedAt provider { id } } }`;
const END = `mutation($id: ID!) { endEnrolment(enrolmentId: $id) { id status endedAt } }`;

describe('enrolling a new student', () => {
  it('registers a new learner with the enrolment, under the student number in upper case, and announces it', async () => {
    const student = newStudent({ studentNumber: ' utn2026-0001 ' });
    const answer = await enrolOk(odlPartner, student);
    expect(answer).toMatchObject({
      outcome: 'ENROLLED',
      replayed: false,
      learner: { fullName: student.fullName, email: student.email, dateOfBirth: student.dateOfBirth, citizenship: 'MALAYSIAN', nationality: null },
      enrolment: { studentNumber: 'UTN2026-0001', status: 'ACTIVE', endedAt: null, provider: { id: ODL, name: providers.odl.name } },
    });
    const learnerId = answer.learner.id;
    expect((await outbox('learners.learner.enrolled', learnerId)).map((e) => e.payload)).toEqual([{ learnerId, providerId: ODL }]);
    // The learner has chosen nothing yet: what consumers assume of a learner they never heard of, so nothing more is announced.
    expect(await outbox('learners.learner.residence', learnerId)).toEqual([]);
    expect(await outbox('learners.learner.preferences', learnerId)).toEqual([]);
    // The new learner, signed in, sees the enrolment.
    const mine = await graph.gateway.ok(MY_ENROLMENTS, { as: { role: 'LEARNER', sub: learnerId } });
    expect(mine.me.enrolments).toEqual([answer.enrolment]);
  });

  it('enrols nobody twice for one idempotency key, and refuses the key for another student', async () => {
    const student = newStudent();
    const first = await enrolOk(odlStaff, student, 'sis-2026-0001');
    const retry = await enrolOk(odlStaff, student, 'sis-2026-0001');
    expect(retry).toEqual({ ...first, replayed: true });
    const other = await enrol(odlStaff, newStudent(), 'sis-2026-0001');
    expect(codesOf(other)).toEqual(['CONFLICT']);
    expect(other.errors![0]!.message).toMatch(/idempotency key sis-2026-0001 was already used/);
    const rows = await graph.connection.query<{ n: number }>(`select count(*)::int as n from learners.enrolment where idempotency_key = 'sis-2026-0001'`);
    expect(rows[0]!.n).toBe(1);
  });

  it('refuses a student number another active enrolment of the provider holds, and a second enrolment of the same student', async () => {
    const student = newStudent();
    const first = await enrolOk(odlStaff, student);
    const taken = await enrol(odlStaff, newStudent({ studentNumber: student.studentNumber.toLowerCase() }));
    expect(codesOf(taken)).toEqual(['CONFLICT']);
    expect(taken.errors![0]!.message).toBe(`Student number ${student.studentNumber.toUpperCase()} belongs to another student's active enrolment with your provider.`);
    const again = await enrol(odlPartner, { ...student, studentNumber: 'OTHER-1' });
    expect(codesOf(again)).toEqual(['CONFLICT']);
    expect(again.errors![0]!.message).toBe(`This learner is already enrolled with your provider, as student number ${first.enrolment.studentNumber}: end that enrolment first to enrol them again.`);
    // Another provider may use the same number for its own student.
    expect((await enrolOk(uasStaff, newStudent({ studentNumber: student.studentNumber }))).outcome).toBe('ENROLLED');
  });

  it('validates every field at once, before looking anyone up', async () => {
    const bad = { ...newStudent(), studentNumber: '#1', email: 'nope', phone: '12', nric: '990101-10-5514' };
    const response = await enrol(odlStaff, bad);
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    const fields = (response.errors![0]!.extensions!.problems as Array<{ field: string }>).map((p) => p.field);
    expect(fields.sort()).toEqual(['input.email', 'input.nric', 'input.phone', 'input.studentNumber']);
    const nowhere = await enrol(odlStaff, newStudent({ state: 'Atlantis' }));
    expect((nowhere.errors![0]!.extensions!.problems as Array<{ field: string }>).map((p) => p.field)).toEqual(['input.state']);
    const tooOld = await enrol(odlStaff, newStudent({ dateOfBirth: '1920-01-01', nric: '200101-14-0001' }));
    expect(tooOld.errors![0]!.message).toBe('Invalid input: input.dateOfBirth must give an age between 13 and 99.');
  });

  it('lets only provider staff and their partner systems enrol', async () => {
    for (const who of ['LEARNER', 'EMPLOYER', 'FUNDER', 'ADMIN'] as const) expect(codesOf(await enrol(who, newStudent())), who).toEqual(['FORBIDDEN']);
    expect(codesOf(await enrol({ role: 'PARTNER', sub: 'system:perisian-hr', employerId: employers.software.id }, newStudent()))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(ENROL, { variables: { input: newStudent() } }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('one learner, many institutions', () => {
  it('links a learner registered by another provider when the NRIC and date of birth match, and leaves their profile as they keep it', async () => {
    // Before: the public university reads nothing of Aisyah's.
    expect(codesOf(await graph.gateway.query(`{ learner(id: "${aisyah.id}") { dateOfBirth } }`, { as: uasStaff }))).toEqual(['FORBIDDEN']);
    const answer = await enrolOk(uasStaff, { ...newStudent(), fullName: 'AISYAH RAHMAN', email: 'aisyah.r@uas.example.edu.my', dateOfBirth: aisyah.dateOfBirth, nric: aisyah.nric, studentNumber: 'UAS-26-00001' });
    expect(answer).toMatchObject({ outcome: 'LINKED', replayed: false, learner: { id: aisyah.id, fullName: aisyah.fullName, email: aisyah.email, dateOfBirth: aisyah.dateOfBirth } });
    expect((await graph.gateway.ok(`{ learner(id: "${aisyah.id}") { dateOfBirth } }`, { as: uasPartner })).learner.dateOfBirth).toBe(aisyah.dateOfBirth);
    expect((await outbox('learners.learner.enrolled', aisyah.id)).map((e) => e.payload)).toContainEqual({ learnerId: aisyah.id, providerId: UAS });

    // Aisyah sees every enrolment; each provider sees its own only.
    const mine = (await graph.gateway.ok(MY_ENROLMENTS, { as: 'LEARNER' })).me.enrolments;
    expect(mine.map((e: { provider: { name: string }; studentNumber: string; status: string }) => [e.provider.name, e.studentNumber, e.status])).toEqual([
      [providers.odl.name, enrolmentOf('aisyah', ODL).studentNumber, 'ACTIVE'],
      [providers.trainingProvider.name, enrolmentOf('aisyah', providers.trainingProvider.id).studentNumber, 'ACTIVE'],
      [providers.publicUniversity.name, 'UAS-26-00001', 'ACTIVE'],
    ]);
    const seenBy = async (who: Who) => (await graph.gateway.ok(`{ learner(id: "${aisyah.id}") { enrolments { studentNumber } } }`, { as: who })).learner.enrolments;
    expect(await seenBy(uasStaff)).toEqual([{ studentNumber: 'UAS-26-00001' }]);
    expect(await seenBy(odlStaff)).toEqual([{ studentNumber: enrolmentOf('aisyah', ODL).studentNumber }]);
    const employer = await graph.gateway.query(`{ learner(id: "${aisyah.id}") { enrolments { studentNumber } } }`, { as: 'EMPLOYER' });
    expect(codesOf(employer)).toEqual(['FORBIDDEN']);
    expect(employer.data?.learner).toEqual({ enrolments: null });
  });

  it('links a non-citizen by passport number and nationality with the date of birth, and keeps the number only hashed', async () => {
    const student = newForeignStudent({ passportNumber: 'b 1234 5678', nationality: 'idn' });
    const first = await enrolOk(odlStaff, student);
    expect(first).toMatchObject({ outcome: 'ENROLLED', learner: { citizenship: 'NON_CITIZEN', nationality: 'IDN' } });
    const linked = await enrolOk(uasStaff, { ...newForeignStudent(), passportNumber: 'B12345678', nationality: 'IDN', dateOfBirth: student.dateOfBirth });
    expect(linked).toMatchObject({ outcome: 'LINKED', learner: { id: first.learner.id } });
    // Another state's passport with the same number is another person.
    const philippine = await enrolOk(uasStaff, { ...newForeignStudent(), passportNumber: 'B12345678', nationality: 'PHL', dateOfBirth: student.dateOfBirth });
    expect(philippine.outcome).toBe('ENROLLED');
    const stored = JSON.stringify(await graph.connection.query(`select * from learners.learner where id = $1`, [first.learner.id]));
    expect(stored).not.toMatch(/12345678/);
  });

  it('refuses passports of citizens, NRICs of non-citizens, a Malaysian passport and a nationality that is no ISO alpha-3 code', async () => {
    const problems = async (input: Record<string, unknown>) => {
      const response = await enrol(odlStaff, input);
      expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
      return (response.errors![0]!.extensions!.problems as Array<{ field: string; message: string }>).map((p) => `${p.field} ${p.message}`);
    };
    expect(await problems({ ...newStudent(), passportNumber: 'A1234567', nationality: 'IDN' })).toEqual([
      'input.passportNumber is for non-citizens: identify Malaysian citizens and permanent residents by their nric',
    ]);
    expect(await problems({ ...newForeignStudent(), nric: '080411-10-5678' })).toEqual([
      'input.nric is for Malaysian citizens and permanent residents: identify a non-citizen by passportNumber and nationality',
    ]);
    expect(await problems({ ...newForeignStudent(), nationality: 'MYS' })).toEqual([
      'input.nationality is Malaysia: a Malaysian passport holder is a citizen, known by their NRIC (give citizenship MALAYSIAN and nric)',
    ]);
    for (const nationality of ['ID', 'Indonesia', 'XXA']) {
      expect(await problems({ ...newForeignStudent(), nationality })).toEqual([
        'input.nationality must be an ISO 3166-1 alpha-3 country code as printed in the passport, such as IDN, PHL or GBR',
      ]);
    }
    const { passportNumber: _p, nationality: _n, ...withoutPassport } = newForeignStudent();
    expect(await problems(withoutPassport)).toEqual(['input.passportNumber is required for non-citizens, with nationality', 'input.nationality is required for non-citizens, with passportNumber']);
  });
});

describe('what a provider reads of its students', () => {
  it('follows their enrolments, in the same number of statements for 2 students as for 40', async () => {
    const intake = await graph.gateway.ok(ENROL_MANY, { as: odlPartner, variables: { input: Array.from({ length: 40 }, () => newStudent()), key: 'reads-2026' } });
    const ids: string[] = intake.enrolLearners.results.map((r: { learner: { id: string } }) => r.learner.id);
    const read = async (some: string[]) => {
      const { statements, result } = await graph.statementsDuring(() =>
        graph.gateway.ok(`query($ids: [ID!]!) { learners(ids: $ids) { fullName dateOfBirth enrolments { studentNumber provider { name } } } }`, { as: odlStaff, variables: { ids: some } }),
      );
      expect(result.learners.every((l: { dateOfBirth: string | null; enrolments: unknown[] }) => l.dateOfBirth && l.enrolments.length === 1)).toBe(true);
      return statements;
    };
    expect(await read(ids.slice(0, 2))).toBe(await read(ids));
  });
});

describe('finding a student by student number', () => {
  it("answers the provider's own active enrolments to its staff and partner systems, and null for anything else", async () => {
    const student = newStudent();
    const { learner } = await enrolOk(odlPartner, student);
    for (const who of [odlStaff, odlPartner, { role: 'PARTNER', sub: 'system:utn-student-records', providerId: ODL } as const]) {
      expect((await graph.gateway.ok(BY_NUMBER, { as: who, variables: { number: student.studentNumber.toLowerCase() } })).learnerByStudentNumber).toEqual({
        id: learner.id,
        fullName: student.fullName,
        dateOfBirth: student.dateOfBirth,
      });
    }
    // Another provider's number, a number never given and an ended enrolment all read as null, alike.
    expect((await graph.gateway.ok(BY_NUMBER, { as: uasStaff, variables: { number: student.studentNumber } })).learnerByStudentNumber).toBeNull();
    expect((await graph.gateway.ok(BY_NUMBER, { as: odlStaff, variables: { number: 'NEVER-GIVEN' } })).learnerByStudentNumber).toBeNull();
    expect(codesOf(await graph.gateway.query(BY_NUMBER, { as: 'EMPLOYER', variables: { number: student.studentNumber } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(BY_NUMBER, { as: odlStaff, variables: { number: '' } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('answers many student numbers asked with aliases in one statement, however many', async () => {
    const numbers = [0, 1, 2, 3, 4, 5].map(() => newStudent());
    for (const student of numbers) await enrolOk(odlPartner, student);
    const query = (students: Array<{ studentNumber: string }>) => `{ ${students.map((s, i) => `s${i}: learnerByStudentNumber(studentNumber: "${s.studentNumber}") { id fullName }`).join(' ')} }`;
    const statements = async (students: Array<{ studentNumber: string }>) => {
      const { statements: count, result } = await graph.statementsDuring(() => graph.gateway.ok(query(students), { as: odlPartner }));
      expect(Object.values(result).every((l) => l !== null)).toBe(true);
      return count;
    };
    expect(await statements(numbers.slice(0, 2))).toBe(await statements(numbers));
  });

  it('answers many student numbers in one list, only its own provider\'s, in the order asked, at the same cost however many', async () => {
    const students = [0, 1, 2, 3, 4, 5].map(() => newStudent());
    const learners = [];
    for (const student of students) learners.push((await enrolOk(odlPartner, student)).learner);
    const LIST = `query($n: [String!]!) { studentsByNumber(studentNumbers: $n) { studentNumber learner { id } } }`;
    const asked = [students[3]!.studentNumber.toLowerCase(), 'NEVER-GIVEN', students[0]!.studentNumber];
    expect((await graph.gateway.ok(LIST, { as: odlStaff, variables: { n: asked } })).studentsByNumber).toEqual([
      { studentNumber: students[3]!.studentNumber, learner: { id: learners[3]!.id } },
      { studentNumber: students[0]!.studentNumber, learner: { id: learners[0]!.id } },
    ]);
    // Another provider's students are left out, exactly like numbers nobody was given.
    expect((await graph.gateway.ok(LIST, { as: uasStaff, variables: { n: asked } })).studentsByNumber).toEqual([]);
    const cost = async (n: string[]) => (await graph.statementsDuring(() => graph.gateway.ok(LIST, { as: odlPartner, variables: { n } }))).statements;
    expect(await cost(students.slice(0, 2).map((s) => s.studentNumber))).toBe(await cost(students.map((s) => s.studentNumber)));
    expect(codesOf(await graph.gateway.query(LIST, { as: 'EMPLOYER', variables: { n: asked } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(LIST, { as: odlStaff, variables: { n: ['UTN-1', ''] } }))).toEqual(['BAD_USER_INPUT']);
    const tooMany = await graph.gateway.query(LIST, { as: odlStaff, variables: { n: Array.from({ length: 10_001 }, (_, i) => `N${i}`) } });
    expect(codesOf(tooMany)).toEqual(['BAD_USER_INPUT']);
    expect(tooMany.errors![0]!.message).toContain('at most 10000');
  });
});

describe('ending an enrolment', () => {
  it("lets the learner end one: the provider's access ends with it, and credentials hears", async () => {
    const student = newStudent();
    const { learner, enrolment } = await enrolOk(uasPartner, student);
    const me: Who = { role: 'LEARNER', sub: learner.id };
    const ended = await graph.gateway.ok(END_MINE, { as: me, variables: { id: enrolment.id } });
    expect(ended.endMyEnrolment).toMatchObject({ id: enrolment.id, status: 'ENDED', provider: { id: UAS } });
    expect(ended.endMyEnrolment.endedAt).not.toBeNull();
    const read = await graph.gateway.query(`{ learner(id: "${learner.id}") { fullName dateOfBirth } }`, { as: uasStaff });
    expect(codesOf(read)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect((await graph.gateway.ok(BY_NUMBER, { as: uasStaff, variables: { number: student.studentNumber } })).learnerByStudentNumber).toBeNull();
    expect((await outbox('learners.learner.enrolment-ended', learner.id)).map((e) => e.payload)).toEqual([{ learnerId: learner.id, providerId: UAS }]);
    // Ending it again answers it as it is, and announces nothing more.
    expect((await graph.gateway.ok(END_MINE, { as: me, variables: { id: enrolment.id } })).endMyEnrolment).toEqual(ended.endMyEnrolment);
    expect(await outbox('learners.learner.enrolment-ended', learner.id)).toHaveLength(1);
    // The provider may enrol the student again, under the same number: a new enrolment beside the ended one.
    const again = await enrolOk(uasStaff, student);
    expect(again).toMatchObject({ outcome: 'LINKED', learner: { id: learner.id }, enrolment: { status: 'ACTIVE', studentNumber: student.studentNumber } });
    const history = (await graph.gateway.ok(MY_ENROLMENTS, { as: me })).me.enrolments.map((e: { status: string }) => e.status);
    expect(history).toEqual(['ENDED', 'ACTIVE']);
  });

  it('lets a provider end its own enrolments, and nobody end anyone else\'s', async () => {
    const { learner, enrolment } = await enrolOk(odlStaff, newStudent());
    const notFound = `Enrolment ${enrolment.id} does not exist.`;
    for (const who of [uasStaff, { role: 'LEARNER', sub: aisyah.id } as const]) {
      const mutation = typeof who === 'object' && who.role === 'LEARNER' ? END_MINE : END;
      const refused = await graph.gateway.query(mutation, { as: who, variables: { id: enrolment.id } });
      expect(codesOf(refused)).toEqual(['NOT_FOUND']);
      expect(refused.errors![0]!.message).toBe(notFound);
    }
    expect((await graph.gateway.ok(END, { as: odlPartner, variables: { id: enrolment.id } })).endEnrolment.status).toBe('ENDED');
    expect(codesOf(await graph.gateway.query(`{ learner(id: "${learner.id}") { email } }`, { as: odlStaff }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(END, { as: 'EMPLOYER', variables: { id: enrolment.id } }))).toEqual(['FORBIDDEN']);
  });
});

describe('registering oneself', () => {
  const REGISTER = `mutation($input: RegisterLearnerInput!) { registerLearner(input: $input) { created learner { id } } }`;

  it('is the learner\'s own way in; providers enrol with enrolLearner', async () => {
    const { studentNumber: _n, ...person } = newStudent();
    expect(codesOf(await graph.gateway.query(REGISTER, { as: odlStaff, variables: { input: person } }))).toEqual(['FORBIDDEN']);
    const sub = '0b6a1f3c-7e2b-4d4e-8f9a-0b1c2d3e4f50';
    const registered = await graph.gateway.ok(REGISTER, { as: { role: 'LEARNER', sub }, variables: { input: person } });
    expect(registered.registerLearner).toEqual({ created: true, learner: { id: sub } });
    // A retried registration answers it again; the same person enrolled by a provider later is linked to it.
    expect((await graph.gateway.ok(REGISTER, { as: { role: 'LEARNER', sub }, variables: { input: person } })).registerLearner.created).toBe(false);
    expect(await enrolOk(odlStaff, { ...person, studentNumber: 'SELF-1' })).toMatchObject({ outcome: 'LINKED', learner: { id: sub } });
  });
});
