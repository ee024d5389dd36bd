/**
 * `npm run bench`: the whole graph in this process on the demo data (embedded
 * database, or DATABASE_URL), driven through the gateway over HTTP with a
 * fixed mix of stakeholder queries. Prints latency percentiles, throughput
 * and SQL statements per request for each.
 */
import { learnerByKey, learners } from '@tauliah/demo-data';
import type { Who } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { measureLoad } from './measure.ts';

interface Scenario {
  name: string;
  as?: Who;
  query: string;
  variables?: Record<string, unknown>;
}

const scenarios: Scenario[] = [
  {
    name: 'public catalogue page (20 courses, provider, skills)',
    query: `{ courses(filter: { mqfLevelMin: 3 }, first: 20) { totalCount edges { node { code title credits provider { name } skills { name } } } } }`,
  },
  {
    name: 'learner: own profile and credentials',
    as: 'LEARNER',
    query: `{ me { fullName credentials { title status skills { code } course { code credits } issuer { name } } } }`,
  },
  {
    name: 'employer: job roles to skills to courses',
    as: 'EMPLOYER',
    query: `{ jobRoles(first: 10) { edges { node { title requiredSkills { skill { name courses(first: 5) { edges { node { title provider { name } } } } } } } } } }`,
  },
  {
    name: 'admin: 16 learners with credentials and courses',
    as: 'ADMIN',
    query: `query($ids: [ID!]!) { learners(ids: $ids) { fullName credentials { title course { code provider { name } } } } }`,
    variables: { ids: learners.map((l) => l.id) },
  },
  {
    name: 'funder: schemes and a consenting learner',
    as: 'FUNDER',
    query: `{ schemes { name rules { kind description } } learners(ids: ["${learnerByKey('faizal').id}"]) { dateOfBirth citizenship } }`,
  },
];

const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function run(graph: TestGraph, scenario: Scenario) {
  const token = scenario.as ? await graph.tokens.tokenFor(scenario.as) : undefined;
  const once = async () => {
    const response = await graph.gateway.query(scenario.query, { token, variables: scenario.variables });
    if (response.errors) throw new Error(`${scenario.name}: ${JSON.stringify(response.errors)}`);
  };
  return { scenario: scenario.name, ...(await measureLoad({ once, statements: () => graph.statements(), durationMs: DURATION_MS, concurrency: CONCURRENCY })) };
}

const graph = await startTestGraph();
try {
  console.log(
    `Tauliah bench: ${graph.connection.kind} database, ${CONCURRENCY} concurrent clients, ${DURATION_MS / 1000} s per scenario, through the gateway\n`,
  );
  const results = [];
  for (const scenario of scenarios) results.push(await run(graph, scenario));
  console.table(results);
} finally {
  await graph.stop();
}
