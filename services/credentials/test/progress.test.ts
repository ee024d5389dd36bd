import { bdse, courseId, learnerByKey, providers } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph, type Who } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credential, learnerEnrolment } from '../src/db/schema.ts';
import { credentialsService } from '../src/index.ts';

let graph: TestSubgraph<typeof credentialsService.tables>;
const aisyah = learnerByKey('aisyah');
const cohort = Array.from({ length: 200 }, () => randomUUID());

/** BDSE's definition as the gateway hands it over from the providers subgraph (stage 1 and 2 only). */
const representation = {
  __typename: 'Pathway',
  id: bdse.id,
  provider: { id: providers.odl.id },
  targetProgrammeCredits: 120,
  apelThresholdPercent: 50,
  stages: bdse.stages.slice(0, 2).map((s) => ({
    position: s.position,
    title: s.title,
    exitAward: s.exitAward,
    exitJobRoleTitle: s.exitJobRoleTitle,
    minimumCredits: s.minimumCredits,
    requiredCourseIds: s.requiredCourseIds,
    electiveCourseIds: s.electiveCourseIds,
  })),
  recognitions: [{ courseId: courseId('SE1201'), recognisedCourseId: courseId('CS1010'), creditsGranted: 4 }],
};

const PROGRESS = `query($reps: [_Any!]!, $learnerId: ID!) { _entities(representations: $reps) { ... on Pathway {
  progress(learnerId: $learnerId) { learner { id } pathway { id } creditsEarned exitAwards { stagePosition } nextCourses { id } stages { complete missingCourses { id } } }
} } }`;
const COHORT = `query($reps: [_Any!]!, $ids: [ID!]!) { _entities(representations: $reps) { ... on Pathway { progressFor(learnerIds: $ids) { creditsEarned } } } }`;

const progressOf = (learnerId: string, as?: Who) => graph.client.query(PROGRESS, { as, variables: { reps: [representation], learnerId } });

beforeAll(async () => {
  graph = await startTestSubgraph(credentialsService);
  const row = (holderId: string, code: string) => ({
    holderId,
    courseId: courseId(code),
    issuerId: providers.odl.id,
    title: code,
    credits: 5,
    mqfLevel: 4,
    issuedAt: new Date('2025-06-01T00:00:00Z'),
  });
  await graph.db.insert(credential).values(cohort.flatMap((id) => [row(id, 'SE1101'), row(id, 'SE1102'), row(id, 'SE1202')]));
  // The cohort are ODL's students: ODL reads their progress without their consent.
  await graph.db.insert(learnerEnrolment).values(cohort.map((learnerId) => ({ learnerId, providerId: providers.odl.id })));
});
afterAll(() => graph?.stop());

describe('Pathway.progress in the credentials subgraph', () => {
  it("computes the demo learner's progress from her credentials and the definition the gateway supplied", async () => {
    const response = await progressOf(aisyah.id, 'LEARNER');
    expect(codesOf(response)).toEqual([]);
    const progress = response.data!._entities[0].progress;
    // Aisyah holds all of BDSE stages 1–3 and SE2101; only stages 1 and 2 are in this definition.
    expect(progress).toMatchObject({ learner: { id: aisyah.id }, pathway: { id: bdse.id }, creditsEarned: 20, exitAwards: [{ stagePosition: 1 }, { stagePosition: 2 }], nextCourses: [] });
  });

  it('reads status, expiry and renewals from the credential records: expired, suspended and replaced credentials do not count', async () => {
    const learnerId = randomUUID();
    const base = { holderId: learnerId, issuerId: providers.odl.id, title: 'x', credits: 5, mqfLevel: 4, issuedAt: new Date('2023-01-01T00:00:00Z') };
    const renewalId = randomUUID();
    const [original] = await graph.db
      .insert(credential)
      .values({ ...base, courseId: courseId('SE1201'), expiresAt: new Date('2030-01-01T00:00:00Z'), replacedBy: renewalId })
      .returning({ id: credential.id });
    await graph.db.insert(credential).values([
      { ...base, courseId: courseId('SE1101'), expiresAt: new Date('2024-01-01T00:00:00Z') },
      { ...base, courseId: courseId('SE1102'), status: 'SUSPENDED' },
      { ...base, id: renewalId, courseId: courseId('SE1201'), renewalOf: original!.id, issuedAt: new Date('2025-01-01T00:00:00Z') },
    ]);
    const progress = (await progressOf(learnerId, 'ADMIN')).data!._entities[0].progress;
    expect(progress.creditsEarned).toBe(5);
    expect(progress.stages[0].missingCourses).toEqual([{ id: courseId('SE1101') }, { id: courseId('SE1102') }]);
  });

  it('answers for a cohort of its students in two statements (enrolments, credentials), however large', async () => {
    const statements = async (ids: string[]) => {
      const { statements, result: data } = await graph.statementsDuring(() => graph.client.ok(COHORT, { as: 'PROVIDER_STAFF', variables: { reps: [representation], ids } }));
      expect(data._entities[0].progressFor).toHaveLength(ids.length);
      expect(data._entities[0].progressFor.every((p: { creditsEarned: number }) => p.creditsEarned === 15)).toBe(true);
      return statements;
    };
    expect(await statements(cohort.slice(0, 5))).toBe(2);
    expect(await statements(cohort)).toBe(2);
  });

  it('refuses another learner, and the public, without asking anyone', async () => {
    expect(codesOf(await progressOf(cohort[0]!, 'LEARNER'))).toEqual(['FORBIDDEN']);
    expect(codesOf(await progressOf(cohort[0]!))).toEqual(['UNAUTHENTICATED']);
    const otherStaff = { role: 'PROVIDER_STAFF', sub: 'staff:akt:trainer', providerId: providers.trainingProvider.id } as const;
    // Staff of another provider need the learner's consent, which only the graph knows; this subgraph runs without one, so it cannot answer (retryable), rather than fail as a bug.
    expect(codesOf(await progressOf(cohort[0]!, otherStaff))).toEqual(['SUBGRAPH_UNAVAILABLE']);
  });

  it('refuses a malformed learner id and an empty cohort as bad input', async () => {
    expect(codesOf(await progressOf('aisyah', 'ADMIN'))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await graph.client.query(COHORT, { as: 'ADMIN', variables: { reps: [representation], ids: [] } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('does not let an outsider call it with a pathway definition of their own making', async () => {
    const forged = await graph.direct.query(PROGRESS, { as: 'LEARNER', variables: { reps: [{ ...representation, targetProgrammeCredits: 1 }], learnerId: aisyah.id } });
    expect(forged.data?._entities ?? null).toBeNull();
    expect(codesOf(forged)).not.toEqual([]);
  });
});
