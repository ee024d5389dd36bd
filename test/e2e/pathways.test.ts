import { bdse, bdseCourses, btel, btelEssentialCourses, btelFurtherCourses, courseId, learnerByKey, personas, providers } from '@tauliah/demo-data';
import { codesOf, type Who } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, LearnerOnPathway, PROGRESS } from './pathways.support.ts';

let graph: TestGraph;
let daniel: LearnerOnPathway;
let farah: LearnerOnPathway;

beforeAll(async () => {
  graph = await startTestGraph();
  daniel = new LearnerOnPathway(graph, learnerByKey('daniel'), bdse.id);
  farah = new LearnerOnPathway(graph, learnerByKey('farah'), btel.id);
});
afterAll(() => graph?.stop());

const RECOGNISE = `mutation($input: RecordCreditRecognitionInput!) { recordCreditRecognition(input: $input) { id creditsGranted approvedBy course { code } recognisedCourse { code } } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawCreditRecognition(id: $id) { withdrawnAt } }`;
const bdseCodes = (stage: number) => bdseCourses[stage - 1]!.map((c) => c.code);
const LEARNER_PATHWAYS = `{ me { pathways { pathway { code } creditsEarned } } }`;

describe('a school leaver on the BDSE pathway', () => {
  let recognitionId: string;
  const firstYear: Record<string, string> = {};

  it('starts with nothing earned and is pointed at the first two courses', async () => {
    const progress = await daniel.progress();
    expect(progress).toMatchObject({ creditsEarned: 0, creditsRequired: 120, percent: 0, apelEligible: false, apelCreditsNeeded: 60, exitAwards: [] });
    expect(codes(progress.nextCourses)).toEqual(bdseCodes(1));
    expect(progress.stages).toHaveLength(7);
    expect((await graph.gateway.ok(LEARNER_PATHWAYS, { as: daniel.self })).me.pathways).toEqual([]);
  });

  it("ignores another provider's course until the pathway provider recognises it", async () => {
    await daniel.earn('CS1010');
    expect((await daniel.progress()).creditsEarned).toBe(0);
    const { recordCreditRecognition } = await graph.gateway.ok(RECOGNISE, {
      as: 'PROVIDER_STAFF',
      variables: { input: { courseId: courseId('SE1101'), recognisedCourseId: courseId('CS1010'), creditsGranted: 4 } },
    });
    recognitionId = recordCreditRecognition.id;
    expect(recordCreditRecognition).toMatchObject({ creditsGranted: 4, approvedBy: personas.PROVIDER_STAFF.sub, course: { code: 'SE1101' }, recognisedCourse: { code: 'CS1010' } });
    const progress = await daniel.progress();
    expect(progress.creditsEarned).toBe(4);
    expect(progress.earned).toEqual([{ course: { code: 'SE1101' }, credits: 4, recognisedCourse: { code: 'CS1010' } }]);
    expect(progress.stages[0]).toMatchObject({ complete: false, missingCourses: [{ code: 'SE1102' }] });
    expect(codes(progress.nextCourses)).toEqual(['SE1102']);
    expect((await graph.gateway.ok(LEARNER_PATHWAYS, { as: daniel.self })).me.pathways).toEqual([{ pathway: { code: 'BDSE' }, creditsEarned: 4 }]);
  });

  it('earns the first professional certificate with the second course', async () => {
    firstYear.SE1102 = (await daniel.earn('SE1102'))[0]!;
    const progress = await daniel.progress();
    expect(progress.stages[0]!.complete).toBe(true);
    expect(progress.exitAwards).toEqual([{ stagePosition: 1, award: bdse.stages[0]!.exitAward, jobRoleTitle: null }]);
    expect(codes(progress.nextCourses)).toEqual(bdseCodes(2));
  });

  it('reaches the Junior Full-Stack Software Engineer exit after the first-year courses, and is shown the next courses', async () => {
    for (const code of [...bdseCodes(2), ...bdseCodes(3)]) {
      firstYear[code] = (await daniel.earn(code))[0]!;
      const progress = await daniel.progress();
      expect(progress.exitAwards.at(-1)?.jobRoleTitle ?? null).toBe(code === 'SE1302' ? 'Junior Full-Stack Software Engineer' : null);
    }
    const progress = await daniel.progress();
    expect(progress.creditsEarned).toBe(29);
    expect(progress.percent).toBe(24);
    expect(progress.exitAwards.map((a) => a.stagePosition)).toEqual([1, 2, 3]);
    expect(codes(progress.nextCourses)).toEqual(bdseCodes(4));
  });

  it('loses progress, and the exit award, when a credential is revoked', async () => {
    await daniel.revoke(firstYear.SE1302!);
    const progress = await daniel.progress();
    expect(progress.creditsEarned).toBe(24);
    expect(progress.exitAwards.map((a) => a.stagePosition)).toEqual([1, 2]);
    expect(progress.stages[2]).toMatchObject({ complete: false, missingCourses: [{ code: 'SE1302' }] });
    expect(codes(progress.nextCourses)).toEqual(['SE1302']);
    await daniel.earn('SE1302'); // reassessed and issued again
    expect((await daniel.progress()).creditsEarned).toBe(29);
  });

  it('is not APEL.M-eligible one credit short of half the programme', async () => {
    await daniel.earn(...bdseCodes(4), ...bdseCodes(5), ...bdseCodes(6));
    const progress = await daniel.progress();
    expect(progress).toMatchObject({ creditsEarned: 59, apelEligible: false, apelCreditsNeeded: 60 });
    expect(progress.apelRule).toContain('at least 50% of the programme\'s 120 credits');
    expect(progress.apelRule).toContain('1 more needed');
  });

  it('becomes APEL.M-eligible exactly at 60 of 120 credits', async () => {
    await graph.gateway.ok(WITHDRAW, { as: 'PROVIDER_STAFF', variables: { id: recognitionId } });
    const withdrawn = await daniel.progress();
    expect(withdrawn.creditsEarned).toBe(55);
    expect(withdrawn.exitAwards).toEqual([]);
    expect(codes(withdrawn.nextCourses)).toEqual(['SE1101']);
    await daniel.earn('SE1101');
    const progress = await daniel.progress();
    expect(progress).toMatchObject({ creditsEarned: 60, percent: 50, apelEligible: true });
    expect(progress.apelRule).toContain('eligible');
    expect(progress.exitAwards.map((a) => a.stagePosition)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(codes(progress.nextCourses)).toEqual(bdseCodes(7));
  });
});

describe("a school leaver on BTEL's seven essentials and fourteen electives", () => {
  const essentials = btelEssentialCourses.map((c) => c.code);
  const electives = btelFurtherCourses.map((c) => c.code);
  let revoked: string;

  it('earns the first certificate after four essentials and the Junior Electronic Technician exit after seven', async () => {
    await farah.earn(...essentials.slice(0, 4));
    let progress = await farah.progress();
    expect(progress.exitAwards.map((a) => a.award)).toEqual([btel.stages[0]!.exitAward]);
    expect(codes(progress.nextCourses)).toEqual(essentials.slice(4));
    revoked = (await farah.earn(...essentials.slice(4)))[0]!;
    progress = await farah.progress();
    expect(progress.creditsEarned).toBe(21);
    expect(progress.exitAwards.at(-1)).toEqual({ stagePosition: 2, award: btel.stages[1]!.exitAward, jobRoleTitle: 'Junior Electronic Technician' });
    expect(codes(progress.nextCourses)).toEqual(electives);
    expect(progress.stages[2]).toMatchObject({ complete: false, creditsStillNeeded: 42 });
  });

  it('loses the exit when an essential is revoked', async () => {
    await farah.revoke(revoked);
    const progress = await farah.progress();
    expect(progress.creditsEarned).toBe(18);
    expect(progress.exitAwards).toHaveLength(1);
    expect(codes(progress.nextCourses)).toEqual([essentials[4]]);
    await farah.earn(essentials[4]!);
  });

  it('counts elective credits towards the 42 the diploma stage needs', async () => {
    await farah.earn(...electives.slice(0, 12));
    const progress = await farah.progress();
    expect(progress.stages[2]).toMatchObject({ complete: false, creditsEarned: 36, creditsStillNeeded: 6 });
    expect(codes(progress.nextCourses)).toEqual(electives.slice(12));
    expect(progress).toMatchObject({ creditsEarned: 57, apelEligible: false });
  });

  it('becomes APEL.M-eligible at exactly 60 credits, with the thirteenth elective', async () => {
    await farah.earn(electives[12]!);
    expect(await farah.progress()).toMatchObject({ creditsEarned: 60, percent: 50, apelEligible: true });
    await farah.earn(electives[13]!);
    const progress = await farah.progress();
    expect(progress.exitAwards.at(-1)).toMatchObject({ stagePosition: 3, award: 'Professional Diploma in Electronics' });
    expect(progress).toMatchObject({ creditsEarned: 63, nextCourses: [] });
  });
});

describe('who may see pathway progress', () => {
  const faizal = learnerByKey('faizal');
  const ask = (learnerId: string, as?: Who) => graph.gateway.query(PROGRESS, { as, variables: { pathwayId: bdse.id, learnerId } });

  it('shows the learner their own progress and no one else’s', async () => {
    expect(codesOf(await ask(daniel.learner.id, daniel.self))).toEqual([]);
    const other = await ask(faizal.id, daniel.self);
    expect(codesOf(other)).toEqual(['FORBIDDEN']);
    expect(other.data).toEqual({ pathway: { code: 'BDSE', progress: null } });
  });

  it("shows a learner's progress to the staff and partner of the provider they are enrolled with, not to another provider's staff", async () => {
    expect(codesOf(await ask(daniel.learner.id, 'PROVIDER_STAFF'))).toEqual([]);
    expect(codesOf(await ask(daniel.learner.id, 'PARTNER'))).toEqual([]);
    expect(codesOf(await ask(daniel.learner.id, 'ADMIN'))).toEqual([]);
    const uas = { role: 'PROVIDER_STAFF', sub: 'staff:uas:registrar', providerId: providers.publicUniversity.id } as const;
    expect(codesOf(await ask(daniel.learner.id, uas))).toEqual(['FORBIDDEN']);
  });

  it('shows an employer the progress of a learner who consented to CREDENTIALS, and no other', async () => {
    expect(codesOf(await ask(faizal.id, 'EMPLOYER'))).toEqual([]);
    expect(codesOf(await ask(daniel.learner.id, 'EMPLOYER'))).toEqual(['FORBIDDEN']);
    // Faizal consented PROFILE, PERSONAL and ELIGIBILITY to HRD Corp, not CREDENTIALS.
    expect(codesOf(await ask(faizal.id, 'FUNDER'))).toEqual(['FORBIDDEN']);
  });

  it("lists a learner's pathways to whoever may see their progress, and leaves the rest out", async () => {
    const recognise = { courseId: courseId('SE1101'), recognisedCourseId: courseId('CS1010'), creditsGranted: 4 };
    await graph.gateway.ok(RECOGNISE, { as: 'PROVIDER_STAFF', variables: { input: recognise } });
    const query = `{ learner(id: "${faizal.id}") { pathways { pathway { code title } creditsEarned earned { recognisedCourse { code } } } } }`;
    const employer = await graph.gateway.ok(query, { as: 'EMPLOYER' });
    expect(employer.learner.pathways).toEqual([
      { pathway: { code: 'BDSE', title: bdse.title }, creditsEarned: 4, earned: [{ recognisedCourse: { code: 'CS1010' } }] },
    ]);
    // HRD Corp holds Faizal's consent to PROFILE, PERSONAL and ELIGIBILITY, not CREDENTIALS.
    const funder = await graph.gateway.query(query, { as: 'FUNDER' });
    expect(funder.data).toEqual({ learner: { pathways: [] } });
  });

  it('asks the public to sign in', async () => {
    expect(codesOf(await ask(daniel.learner.id))).toEqual(['UNAUTHENTICATED']);
  });
});
