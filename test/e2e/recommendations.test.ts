import { courseByCode, demoId, employers, learnerByKey, providers } from '@tauliah/demo-data';
import { codesOf, eventually } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnerToken, odlStaff } from './talent.support.ts';

let graph: TestGraph;
const fullStack = demoId('job-role:junior-full-stack');
const draftRole = demoId('job-role:embedded-engineer-draft');
const bdse = demoId('pathway:BDSE');
const course = (code: string) => courseByCode.get(code)!.id;
const uasStaff = { role: 'PROVIDER_STAFF', sub: 'staff:uas:registrar', providerId: providers.publicUniversity.id } as const;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const RECOMMENDATIONS = `query($goal: RecommendationGoalInput, $first: Int) {
  me { recommendations(goal: $goal, first: $first) {
    rank score summary feeSen coveredSen amountToPaySen fundedBy { id name }
    course { id code title mqfLevel }
    reasons { kind detail weight skill { code } course { id } stagePosition learners scheme { id } coveredSen mqfLevel }
  } }
}`;

interface Reason { kind: string; detail: string; weight: number; skill: { code: string } | null; course: { id: string } | null; stagePosition: number | null; learners: number | null; scheme: { id: string } | null; coveredSen: number | null }
interface Recommendation { rank: number; score: number; summary: string; feeSen: number; coveredSen: number; amountToPaySen: number; fundedBy: { id: string; name: string } | null; course: { id: string; code: string; title: string; mqfLevel: number | null }; reasons: Reason[] }

async function recommendations(learnerId: string, goal: Record<string, string> | null, first = 10): Promise<Recommendation[]> {
  const data = await graph.gateway.ok(RECOMMENDATIONS, { as: learnerToken(learnerId), variables: { goal, first } });
  return data.me.recommendations;
}
const codes = (list: Recommendation[]) => list.map((r) => r.course.code);
const kinds = (r: Recommendation | undefined) => (r?.reasons ?? []).map((reason) => reason.kind);

async function issue(as: object, learnerId: string, code: string): Promise<string> {
  const data = await graph.gateway.ok(`mutation($input: IssueCredentialInput!) { issueCredential(input: $input) { id } }`, { as: as as never, variables: { input: { learnerId, courseId: course(code) } } });
  return data.issueCredential.id;
}
const revoke = (as: object, id: string) => graph.gateway.ok(`mutation($id: ID!) { revokeCredential(id: $id, reason: "Issued in error") { status } }`, { as: as as never, variables: { id } });

describe('recommendations for a goal', () => {
  const nurul = learnerByKey('nurul');

  it("ranks a job role's missing skills at the level it asks for, each with its reasons, best first", async () => {
    const list = await recommendations(nurul.id, { jobRoleId: fullStack });
    expect(list.length).toBeGreaterThan(0);
    expect(list.map((r) => r.rank)).toEqual(list.map((_, i) => i + 1));
    expect(list.map((r) => r.score)).toEqual([...list.map((r) => r.score)].sort((a, b) => b - a));
    // Nurul holds stage 1 (programming) only: web front-end, back-end and databases are missing.
    expect(codes(list)).not.toContain('SE1101');
    const capstone = list.find((r) => r.course.code === 'SE1302')!;
    const missing = capstone.reasons.filter((r) => r.kind === 'MISSING_SKILL').map((r) => r.skill!.code).sort();
    expect(missing).toEqual(['WEB-BACKEND', 'WEB-FRONTEND']);
    for (const r of list) {
      expect(kinds(r)).toContain('MISSING_SKILL');
      expect(r.summary).toContain(r.course.title);
      expect(r.reasons.reduce((sum, reason) => sum + reason.weight, 0)).toBeCloseTo(r.score, 2);
      expect(r.amountToPaySen).toBe(r.feeSen - r.coveredSen);
    }
    // Learners holding Nurul's courses went on to these: counted from the demo credentials.
    expect(list.some((r) => kinds(r).includes('SIMILAR_LEARNERS'))).toBe(true);
  });

  it("follows a pathway's order: the next stage's required courses first, then the stage after", async () => {
    const list = await recommendations(nurul.id, { pathwayId: bdse });
    expect(codes(list).slice(0, 2).sort()).toEqual(['SE1201', 'SE1202']);
    expect(list[0]!.reasons.find((r) => r.kind === 'PATHWAY_REQUIRED')!.stagePosition).toBe(2);
    const later = list.filter((r) => kinds(r).includes('PATHWAY_LATER_STAGE'));
    expect(later.map((r) => r.course.code).sort()).toEqual(['SE1301', 'SE1302']);
    expect(later.every((r) => r.rank > 2)).toBe(true);
  });

  it('names the funding the learner is eligible for and what is left to pay', async () => {
    // Aisyah declared a B40 household income: the bursary pays 90% of a course.
    const list = await recommendations(learnerByKey('aisyah').id, { pathwayId: bdse });
    const funded = list.find((r) => r.fundedBy)!;
    expect(funded.coveredSen).toBeGreaterThan(0);
    expect(funded.amountToPaySen).toBe(funded.feeSen - funded.coveredSen);
    expect(funded.reasons.find((r) => r.kind === 'FUNDING')).toMatchObject({ scheme: { id: funded.fundedBy!.id }, coveredSen: funded.coveredSen });
    expect(funded.summary).toMatch(/You would pay RM/u);
  });

  it('changes once the learner earns a credential: the course leaves, and the skill it proves is no longer missing', async () => {
    const rolePlan = await recommendations(nurul.id, { jobRoleId: fullStack });
    const pathwayPlan = await recommendations(nurul.id, { pathwayId: bdse });
    expect(codes(pathwayPlan)).toContain('SE1201');
    await issue(odlStaff, nurul.id, 'SE1201');
    // At once: the credentials service answers with the new credential.
    const rolePlanAfter = await recommendations(nurul.id, { jobRoleId: fullStack });
    expect(codes(rolePlanAfter)).not.toContain('SE1201');
    expect(rolePlanAfter).not.toEqual(rolePlan);
    const capstone = rolePlanAfter.find((r) => r.course.code === 'SE1302')!;
    expect(capstone.reasons.filter((r) => r.kind === 'MISSING_SKILL').map((r) => r.skill!.code)).toEqual(['WEB-BACKEND']);
    expect(codes(await recommendations(nurul.id, { pathwayId: bdse }))).not.toContain('SE1201');
  });

  it('changes without a goal too, once the event of the credential is heard: what learners holding that course completed next', async () => {
    const daniel = learnerByKey('daniel');
    expect(await recommendations(daniel.id, null)).toEqual([]);
    await issue(odlStaff, daniel.id, 'SE1101');
    let list: Recommendation[] = [];
    await eventually(async () => (list = await recommendations(daniel.id, null)).length > 0, 'the issued credential to reach the guidance');
    expect(codes(list)).not.toContain('SE1101');
    // Every BDSE learner of the demo took Programming with Python, then Problem Solving and Algorithms.
    expect(list[0]!.course.code).toBe('SE1102');
    for (const r of list) {
      expect(r.reasons.find((reason) => reason.kind === 'SIMILAR_LEARNERS')).toMatchObject({ course: { id: course('SE1101') }, learners: expect.any(Number) });
    }
  });
});

describe('recommendations without a goal', () => {
  const james = learnerByKey('james');
  const INTERESTS = `mutation($codes: [String!]!) { setMyInterests(skillCodes: $codes) { id interests { code name } } }`;

  it('follow the skills the learner is interested in, once they say which', async () => {
    expect(await recommendations(james.id, null)).toEqual([]);
    const set = await graph.gateway.ok(INTERESTS, { as: learnerToken(james.id), variables: { codes: ['databases'] } });
    expect(set.setMyInterests.interests).toEqual([{ code: 'DATABASES', name: expect.any(String) }]);
    const list = await recommendations(james.id, null);
    expect(codes(list).sort()).toEqual(['DS2001', 'SE1301']);
    for (const r of list) expect(r.reasons.find((reason) => reason.kind === 'INTEREST')!.skill).toEqual({ code: 'DATABASES' });
    expect(codes(await recommendations(james.id, null, 1))).toHaveLength(1);
  });

  it('rank what learners holding the same course went on to complete above the rest, and follow revocations', async () => {
    // James holds Introduction to Programming (CS1010), as Faizal does; SE1301 and DS2001 both teach databases, DS2001 a level up.
    await issue(uasStaff, james.id, 'CS1010');
    const before = await recommendations(james.id, null);
    expect(codes(before).slice(0, 2)).toEqual(['DS2001', 'SE1301']);
    // Three learners take CS1010 and then complete SE1301: the ranking follows them.
    const faizal = learnerByKey('faizal');
    const followers = [learnerByKey('daniel'), learnerByKey('farah')];
    for (const learner of followers) await issue(uasStaff, learner.id, 'CS1010');
    const taken: string[] = [];
    for (const learner of [...followers, faizal]) taken.push(await issue(odlStaff, learner.id, 'SE1301'));
    const similar = (list: Recommendation[]) => list.find((r) => r.course.code === 'SE1301')?.reasons.find((r) => r.kind === 'SIMILAR_LEARNERS');
    await eventually(async () => similar(await recommendations(james.id, null))?.learners === 3, 'the three credentials to reach the guidance');
    const after = await recommendations(james.id, null);
    expect(codes(after).slice(0, 2)).toEqual(['SE1301', 'DS2001']);
    expect(similar(after)).toMatchObject({ course: { id: course('CS1010') }, learners: 3 });
    expect(similar(after)!.detail).toContain('Introduction to Programming');
    // One is revoked: two learners are too few to show, and the ranking is as before.
    await revoke(odlStaff, taken[0]!);
    await eventually(async () => similar(await recommendations(james.id, null)) === undefined, 'the revocation to reach the guidance');
    expect(codes(await recommendations(james.id, null)).slice(0, 2)).toEqual(['DS2001', 'SE1301']);
  });

  it('refuses interests outside the taxonomy, and clears them', async () => {
    const unknown = await graph.gateway.query(INTERESTS, { as: learnerToken(james.id), variables: { codes: ['DATABASES', 'NO-SUCH-SKILL'] } });
    expect(codesOf(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(unknown.errors![0]!.message).toContain('NO-SUCH-SKILL');
    const malformed = await graph.gateway.query(INTERESTS, { as: learnerToken(james.id), variables: { codes: ['not a code'] } });
    expect(codesOf(malformed)).toEqual(['BAD_USER_INPUT']);
    const tooMany = await graph.gateway.query(INTERESTS, { as: learnerToken(james.id), variables: { codes: Array.from({ length: 11 }, (_, i) => `SK-${i}`) } });
    expect(codesOf(tooMany)).toEqual(['BAD_USER_INPUT']);
    const cleared = await graph.gateway.ok(`mutation { clearMyInterests { interests { code } } }`, { as: learnerToken(james.id) });
    expect(cleared.clearMyInterests.interests).toEqual([]);
  });
});

describe('bad input', () => {
  const nurul = learnerByKey('nurul');
  const ask = (goal: unknown, first?: number) => graph.gateway.query(RECOMMENDATIONS, { as: learnerToken(nurul.id), variables: { goal, first } });

  it.each([
    ['an unknown job role', { jobRoleId: randomUUID() }, 'NOT_FOUND'],
    ["another employer's draft job role", { jobRoleId: draftRole }, 'NOT_FOUND'],
    ['an unknown pathway', { pathwayId: randomUUID() }, 'NOT_FOUND'],
    ['both a job role and a pathway', { jobRoleId: fullStack, pathwayId: bdse }, 'BAD_USER_INPUT'],
    ['a goal naming neither', {}, 'BAD_USER_INPUT'],
    ['a malformed id', { jobRoleId: 'SE1101' }, 'BAD_USER_INPUT'],
  ])('answers %s with %s', async (_, goal, code) => {
    const response = await ask(goal);
    expect(codesOf(response)).toEqual([code]);
    expect(response.data?.me?.recommendations ?? null).toBeNull();
  });

  it.each([0, 21, -1])('refuses first = %i', async (first) => {
    const response = await ask(null, first);
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toMatch(/first must be between 1 and 20/u);
  });
});

describe('side doors', () => {
  const faizal = learnerByKey('faizal');
  const OF = `query($id: ID!) { learner(id: $id) { id recommendations(goal: { jobRoleId: "${fullStack}" }) { course { id } } interests { code } } }`;

  it.each([
    ['another learner', learnerToken(learnerByKey('nurul').id)],
    ['an employer he consented to share his credentials with', { role: 'EMPLOYER', sub: 'staff:perisian:hr', employerId: employers.software.id }],
    ['a provider', odlStaff],
    ['a platform administrator', 'ADMIN'],
  ])('refuses %s', async (_, who) => {
    const response = await graph.gateway.query(OF, { as: who as never, variables: { id: faizal.id } });
    expect(response.data?.learner?.recommendations ?? null).toBeNull();
    expect(codesOf(response)).toContain('FORBIDDEN');
  });

  it('refuses the public', async () => {
    const response = await graph.gateway.query(OF, { variables: { id: faizal.id } });
    expect(codesOf(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a learner reading recommendations through the subgraph directly as someone else', async () => {
    const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Learner { recommendations { course { id } } } } }`;
    const response = await graph.subgraph.learners.query(ENTITIES, { as: learnerToken(learnerByKey('nurul').id), variables: { reps: [{ __typename: 'Learner', id: faizal.id }] } });
    expect(codesOf(response)).toContain('FORBIDDEN');
  });
});
