import { bdse, bdseCourses, btel, courseId, demoId, learnerByKey, personas, providers } from '@tauliah/demo-data';
import { codesOf, type Who } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LearnerOnPathway } from './pathways.support.ts';

/**
 * APEL.M, applied for (issue 14), through the gateway: a learner whose
 * micro-credentials earned half of a programme's credits applies for entry
 * to it, their progress (read as them) the evidence; the pathway's provider
 * admits them with credits transferred, or refuses with a reason; both see
 * the application and its history. The demo data: Hafiz completed six BDSE
 * stages (60 of 120 credits, exactly MQA's 50%), Siti five (50), Ravi every
 * BTEL course (63 of 120); Grace's application (all seven stages) is pending.
 */
let graph: TestGraph;
let hafiz: LearnerOnPathway;
let siti: LearnerOnPathway;
let ravi: LearnerOnPathway;

beforeAll(async () => {
  graph = await startTestGraph();
  hafiz = new LearnerOnPathway(graph, learnerByKey('hafiz'), bdse.id);
  siti = new LearnerOnPathway(graph, learnerByKey('siti'), bdse.id);
  ravi = new LearnerOnPathway(graph, learnerByKey('ravi'), btel.id);
});
afterAll(() => graph?.stop());

const FIELDS = `id status targetProgramme programmeCredits thresholdPercent creditsNeeded creditsEarned creditsTransferred reason submittedAt decidedAt
  pathway { code targetProgramme provider { name } } learner { id }
  evidence { credentialId credits course { code } recognisedCourse { code } }
  history { action by byRole at }`;
const APPLY = `mutation($pathwayId: ID!, $key: String) { applyForApelM(pathwayId: $pathwayId, idempotencyKey: $key) { ${FIELDS} } }`;
const DECIDE = `mutation($id: ID!, $decision: ApelMDecision!, $credits: Int, $reason: String) {
  decideApelMApplication(id: $id, decision: $decision, creditsTransferred: $credits, reason: $reason) { ${FIELDS} } }`;
const MINE = `{ me { apelMApplications { ${FIELDS} } } }`;
const ONE = `query($id: ID!) { apelMApplication(id: $id) { ${FIELDS} } }`;
const QUEUE = `query($id: ID!) { pathway(id: $id) { apelMApplications(status: PENDING) { totalCount edges { node { id learner { id } creditsEarned evidence { course { code } } } } } } }`;

const uasStaff: Who = { role: 'PROVIDER_STAFF', sub: 'staff:uas:registrar', providerId: providers.publicUniversity.id };
const graceApplication = demoId('apel-m-application:grace:BDSE');
const BACHELOR = 'Bachelor of Software Engineering (Hons)';
const codesOfStages = (stages: number) => bdseCourses.slice(0, stages).flat().map((c) => c.code);

async function apply(learner: LearnerOnPathway, key?: string) {
  return graph.gateway.query(APPLY, { as: learner.self, variables: { pathwayId: learner.pathwayId, key } });
}
const storedFor = (learner: LearnerOnPathway) =>
  graph.connection.query<{ id: string; status: string }>(`select id, status from providers.apel_m_application where learner_id = $1 order by created_at`, [learner.learner.id]);

describe('an eligible learner applies and the provider admits them', () => {
  let applicationId: string;

  it("applies with their progress as the evidence: every credential counted, the credits, and the rule they met", async () => {
    expect(await hafiz.progress()).toMatchObject({ creditsEarned: 60, apelEligible: true, apelCreditsNeeded: 60 });
    const response = await apply(hafiz, 'hafiz-apel-bdse');
    expect(response.errors).toBeUndefined();
    const application = response.data!.applyForApelM;
    applicationId = application.id;
    expect(application).toMatchObject({
      status: 'PENDING',
      targetProgramme: BACHELOR,
      programmeCredits: 120,
      thresholdPercent: 50,
      creditsNeeded: 60,
      creditsEarned: 60,
      creditsTransferred: null,
      reason: null,
      decidedAt: null,
      pathway: { code: 'BDSE', targetProgramme: BACHELOR, provider: { name: providers.odl.name } },
      learner: { id: hafiz.learner.id },
    });
    expect(application.evidence).toEqual(
      codesOfStages(6).map((code) => ({ credentialId: demoId(`credential:hafiz:${code}`), credits: 5, course: { code }, recognisedCourse: null })),
    );
    expect(application.history).toEqual([{ action: 'SUBMITTED', by: hafiz.learner.id, byRole: 'LEARNER', at: application.submittedAt }]);
  });

  it('answers a retry with the same idempotency key with the same application, and a second application with CONFLICT naming it', async () => {
    const retried = await apply(hafiz, 'hafiz-apel-bdse');
    expect(retried.data!.applyForApelM.id).toBe(applicationId);
    const second = await apply(hafiz, 'hafiz-apel-bdse-2');
    expect(codesOf(second)).toEqual(['CONFLICT']);
    expect(second.errors![0]!.message).toBe(`Your APEL.M application ${applicationId} to this pathway is pending: wait for its decision.`);
    expect(second.errors![0]!.extensions).toMatchObject({ applicationId, status: 'PENDING' });
    const grace = await graph.gateway.query(APPLY, { as: { role: 'LEARNER', sub: learnerByKey('grace').id }, variables: { pathwayId: bdse.id } });
    expect(grace.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', applicationId: graceApplication });
    expect(await storedFor(hafiz)).toEqual([{ id: applicationId, status: 'PENDING' }]);
  });

  it("is in the provider's queue with its evidence, oldest first after Grace's", async () => {
    const queue = (await graph.gateway.ok(QUEUE, { as: 'PROVIDER_STAFF', variables: { id: bdse.id } })).pathway.apelMApplications;
    expect(queue.totalCount).toBe(2);
    expect(queue.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([graceApplication, applicationId]);
    expect(queue.edges[1].node).toMatchObject({ learner: { id: hafiz.learner.id }, creditsEarned: 60 });
  });

  it('is admitted by the provider with credits transferred within the rule, once', async () => {
    const decide = (who: Who, variables: Record<string, unknown>) => graph.gateway.query(DECIDE, { as: who, variables: { id: applicationId, ...variables } });
    const below = await decide('PROVIDER_STAFF', { decision: 'ADMIT', credits: 59 });
    expect(codesOf(below)).toEqual(['BAD_USER_INPUT']);
    expect(below.errors![0]!.message).toMatch(/^creditsTransferred must be from 60 .* to 60 /);
    expect(codesOf(await decide('PROVIDER_STAFF', { decision: 'ADMIT', credits: 61 }))).toEqual(['BAD_USER_INPUT']);
    const elsewhere = await decide(uasStaff, { decision: 'ADMIT', credits: 60 });
    expect(codesOf(elsewhere)).toEqual(['NOT_FOUND']);
    expect(elsewhere.errors![0]!.message).toBe(`ApelMApplication ${applicationId} does not exist.`);

    const admitted = (await decide('PROVIDER_STAFF', { decision: 'ADMIT', credits: 60, reason: 'Admitted to Year 2, semester 1.' })).data!.decideApelMApplication;
    expect(admitted).toMatchObject({ status: 'ADMITTED', creditsTransferred: 60, reason: 'Admitted to Year 2, semester 1.' });
    expect(admitted.history).toEqual([
      { action: 'SUBMITTED', by: hafiz.learner.id, byRole: 'LEARNER', at: admitted.submittedAt },
      { action: 'ADMITTED', by: personas.PROVIDER_STAFF.sub, byRole: 'PROVIDER_STAFF', at: admitted.decidedAt },
    ]);
    expect((await decide('PARTNER', { decision: 'ADMIT', credits: 60 })).data!.decideApelMApplication).toEqual(admitted);
    expect(codesOf(await decide('PROVIDER_STAFF', { decision: 'REFUSE', reason: 'Second thoughts.' }))).toEqual(['CONFLICT']);
  });

  it('is seen, with its history, by the learner and the provider, and by nobody else', async () => {
    const mine = (await graph.gateway.ok(MINE, { as: hafiz.self })).me.apelMApplications;
    const seenByProvider = (await graph.gateway.ok(ONE, { as: 'PROVIDER_STAFF', variables: { id: applicationId } })).apelMApplication;
    expect(mine).toEqual([seenByProvider]);
    expect(seenByProvider).toMatchObject({ status: 'ADMITTED', creditsTransferred: 60, history: [{ action: 'SUBMITTED' }, { action: 'ADMITTED' }] });
    expect((await graph.gateway.ok(ONE, { as: 'ADMIN', variables: { id: applicationId } })).apelMApplication).toEqual(seenByProvider);
    for (const who of [siti.self, uasStaff, 'EMPLOYER', 'FUNDER'] as const) {
      const response = await graph.gateway.query(ONE, { as: who, variables: { id: applicationId } });
      expect(codesOf(response)).toEqual(['NOT_FOUND']);
      expect(JSON.stringify(response.errors)).not.toContain(hafiz.learner.id);
    }
    expect((await graph.gateway.ok(MINE, { as: siti.self })).me.apelMApplications).toEqual([]);
    expect(codesOf(await graph.gateway.query(QUEUE, { as: uasStaff, variables: { id: bdse.id } }))).toEqual(['FORBIDDEN']);
  });

  it('lets only one of two applications sent at once through: the other is a CONFLICT naming it', async () => {
    const zainab = new LearnerOnPathway(graph, learnerByKey('zainab'), btel.id);
    const answers = await Promise.all([apply(zainab, 'zainab-phone'), apply(zainab, 'zainab-laptop')]);
    const stored = await storedFor(zainab);
    expect(stored).toEqual([{ id: expect.any(String), status: 'PENDING' }]);
    const winner = answers.find((a) => !a.errors);
    const loser = answers.find((a) => a.errors);
    expect(winner?.data!.applyForApelM.id).toBe(stored[0]!.id);
    expect(codesOf(loser!)).toEqual(['CONFLICT']);
    expect(loser!.errors![0]!.extensions).toMatchObject({ applicationId: stored[0]!.id });
  });

  it('leaves an admitted learner nothing to apply for again', async () => {
    const again = await apply(hafiz);
    expect(codesOf(again)).toEqual(['CONFLICT']);
    expect(again.errors![0]!.message).toBe(`Your APEL.M application ${applicationId} to this pathway admitted you already.`);
  });
});

describe('applying is refused', () => {
  it('to a learner short of the threshold, saying how many credits are missing, and nothing is kept', async () => {
    expect(await siti.progress()).toMatchObject({ creditsEarned: 50, apelEligible: false });
    const response = await apply(siti, 'siti-apel-1');
    expect(codesOf(response)).toEqual(['CONFLICT']);
    expect(response.errors![0]!.message).toMatch(new RegExp(`^Not yet eligible for APEL\\.M entry to ${BACHELOR.replace(/[()]/g, '\\$&')}: 10 more credits needed\\. APEL\\.M admits with at least 50%`));
    expect(response.errors![0]!.extensions).toMatchObject({ creditsEarned: 50, creditsNeeded: 60, creditsMissing: 10 });
    expect(await storedFor(siti)).toEqual([]);
  });

  it('to anyone but a learner applying for themselves', async () => {
    for (const who of ['PROVIDER_STAFF', 'PARTNER', 'EMPLOYER', 'FUNDER', 'ADMIN'] as const) {
      expect(codesOf(await graph.gateway.query(APPLY, { as: who, variables: { pathwayId: bdse.id } }))).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await graph.gateway.query(APPLY, { variables: { pathwayId: bdse.id } }))).toEqual(['UNAUTHENTICATED']);
    const forSiti = await graph.gateway.query(`mutation($l: ID!) { applyForApelM(pathwayId: "${bdse.id}", learnerId: $l) { id } }`, { as: 'LEARNER', variables: { l: siti.learner.id } });
    expect(codesOf(forSiti)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(await storedFor(siti)).toEqual([]);
  });

  it("while the pathway's provider is suspended, as is admitting; refusing is not", async () => {
    const reason = 'MQA audit 2026/21: assessment records could not be produced.';
    const sitiAgain = await (async () => {
      await siti.earn('SE2301', 'SE2302');
      return (await apply(siti)).data!.applyForApelM.id as string;
    })();
    await graph.gateway.ok(`mutation($id: ID!, $reason: String!) { suspendProvider(id: $id, reason: $reason) { id } }`, { as: 'ADMIN', variables: { id: providers.odl.id, reason } });
    try {
      expect(await ravi.progress()).toMatchObject({ creditsEarned: 63, apelEligible: true });
      const refused = await apply(ravi);
      expect(codesOf(refused)).toEqual(['FORBIDDEN']);
      expect(refused.errors![0]!.message).toBe(`${providers.odl.name} is suspended and may not take APEL.M applications until a platform administrator reinstates it.`);
      const admit = await graph.gateway.query(DECIDE, { as: 'PROVIDER_STAFF', variables: { id: sitiAgain, decision: 'ADMIT', credits: 60 } });
      expect(codesOf(admit)).toEqual(['FORBIDDEN']);
      const refuse = await graph.gateway.ok(DECIDE, {
        as: 'PROVIDER_STAFF',
        variables: { id: sitiAgain, decision: 'REFUSE', reason: 'Our programme is closed while MQA reviews our assessment records.' },
      });
      expect(refuse.decideApelMApplication).toMatchObject({ status: 'REFUSED', creditsTransferred: null, reason: 'Our programme is closed while MQA reviews our assessment records.' });
    } finally {
      await graph.gateway.ok(`mutation($id: ID!) { reinstateProvider(id: $id) { id } }`, { as: 'ADMIN', variables: { id: providers.odl.id } });
    }
    expect(await storedFor(ravi)).toEqual([]);
    expect((await apply(ravi)).data!.applyForApelM).toMatchObject({ status: 'PENDING', creditsEarned: 63, creditsNeeded: 60 });
  });
});

describe('applying again after a refusal', () => {
  it('counts a credential from another provider that the pathway recognises, as evidence of the course it stands for', async () => {
    // Siti's SE2302 is revoked (reassessment); UAS's CS1010 that she also holds is recognised for it.
    const [revoked] = await graph.connection.query<{ id: string }>(`select id from credentials.credential where holder_id = $1 and course_id = $2`, [siti.learner.id, courseId('SE2302')]);
    await siti.revoke(revoked!.id);
    const [cs1010] = await siti.earn('CS1010');
    await graph.gateway.ok(`mutation($input: RecordCreditRecognitionInput!) { recordCreditRecognition(input: $input) { id } }`, {
      as: 'PROVIDER_STAFF',
      variables: { input: { courseId: courseId('SE2302'), recognisedCourseId: courseId('CS1010'), creditsGranted: 5 } },
    });
    const application = (await apply(siti)).data!.applyForApelM;
    expect(application).toMatchObject({ status: 'PENDING', creditsEarned: 60 });
    expect(application.evidence).toContainEqual({ credentialId: cs1010, credits: 5, course: { code: 'SE2302' }, recognisedCourse: { code: 'CS1010' } });
    expect(application.evidence.map((e: { credentialId: string }) => e.credentialId)).not.toContain(revoked!.id);
    expect((await storedFor(siti)).map((a) => a.status)).toEqual(['REFUSED', 'PENDING']);

    const admitted = (await graph.gateway.ok(DECIDE, { as: 'PARTNER', variables: { id: application.id, decision: 'ADMIT', credits: 60 } })).decideApelMApplication;
    expect(admitted.history.map((h: { action: string; byRole: string }) => `${h.action} by ${h.byRole}`)).toEqual(['SUBMITTED by LEARNER', 'ADMITTED by PARTNER']);
    const mine = (await graph.gateway.ok(MINE, { as: siti.self })).me.apelMApplications;
    expect(mine.map((a: { status: string }) => a.status)).toEqual(['ADMITTED', 'REFUSED']);
  });
});

describe("the pathway's APEL.M threshold", () => {
  it("is never set below MQA's minimum of 50% of the programme's credits", async () => {
    const input = {
      code: 'BDSE-EZ',
      title: 'Software Engineering (easy entry)',
      description: 'A pathway that asks too little.',
      targetProgramme: BACHELOR,
      targetProgrammeCredits: 120,
      apelThresholdPercent: 40,
      stages: [{ title: 'Programming', requiredCourseIds: [courseId('SE1101')], exitAward: 'Professional Certificate in Programming' }],
    };
    const response = await graph.gateway.query(`mutation($input: PathwayInput!) { createPathway(input: $input) { id } }`, { as: 'PROVIDER_STAFF', variables: { input } });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toContain("input.apelThresholdPercent must be at least 50: MQA's APEL.M guidelines");
    const accepted = await graph.gateway.ok(`mutation($input: PathwayInput!) { createPathway(input: $input) { apelThresholdPercent } }`, {
      as: 'PROVIDER_STAFF',
      variables: { input: { ...input, apelThresholdPercent: 50 } },
    });
    expect(accepted.createPathway.apelThresholdPercent).toBe(50);
  });
});
