import { bdse, bdseCourses, learnerByKey, learners } from '@tauliah/demo-data';
import { codesOf } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCohort } from './pathways.support.ts';

let graph: TestGraph;
const cohort = Array.from({ length: 1_000 }, () => randomUUID());
const firstYear = bdseCourses.slice(0, 3).flat();

const COHORT = `query($ids: [ID!]!) { pathway(id: "${bdse.id}") { progressFor(learnerIds: $ids) {
  learner { id } creditsEarned apelEligible exitAwards { award } nextCourses { code title } stages { complete missingCourses { code } }
} } }`;

beforeAll(async () => {
  graph = await startTestGraph();
  // A cohort of 1,000 learners who each finished the first year: 6,000 credentials.
  await insertCohort(graph, cohort, firstYear);
});
afterAll(() => graph?.stop());

async function cohortProgress(ids: string[]) {
  const { statements, result: data } = await graph.statementsDuring(() => graph.gateway.ok(COHORT, { as: 'PROVIDER_STAFF', variables: { ids } }));
  return { statements, progress: data.pathway.progressFor as Array<{ learner: { id: string }; creditsEarned: number; nextCourses: unknown[] }> };
}

describe('progress of a whole cohort', () => {
  it('answers for 1,000 learners with the same SQL statements as for 10', async () => {
    // Services other than providers confirm the staff account on the first request and remember it (staff-gate.ts).
    await cohortProgress(cohort.slice(0, 1));
    const ten = await cohortProgress(cohort.slice(0, 10));
    const thousand = await cohortProgress(cohort);
    expect(thousand.progress).toHaveLength(1_000);
    expect(thousand.progress.map((p) => p.learner.id)).toEqual(cohort);
    expect(thousand.progress.every((p) => p.creditsEarned === 30 && p.nextCourses.length === 2)).toBe(true);
    expect(thousand.statements).toBe(ten.statements);
    // 9, and the staff-account check of each of the three requests the providers service serves.
    expect(ten.statements).toBeLessThanOrEqual(12);
  });

  it("reads every demo learner's pathways in the same statements as two learners'", async () => {
    const query = `query($ids: [ID!]!) { learners(ids: $ids) { pathways { pathway { code } creditsEarned nextCourses { code } } } }`;
    const statementsFor = async (ids: string[]) => {
      const { statements, result: data } = await graph.statementsDuring(() => graph.gateway.ok(query, { as: 'ADMIN', variables: { ids } }));
      return { statements, pathways: data.learners.map((l: { pathways: Array<{ pathway: { code: string } }> }) => l.pathways.map((p) => p.pathway.code)) };
    };
    const two = await statementsFor([learnerByKey('aisyah').id, learnerByKey('kumar').id]);
    expect(two.pathways).toEqual([['BDSE'], ['BTEL']]);
    const all = await statementsFor(learners.map((l) => l.id));
    expect(all.pathways.filter((codes: string[]) => codes.length > 0)).toHaveLength(11);
    expect(all.statements).toBe(two.statements);
  });

  it('refuses the whole cohort to an employer without every learner’s consent, naming the count', async () => {
    const response = await graph.gateway.query(COHORT, { as: 'EMPLOYER', variables: { ids: cohort.slice(0, 20) } });
    expect(codesOf(response)).toEqual(['FORBIDDEN']);
    expect(response.errors![0]!.message).toContain('20 of these learners');
    const consenting = await graph.gateway.ok(COHORT, { as: 'EMPLOYER', variables: { ids: [learnerByKey('faizal').id] } });
    expect(consenting.pathway.progressFor).toHaveLength(1);
  });

  it('refuses malformed and oversized cohorts as bad input, and costly ones at the gateway', async () => {
    const malformed = await graph.gateway.query(COHORT, { as: 'ADMIN', variables: { ids: ['daniel'] } });
    expect(codesOf(malformed)).toEqual(['BAD_USER_INPUT']);
    const oversizedIds = Array.from({ length: 5_001 }, () => randomUUID());
    const cheap = `query($ids: [ID!]!) { pathway(id: "${bdse.id}") { progressFor(learnerIds: $ids) { creditsEarned } } }`;
    expect(codesOf(await graph.gateway.query(cheap, { as: 'ADMIN', variables: { ids: oversizedIds } }))).toEqual(['BAD_USER_INPUT']);
    // The same cohort with every field selected costs more than the gateway lets through.
    expect(codesOf(await graph.gateway.query(COHORT, { as: 'ADMIN', variables: { ids: oversizedIds } }))).toEqual(['TOO_COMPLEX']);
  });
});
