import { bdse, courseByCode, learnerByKey, providers } from '@tauliah/demo-data';
import { codesOf, type Who } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * An open ecosystem, told end to end through the gateway: a training
 * provider nobody seeded applies to join, a platform administrator approves
 * it, its first administrator adds a trainer, the trainer publishes a course,
 * enrols a learner another provider registered (matched by NRIC and date of
 * birth, not duplicated) and issues her a credential by the academy's own
 * student number. The learner sees both institutions and the new credential,
 * and the ODL's pathway counts it where the ODL recognises the course.
 * Then the refusals: a removed trainer, a suspended academy.
 */
let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const aisyah = learnerByKey('aisyah');
const asAisyah: Who = { role: 'LEARNER', sub: aisyah.id };
const odlRegistrar: Who = 'PROVIDER_STAFF';
/** The ODL course Aisyah has yet to take, which the ODL will recognise the academy's course as. */
const SE2102 = courseByCode.get('SE2102')!;

const APPLY = `mutation($input: ApplyToJoinInput!) { applyToJoin(input: $input) { id status } }`;
const DECIDE = `mutation($id: ID!, $reason: String!) {
  decideOrganisationApplication(id: $id, decision: APPROVE, reason: $reason) { id status organisationId }
}`;
const MINE = `{ myOrganisationApplications { id kind name status reason organisationId } }`;
const ADD_STAFF = `mutation($input: ProviderStaffInput!) { addProviderStaff(input: $input) { subject role } }`;
const REMOVE_STAFF = `mutation($subject: String!) { removeProviderStaff(subject: $subject) { subject } }`;
const CREATE_COURSE = `mutation($input: CourseInput!) { createCourse(input: $input) { id code status } }`;
const PUBLISH = `mutation($id: ID!) { publishCourse(id: $id) { id status } }`;
const CATALOGUE = `query($text: String!) { courses(filter: { text: $text }) { edges { node { code provider { name } } } } }`;
const ENROL = `mutation($input: EnrolLearnerInput!) {
  enrolLearner(input: $input) { outcome learner { id } enrolment { studentNumber status provider { id } } }
}`;
const RECOGNISE = `mutation($input: RecordCreditRecognitionInput!) { recordCreditRecognition(input: $input) { creditsGranted } }`;
const ISSUE = `mutation($input: IssueCredentialInput!) { issueCredential(input: $input) { id status studentNumber holder { id } issuer { id } } }`;
const MY_RECORD = `{ me { enrolments { studentNumber status provider { id } } credentials { id title status issuer { id } } } }`;
const PROGRESS = `query($id: ID!, $learnerId: ID!) {
  pathway(id: $id) { progress(learnerId: $learnerId) {
    stages { position complete missingCourses { code } }
    earned { course { code } credits recognisedCourse { code } }
  } }
}`;
const VERIFY = `query($id: ID!) { verifyCredential(id: $id) { verified checks { check passed message } } }`;
const SUSPEND = `mutation($id: ID!) { suspendProvider(id: $id, reason: "HRD Corp registration under investigation.") { id inGoodStanding } }`;
const REINSTATE = `mutation($id: ID!) { reinstateProvider(id: $id) { id inGoodStanding } }`;

/** Filled in as the story goes. */
const story = {
  applicant: { role: 'LEARNER', sub: randomUUID() } as Who & { sub: string },
  academyId: '',
  admin: null as unknown as Who,
  trainer: null as unknown as Who,
  courseId: '',
  studentNumber: 'ADN/26/0001',
  credentialId: '',
};
const academy = {
  kind: 'PROVIDER',
  name: 'Akademi Data Nusantara',
  state: 'Pulau Pinang',
  website: 'https://adn.example.com.my',
  providerKind: 'TRAINING_PROVIDER',
  mqaRegistration: 'MQA-KK2207',
  hrdCorpTrainingProviderNumber: 'HRDC-TP-7730012',
  administrator: { subject: 'founder:adn', name: 'Nurul Huda binti Ismail', email: 'huda@adn.example.com.my' },
};

describe('a training provider joins and a learner carries one identity across institutions', () => {
  it('applies, and a platform administrator approves it with its first administrator', async () => {
    const applied = (await graph.gateway.ok(APPLY, { as: story.applicant, variables: { input: academy } })).applyToJoin;
    expect(applied.status).toBe('PENDING');
    // Nobody but an administrator decides.
    expect(codesOf(await graph.gateway.query(DECIDE, { as: story.applicant, variables: { id: applied.id, reason: 'Looks fine.' } }))).toEqual(['FORBIDDEN']);

    const decided = (await graph.gateway.ok(DECIDE, { as: 'ADMIN', variables: { id: applied.id, reason: 'MQA and HRD Corp registrations verified.' } }))
      .decideOrganisationApplication;
    expect(decided).toMatchObject({ id: applied.id, status: 'APPROVED' });
    story.academyId = decided.organisationId;
    expect((await graph.gateway.ok(MINE, { as: story.applicant })).myOrganisationApplications).toEqual([
      { id: applied.id, kind: 'PROVIDER', name: academy.name, status: 'APPROVED', reason: 'MQA and HRD Corp registrations verified.', organisationId: story.academyId },
    ]);
    story.admin = { role: 'PROVIDER_STAFF', sub: academy.administrator.subject, providerId: story.academyId };
  });

  it('lets its administrator add a trainer, who publishes a course in the public catalogue', async () => {
    const trainer = { subject: 'trainer:adn:farid', name: 'Farid bin Osman', email: 'farid@adn.example.com.my', kind: 'PERSON', role: 'STAFF' };
    expect((await graph.gateway.ok(ADD_STAFF, { as: story.admin, variables: { input: trainer } })).addProviderStaff).toEqual({ subject: trainer.subject, role: 'STAFF' });
    story.trainer = { role: 'PROVIDER_STAFF', sub: trainer.subject, providerId: story.academyId };

    const course = {
      code: 'ADN3102',
      title: 'Designing Software Architectures',
      description: 'Architecture styles, quality attributes and architecture decision records, on a real system.',
      credits: SE2102.credits,
      notionalHours: SE2102.credits! * 40,
      mqfLevel: SE2102.mqfLevel,
      learningOutcomes: ['Document the architecture of a system with decision records.'],
      skillCodes: ['SW-DESIGN'],
      feeSen: 180_000,
      deliveryMode: 'BLENDED',
      accreditation: 'MQA_ACCREDITED',
      assessment: 'Architecture portfolio and viva',
    };
    const created = (await graph.gateway.ok(CREATE_COURSE, { as: story.trainer, variables: { input: course } })).createCourse;
    expect(created).toMatchObject({ code: 'ADN3102', status: 'DRAFT' });
    story.courseId = created.id;
    expect((await graph.gateway.ok(PUBLISH, { as: story.trainer, variables: { id: story.courseId } })).publishCourse.status).toBe('PUBLISHED');
    // The public finds it under the academy's name.
    const found = (await graph.gateway.ok(CATALOGUE, { variables: { text: 'ADN3102' } })).courses.edges.map((e: { node: unknown }) => e.node);
    expect(found).toEqual([{ code: 'ADN3102', provider: { name: academy.name } }]);
  });

  it('enrols a learner another provider registered, by NRIC and date of birth, without a duplicate', async () => {
    const learnersBefore = await learnerCount();
    const enrolled = (
      await graph.gateway.ok(ENROL, {
        as: story.trainer,
        variables: {
          input: {
            studentNumber: story.studentNumber,
            fullName: aisyah.fullName,
            email: 'aisyah.rahman@adn-student.example.my',
            dateOfBirth: aisyah.dateOfBirth,
            citizenship: 'MALAYSIAN',
            nric: aisyah.nric,
            state: aisyah.state,
          },
        },
      })
    ).enrolLearner;
    expect(enrolled).toEqual({ outcome: 'LINKED', learner: { id: aisyah.id }, enrolment: { studentNumber: story.studentNumber, status: 'ACTIVE', provider: { id: story.academyId } } });
    expect(await learnerCount()).toBe(learnersBefore);
  });

  it('issues by its own student number, and the ODL pathway counts the credential where the ODL recognises the course', async () => {
    const progress = async () => (await graph.gateway.ok(PROGRESS, { as: asAisyah, variables: { id: bdse.id, learnerId: aisyah.id } })).pathway.progress;
    const stageOf = (p: { stages: Array<{ position: number; complete: boolean; missingCourses: Array<{ code: string }> }> }) =>
      p.stages.find((s) => s.missingCourses.some((c) => c.code === 'SE2102') || s.position === 4)!;
    const before = await progress();
    expect(stageOf(before)).toMatchObject({ position: 4, complete: false, missingCourses: [{ code: 'SE2102' }] });

    // The ODL's registrar recognises the academy's course as SE2102, full credits.
    await graph.gateway.ok(RECOGNISE, { as: odlRegistrar, variables: { input: { courseId: SE2102.id, recognisedCourseId: story.courseId, creditsGranted: SE2102.credits } } });

    const issued = (await graph.gateway.ok(ISSUE, { as: story.trainer, variables: { input: { studentNumber: story.studentNumber, courseId: story.courseId } } })).issueCredential;
    expect(issued).toMatchObject({ status: 'ACTIVE', studentNumber: story.studentNumber, holder: { id: aisyah.id }, issuer: { id: story.academyId } });
    story.credentialId = issued.id;

    // Aisyah sees every institution she is enrolled with, and the new credential among hers.
    const me = (await graph.gateway.ok(MY_RECORD, { as: asAisyah })).me;
    const enrolledWith = me.enrolments.map((e: { provider: { id: string } }) => e.provider.id);
    expect(enrolledWith).toEqual(expect.arrayContaining([providers.odl.id, story.academyId]));
    expect(me.enrolments.find((e: { provider: { id: string } }) => e.provider.id === story.academyId)).toEqual({
      studentNumber: story.studentNumber,
      status: 'ACTIVE',
      provider: { id: story.academyId },
    });
    expect(me.credentials).toContainEqual({ id: issued.id, title: 'Designing Software Architectures', status: 'ACTIVE', issuer: { id: story.academyId } });

    // The ODL pathway: stage 4 is now complete, SE2102 earned through the academy's course.
    const after = await progress();
    expect(stageOf(after)).toMatchObject({ position: 4, complete: true, missingCourses: [] });
    expect(after.earned).toContainEqual({ course: { code: 'SE2102' }, credits: SE2102.credits, recognisedCourse: { code: 'ADN3102' } });
    // The ODL's registrar reads its student's progress from the credentials it may read: the academy's is PRIVATE (her
    // default), so it does not count there, until she makes it PUBLIC.
    const asOdl = async () => (await graph.gateway.ok(PROGRESS, { as: odlRegistrar, variables: { id: bdse.id, learnerId: aisyah.id } })).pathway.progress;
    expect((await asOdl()).earned.map((e: { course: { code: string } }) => e.course.code)).not.toContain('SE2102');
    await graph.gateway.ok(`mutation($id: ID!) { setCredentialVisibility(id: $id, visibility: PUBLIC) { id } }`, { as: asAisyah, variables: { id: issued.id } });
    expect((await asOdl()).earned).toContainEqual({ course: { code: 'SE2102' }, credits: SE2102.credits, recognisedCourse: { code: 'ADN3102' } });
  });

  it('refuses a trainer the administrator removed', async () => {
    await graph.gateway.ok(REMOVE_STAFF, { as: story.admin, variables: { subject: (story.trainer as { sub: string }).sub } });
    const refused = await graph.gateway.query(ISSUE, { as: story.trainer, variables: { input: { studentNumber: story.studentNumber, courseId: story.courseId } } });
    expect(codesOf(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors![0]!.message).toMatch(/not a staff account of provider/);
  });

  it('stops a suspended provider issuing, keeps what it issued in good standing valid, and lets it issue again once reinstated', async () => {
    // The academy's administrator enrols a second student to issue to.
    const other = (await graph.gateway.ok(ENROL, { as: story.admin, variables: { input: aStudent('ADN/26/0002') } })).enrolLearner;
    expect(other.outcome).toBe('ENROLLED');

    expect((await graph.gateway.ok(SUSPEND, { as: 'ADMIN', variables: { id: story.academyId } })).suspendProvider.inGoodStanding).toBe(false);
    // Only a platform administrator suspends.
    expect(codesOf(await graph.gateway.query(SUSPEND, { as: story.admin, variables: { id: story.academyId } }))).toEqual(['FORBIDDEN']);

    const refused = await graph.gateway.query(ISSUE, { as: story.admin, variables: { input: { studentNumber: 'ADN/26/0002', courseId: story.courseId } } });
    expect(codesOf(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors![0]!.message).toBe(`${academy.name} is not in good standing and may not issue credentials.`);

    // Aisyah's credential was issued while the academy was in good standing: it still verifies.
    const verification = (await graph.gateway.ok(VERIFY, { as: asAisyah, variables: { id: story.credentialId } })).verifyCredential;
    expect(verification.verified).toBe(true);
    expect(verification.checks.find((c: { check: string }) => c.check === 'ISSUER_KNOWN')).toMatchObject({ passed: true });

    expect((await graph.gateway.ok(REINSTATE, { as: 'ADMIN', variables: { id: story.academyId } })).reinstateProvider.inGoodStanding).toBe(true);
    const issued = (await graph.gateway.ok(ISSUE, { as: story.admin, variables: { input: { studentNumber: 'ADN/26/0002', courseId: story.courseId } } })).issueCredential;
    expect(issued).toMatchObject({ status: 'ACTIVE', holder: { id: other.learner.id } });
  });
});

async function learnerCount(): Promise<number> {
  return Number((await graph.connection.query<{ n: string }>('select count(*) as n from learners.learner'))[0]!.n);
}

function aStudent(studentNumber: string) {
  return {
    studentNumber,
    fullName: 'Tan Mei Ling',
    email: 'meiling.tan@adn-student.example.my',
    dateOfBirth: '2004-07-21',
    citizenship: 'MALAYSIAN',
    nric: '040721-07-5514',
    state: 'Pulau Pinang',
  };
}
