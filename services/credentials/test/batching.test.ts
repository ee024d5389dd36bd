import { demoId } from '@tauliah/demo-data';
import { startTestSubgraph } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsService } from '../src/index.ts';
import { insertCredentials, learnerReps, type CredentialsGraph } from './support.ts';

let graph: CredentialsGraph;
const learnerIds = Array.from({ length: 100 }, () => randomUUID());
const QUERY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Learner { id credentials { id status skills { code } } } } }`;

beforeAll(async () => {
  graph = await startTestSubgraph(credentialsService, { seed: false });
  // Two credentials per learner (one of them with two skills) and a private one an employer must not see.
  await insertCredentials(
    graph,
    learnerIds.flatMap((holderId) => [
      { holderId, skills: ['PROG-FUND'] },
      { holderId, courseId: demoId('course:SE1302'), skills: ['WEB-FRONTEND', 'WEB-BACKEND'], issuedAt: new Date('2025-07-01T00:00:00Z') },
      { holderId, courseId: demoId('course:SE1102'), visibility: 'PRIVATE' as const, issuedAt: new Date('2025-08-01T00:00:00Z') },
    ]),
  );
});
afterAll(() => graph?.stop());

async function statementsFor(ids: string[], as: 'ADMIN' | 'EMPLOYER') {
  const { statements, result: data } = await graph.statementsDuring(() => graph.client.ok(QUERY, { as, variables: { reps: learnerReps(ids) } }));
  return { statements, learners: data._entities as Array<{ credentials: Array<{ skills: unknown[] }> }> };
}

describe('reading the credentials of many learners', () => {
  it('issues the same statements for 100 learners as for 10: one for credentials, one for skills', async () => {
    const ten = await statementsFor(learnerIds.slice(0, 10), 'ADMIN');
    const hundred = await statementsFor(learnerIds, 'ADMIN');
    expect(ten.learners.flatMap((l) => l.credentials)).toHaveLength(30);
    expect(hundred.learners.flatMap((l) => l.credentials)).toHaveLength(300);
    expect(hundred.learners.flatMap((l) => l.credentials.flatMap((c) => c.skills))).toHaveLength(400);
    expect(ten.statements).toBe(2);
    expect(hundred.statements).toBe(ten.statements);
  });

  it('filters what an employer may see without another statement', async () => {
    const employer = await statementsFor(learnerIds, 'EMPLOYER');
    expect(employer.learners.every((l) => l.credentials.length === 2)).toBe(true);
    expect(employer.statements).toBe(2);
  });
});
