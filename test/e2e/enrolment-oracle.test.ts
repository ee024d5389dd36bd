import { learnerByKey } from '@tauliah/demo-data';
import { hashNric } from '@tauliah/learners';
import { testConfig, type GraphQLResponse, type Who } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENROL, ENROL_MANY, newForeignStudent, newStudent, odlStaff, uasStaff, withOtherBirthday } from './enrolment.support.ts';

// Enrolling must not tell a caller whether a person is registered unless the caller gives both their identity
// document and their date of birth: "no such person" and "the details do not match" are one answer, and an
// e-mail address in use is never confirmed to anyone but its owner. Timing aside.
let graph: TestGraph;
const aisyah = learnerByKey('aisyah');
const faizal = learnerByKey('faizal');
const key = testConfig().PII_HASH_KEY;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const enrol = (as: Who, input: Record<string, unknown>) => graph.gateway.query(ENROL, { as, variables: { input } });
/** An answer with what differs between any two people taken out: ids, names, e-mails, student numbers and dates. */
function shapeOf(response: GraphQLResponse): unknown {
  return JSON.parse(
    JSON.stringify(response, (field, value) => (['id', 'fullName', 'email', 'studentNumber', 'dateOfBirth', 'enrolledAt', 'headers'].includes(field) ? typeof value : value)),
  );
}

describe('refusing details that do not match, alike whether or not anyone is registered', () => {
  it('answers an NRIC whose first six digits are not the date of birth with the same error, registered or not', async () => {
    const unknown = withOtherBirthday(newStudent());
    const registeredElsewhere = withOtherBirthday({ ...newStudent(), nric: aisyah.nric, dateOfBirth: aisyah.dateOfBirth });
    const registeredHere = withOtherBirthday({ ...newStudent(), nric: faizal.nric, dateOfBirth: faizal.dateOfBirth });
    // Faizal is the public university's student once it has enrolled him.
    await graph.gateway.ok(ENROL, { as: uasStaff, variables: { input: { ...newStudent(), nric: faizal.nric, dateOfBirth: faizal.dateOfBirth } } });

    const answers = await Promise.all([unknown, registeredElsewhere, registeredHere].map((input) => enrol(uasStaff, { ...input, studentNumber: 'X-1' })));
    const [first, ...rest] = answers.map((a) => ({ status: a.status, data: a.data, errors: a.errors }));
    expect(first!.errors).toEqual([
      {
        message: 'Invalid input: input.nric does not match dateOfBirth (its first six digits are the date of birth, YYMMDD).',
        path: ['enrolLearner'],
        extensions: { code: 'BAD_USER_INPUT', problems: [{ field: 'input.nric', message: 'does not match dateOfBirth (its first six digits are the date of birth, YYMMDD)' }] },
      },
    ]);
    for (const answer of rest) expect(answer).toEqual(first);

    // Row by row in a batch, too: the same row at the same place answers the same.
    const rows = await Promise.all(
      [unknown, registeredElsewhere, registeredHere].map(async (input, i) => {
        const batch = await graph.gateway.ok(ENROL_MANY, { as: uasStaff, variables: { input: [{ ...input, studentNumber: 'X-2' }], key: `oracle-${i}` } });
        return batch.enrolLearners.results;
      }),
    );
    expect(rows[1]).toEqual(rows[0]);
    expect(rows[2]).toEqual(rows[0]);
    expect(rows[0][0].error.code).toBe('BAD_USER_INPUT');

    // And to a learner registering themselves.
    const REGISTER = `mutation($input: RegisterLearnerInput!) { registerLearner(input: $input) { learner { id } } }`;
    const registering = await Promise.all(
      [unknown, registeredElsewhere].map(({ studentNumber: _n, ...person }, i) =>
        graph.gateway.query(REGISTER, { as: { role: 'LEARNER', sub: `7c3e8a1f-0000-4000-8000-00000000000${i}` }, variables: { input: person } }),
      ),
    );
    expect(registering[1]!.errors).toEqual(registering[0]!.errors);
    expect(registering[0]!.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a date of birth outside the ages enrolled, so no century can be tried: alike, registered or not', async () => {
    // 1910 and 2010 share the NRIC's YYMMDD; only 2010 gives an age a learner may have.
    const tooOld = await enrol(uasStaff, { ...newStudent(), dateOfBirth: '1910-03-01', nric: '100301-14-5001' });
    const legacyId = '7c3e8a1f-0000-4000-8000-0000000019a0';
    await insertLegacyLearner(legacyId, '100301-14-5002', '1910-03-01');
    const registeredTooOld = await enrol(uasStaff, { ...newStudent(), dateOfBirth: '1910-03-01', nric: '100301-14-5002' });
    expect(registeredTooOld.errors).toEqual(tooOld.errors);
    expect(tooOld.errors![0]!.message).toBe('Invalid input: input.dateOfBirth must give an age between 13 and 99.');

    // The other century of a registered NRIC is another person, answered as any unknown one: a new learner.
    const unknown = await enrol(uasStaff, { ...newStudent(), dateOfBirth: '2010-03-01', nric: '100301-14-5001' });
    const otherCentury = await enrol(uasStaff, { ...newStudent(), dateOfBirth: '2010-03-01', nric: '100301-14-5002' });
    expect(shapeOf(otherCentury)).toEqual(shapeOf(unknown));
    expect(otherCentury.data!.enrolLearner.outcome).toBe('ENROLLED');
    expect(otherCentury.data!.enrolLearner.learner.id).not.toBe(legacyId);
  });

  it('enrols a new learner when a passport is registered with another date of birth, answered as for an unknown passport', async () => {
    const registered = newForeignStudent();
    const first = await graph.gateway.ok(ENROL, { as: odlStaff, variables: { input: registered } });
    const unknown = await enrol(uasStaff, { ...newForeignStudent(), dateOfBirth: '2001-01-01' });
    const mismatch = await enrol(uasStaff, { ...newForeignStudent(), passportNumber: registered.passportNumber, nationality: registered.nationality, dateOfBirth: '2001-01-01' });
    expect(shapeOf(mismatch)).toEqual(shapeOf(unknown));
    expect(mismatch.data!.enrolLearner.outcome).toBe('ENROLLED');
    expect(mismatch.data!.enrolLearner.learner.id).not.toBe(first.enrolLearner.learner.id);
    // Only both, document and date of birth, find the learner.
    const both = await graph.gateway.ok(ENROL, { as: uasStaff, variables: { input: { ...registered, studentNumber: 'UAS-P-1' } } });
    expect(both.enrolLearner).toMatchObject({ outcome: 'LINKED', learner: { id: first.enrolLearner.learner.id } });
  });
});

describe('e-mail addresses', () => {
  it('never confirms that an address is in use: a student enrolled with a taken one is enrolled as with any other', async () => {
    const fresh = await enrol(odlStaff, newStudent());
    const taken = await enrol(odlStaff, newStudent({ email: faizal.email }));
    expect(shapeOf(taken)).toEqual(shapeOf(fresh));
    expect(taken.data!.enrolLearner).toMatchObject({ outcome: 'ENROLLED', learner: { email: faizal.email } });
    expect(taken.data!.enrolLearner.learner.id).not.toBe(faizal.id);
  });

  it('lets a learner take an address another learner uses, and register with one, without a word about the other', async () => {
    const moved = await graph.gateway.query(`mutation { updateMyProfile(input: { email: "${faizal.email.toUpperCase()}" }) { email } }`, { as: 'LEARNER' });
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.updateMyProfile.email).toBe(faizal.email);
    const { studentNumber: _n, ...person } = newStudent({ email: aisyah.email });
    const registered = await graph.gateway.query(`mutation($input: RegisterLearnerInput!) { registerLearner(input: $input) { created } }`, {
      as: { role: 'LEARNER', sub: '7c3e8a1f-0000-4000-8000-00000000e4a1' },
      variables: { input: person },
    });
    expect(registered.errors).toBeUndefined();
    expect(registered.data!.registerLearner.created).toBe(true);
  });
});

/** A learner as an older release could register them: a date of birth 116 years ago, which enrolment no longer accepts. */
async function insertLegacyLearner(id: string, nric: string, dateOfBirth: string): Promise<void> {
  const hash = hashNric(nric.replaceAll('-', ''), key);
  await graph.connection.query(
    `insert into learners.learner (id, full_name, email, date_of_birth, citizenship, nric_hash, registered_by_subject) values ($1, 'Abdul Rahman bin Yaakob', 'legacy@learner.example.my', $2, 'MALAYSIAN', $3, 'seed:legacy')`,
    [id, dateOfBirth, hash],
  );
}
