import { bdse, courseByCode, courseId, learnerByKey, providers } from '@tauliah/demo-data';
import { codesOf, type Who } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Pathway progress is derived from credentials, so it must never tell a
 * viewer of a credential it could not read directly. These are the attacks
 * that worked before: a provider building a pathway out of another provider's
 * courses to read any learner's credentials through progress.
 */
let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const uas: Who = { role: 'PROVIDER_STAFF', sub: 'staff:uas:registrar', providerId: providers.publicUniversity.id };
const odl: Who = { role: 'PROVIDER_STAFF', sub: 'staff:odl:registrar', providerId: providers.odl.id };
const aisyah = learnerByKey('aisyah');
const daniel = learnerByKey('daniel');
const faizal = learnerByKey('faizal');
const self = (id: string): Who => ({ role: 'LEARNER', sub: id });

const CREATE = `mutation($input: PathwayInput!) { createPathway(input: $input) { id } }`;
const COHORT = `query($id: ID!, $ids: [ID!]!) { pathway(id: $id) { progressFor(learnerIds: $ids) { learner { id } creditsEarned } } }`;
const PROGRESS = `query($id: ID!, $learnerId: ID!) { pathway(id: $id) { progress(learnerId: $learnerId) { creditsEarned earned { course { code } recognisedCourse { code } } } } }`;
const PATHWAYS = `query($id: ID!) { learner(id: $id) { pathways { pathway { id } creditsEarned } } }`;
const RECOGNISE = `mutation($input: RecordCreditRecognitionInput!) { recordCreditRecognition(input: $input) { id } }`;
const CONSENT = `mutation($provider: ID!, $until: DateTimeISO!) { grantConsent(input: { granteeKind: PROVIDER, granteeId: $provider, scopes: [CREDENTIALS], expiresAt: $until }) { id } }`;

describe("a pathway built from another provider's courses", () => {
  let oracle: string;
  beforeAll(async () => {
    // UAS strings all of ODL's published BDSE courses into a pathway of its own.
    const requiredCourseIds = bdse.stages.flatMap((s) => s.requiredCourseIds);
    const input = {
      code: 'ORACLE',
      title: 'Everything ODL teaches',
      description: 'A pathway made to read progress.',
      targetProgramme: 'Anything',
      targetProgrammeCredits: 120,
      stages: [{ title: 'All of it', requiredCourseIds, exitAward: 'Nothing' }],
    };
    oracle = (await graph.gateway.ok(CREATE, { as: uas, variables: { input } })).createPathway.id;
  });

  it("refuses its provider the progress of learners not enrolled with it, whatever they hold", async () => {
    const victims = [aisyah.id, daniel.id, faizal.id];
    const cohort = await graph.gateway.query(COHORT, { as: uas, variables: { id: oracle, ids: victims } });
    expect(codesOf(cohort)).toEqual(['FORBIDDEN']);
    expect(cohort.data).toEqual({ pathway: { progressFor: null } });
    for (const learnerId of victims) {
      const one = await graph.gateway.query(PROGRESS, { as: uas, variables: { id: oracle, learnerId } });
      expect(codesOf(one), learnerId).toEqual(['FORBIDDEN']);
    }
  });

  it("lists no pathway, its own included, for a learner not enrolled with the viewer", async () => {
    for (const learnerId of [aisyah.id, daniel.id]) {
      const answer = await graph.gateway.query(PATHWAYS, { as: uas, variables: { id: learnerId } });
      expect(answer.data?.learner?.pathways ?? [], learnerId).toEqual([]);
    }
    // Aisyah herself sees the pathway her credentials count towards.
    const own = await graph.gateway.ok(PATHWAYS, { as: self(aisyah.id), variables: { id: aisyah.id } });
    expect(own.learner.pathways.map((p: { pathway: { id: string } }) => p.pathway.id)).toContain(oracle);
  });

  it('refuses a provider the progress of a learner not enrolled with it, even on its own pathway', async () => {
    // Faizal was not enrolled by any provider.
    const answer = await graph.gateway.query(PROGRESS, { as: odl, variables: { id: bdse.id, learnerId: faizal.id } });
    expect(codesOf(answer)).toEqual(['FORBIDDEN']);
  });
});

describe('an enrolled provider reading progress', () => {
  it('counts only the credentials it may read, unless the learner consented to CREDENTIALS', async () => {
    // BDSE (ODL) recognises UAS's CS1010 for SE1101; Daniel holds a PRIVATE CS1010 credential from UAS.
    await graph.gateway.ok(RECOGNISE, { as: odl, variables: { input: { courseId: courseId('SE1101'), recognisedCourseId: courseId('CS1010'), creditsGranted: 4 } } });
    const cs1010 = courseByCode.get('CS1010')!;
    await graph.connection.query(
      `insert into credentials.credential (holder_id, course_id, issuer_id, title, credits, mqf_level, issued_at, visibility)
       values ($1, $2, $3, $4, $5, $6, now() - interval '1 day', 'PRIVATE')`,
      [daniel.id, cs1010.id, cs1010.providerId, cs1010.title, cs1010.credits, cs1010.mqfLevel],
    );
    const progress = async (as: Who) =>
      (await graph.gateway.ok(PROGRESS, { as, variables: { id: bdse.id, learnerId: daniel.id } })).pathway.progress as { creditsEarned: number; earned: Array<{ course: { code: string }; recognisedCourse: { code: string } | null }> };

    const own = await progress(self(daniel.id));
    expect(own.earned.map((e) => e.recognisedCourse?.code)).toContain('CS1010');
    // ODL enrolled Daniel, but may not read UAS's private credential: its answer must not count it.
    const odlView = await progress(odl);
    expect(odlView.earned.map((e) => e.recognisedCourse?.code)).not.toContain('CS1010');
    expect(odlView.creditsEarned).toBe(own.creditsEarned - 4);

    await graph.gateway.ok(CONSENT, { as: self(daniel.id), variables: { provider: providers.odl.id, until: new Date(Date.now() + 90 * 86_400_000).toISOString() } });
    expect(await progress(odl)).toEqual(own);
  });
});
