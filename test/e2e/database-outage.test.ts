import { learnerByKey } from '@tauliah/demo-data';
import { openDatabase } from '@tauliah/core';
import { codesOf, startThrowawayPostgres, type ThrowawayPostgres } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The whole graph on a PostgreSQL cluster of this test's own, which it stops and starts
// as a restart or failover would: what partners get meanwhile, and after.
let server: ThrowawayPostgres;
let graph: TestGraph;

beforeAll(async () => {
  server = await startThrowawayPostgres();
  graph = await startTestGraph({ connection: await openDatabase({ url: server.url }) });
});
afterAll(async () => {
  await graph?.stop();
  await server?.destroy();
});

const ENROL = `mutation($input: EnrolLearnerInput!, $key: String) { enrolLearner(input: $input, idempotencyKey: $key) { replayed learner { id } } }`;
const input = {
  studentNumber: 'UTN2026-0123',
  fullName: 'Nur Aina binti Hamzah',
  email: 'aina@student.example.my',
  dateOfBirth: '2008-04-11',
  citizenship: 'MALAYSIAN',
  nric: '080411-10-5678',
};
const key = 'sis-2026-000123';
const readiness = async () => (await fetch(graph.running.subgraphs.learners.url.replace('/graphql', '/readyz'))).status;

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + 5_000;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`not ${what} within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('while PostgreSQL is down', () => {
  it('answers reads and writes with SERVICE_UNAVAILABLE through the gateway, never INTERNAL_SERVER_ERROR, and readiness says so', async () => {
    // The partner system's staff account, confirmed with the providers service before the outage: learners remembers it (staff-gate.ts).
    await graph.gateway.ok('{ learners(ids: []) { id } }', { as: 'PARTNER' });
    await server.stop('immediate');
    try {
      expect(await readiness()).toBe(503);

      const read = await graph.gateway.query('{ me { fullName } }', { as: { role: 'LEARNER', sub: learnerByKey('aisyah').id } });
      expect(codesOf(read)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(read.errors![0]!.message).toMatch(/Retry it in a few seconds/);
      expect(read.errors![0]!.extensions).toMatchObject({ retryAfterSeconds: 5 });

      const write = await graph.gateway.query(ENROL, { as: 'PARTNER', variables: { input, key } });
      expect(codesOf(write)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(write.errors![0]!.message).toContain('Retry with the same idempotencyKey');
      expect(write.errors![0]!.extensions).toMatchObject({ retryWithSameIdempotencyKey: true });
    } finally {
      await server.start();
    }
  });
});

describe('once PostgreSQL is back', () => {
  it('is ready again within seconds, without a restart, and the retry with the same key enrols the learner once', async () => {
    await eventually(async () => (await readiness()) === 200, 'ready');
    const first = await graph.gateway.ok(ENROL, { as: 'PARTNER', variables: { input, key } });
    expect(first.enrolLearner.replayed).toBe(false);
    const again = await graph.gateway.ok(ENROL, { as: 'PARTNER', variables: { input, key } });
    expect(again.enrolLearner).toEqual({ ...first.enrolLearner, replayed: true });
    const [row] = await graph.connection.query<{ n: number }>('select count(*)::int as n from learners.learner where email = $1', [input.email]);
    expect(row!.n).toBe(1);
  });
});
