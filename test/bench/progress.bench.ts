/**
 * `npm run bench -- progress`: pathway progress through the gateway on the
 * demo data. Prints progress queries per second (one learner per query,
 * rotating through the demo learners on BDSE and BTEL; a learner's own
 * Learner.pathways) and the time to answer Pathway.progressFor for a cohort
 * of 1,000 learners in one query, with SQL statements per request.
 */
import { bdse, bdseCourses, btel, learners } from '@tauliah/demo-data';
import type { Who } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { randomUUID } from 'node:crypto';
import { insertCohort } from '../e2e/pathways.support.ts';
import { measureLoad, percentile } from './measure.ts';

const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const PROGRESS = `query($pathwayId: ID!, $learnerId: ID!) { pathway(id: $pathwayId) { progress(learnerId: $learnerId) {
  creditsEarned percent apelEligible apelRule exitAwards { award jobRoleTitle } nextCourses { code title } stages { complete missingCourses { code } }
} } }`;
const COHORT = `query($ids: [ID!]!) { pathway(id: "${bdse.id}") { progressFor(learnerIds: $ids) { creditsEarned apelEligible nextCourses { code } } } }`;

async function throughput(graph: TestGraph, name: string, as: Who, request: (i: number) => { query: string; variables?: Record<string, unknown> }) {
  const token = await graph.tokens.tokenFor(as);
  const once = async (i: number) => {
    const { query, variables } = request(i);
    const response = await graph.gateway.query(query, { token, variables });
    if (response.errors) throw new Error(`${name}: ${JSON.stringify(response.errors)}`);
  };
  const { 'p99 ms': _p99, ...figures } = await measureLoad({ once, statements: () => graph.statements(), durationMs: DURATION_MS, concurrency: CONCURRENCY });
  return { scenario: name, ...figures };
}

async function cohortTimes(graph: TestGraph, cohort: string[]) {
  const token = await graph.tokens.tokenFor('PROVIDER_STAFF');
  const times: number[] = [];
  let statements = 0;
  for (let run = 0; run < 7; run++) {
    const before = graph.statements();
    const start = performance.now();
    const response = await graph.gateway.query(COHORT, { token, variables: { ids: cohort } });
    if (response.errors || response.data?.pathway.progressFor.length !== cohort.length) throw new Error(JSON.stringify(response.errors));
    times.push(performance.now() - start);
    statements = graph.statements() - before;
  }
  times.sort((a, b) => a - b);
  return { scenario: `progressFor: ${cohort.length} learners in one query`, 'req/s': +(1000 / percentile(times, 50)).toFixed(1), 'p50 ms': +percentile(times, 50).toFixed(1), 'p95 ms': +times.at(-1)!.toFixed(1), 'SQL/req': statements };
}

const graph = await startTestGraph();
try {
  const cohort = Array.from({ length: 1_000 }, () => randomUUID());
  await insertCohort(graph, cohort, bdseCourses.slice(0, 3).flat());
  console.log(`Pathway progress bench: ${graph.connection.kind} database, ${CONCURRENCY} concurrent clients, ${DURATION_MS / 1000} s per scenario, through the gateway\n`);
  const onPathway = learners.map((l, i) => ({ learnerId: l.id, pathwayId: i < 8 ? bdse.id : btel.id }));
  const results = [
    await throughput(graph, 'provider staff: one learner’s progress', 'PROVIDER_STAFF', (i) => ({ query: PROGRESS, variables: onPathway[i % onPathway.length] })),
    await throughput(graph, 'learner: own Learner.pathways', 'LEARNER', () => ({ query: `{ me { pathways { pathway { code } creditsEarned apelEligible nextCourses { code } } } }` })),
    await cohortTimes(graph, cohort),
  ];
  console.table(results);
} finally {
  await graph.stop();
}
