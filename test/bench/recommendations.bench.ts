/**
 * `npm run bench -- recommendations`: one learner's course recommendations
 * (`me { recommendations }`) through the gateway against the synthetic
 * national data set in PostgreSQL (`seedNational`, which also counts what
 * learners took after what; needs DATABASE_URL). BENCH_SCALE (default 0.1:
 * ~100k learners, ~500k credentials; 1 for the national set) sizes it;
 * RECOMMENDATIONS_BENCH_URL (or TALENT_BENCH_URL) names a database to load
 * once and reuse across runs. Each request is a different national learner
 * (1–9 credentials each); prints p50/p95/p99 latency, throughput and SQL
 * statements per request (across every subgraph) for a job-role goal, a
 * pathway goal and no goal (three interests), after WARM_UP requests whose
 * p95 is printed apart. Target: p95 under 50 ms.
 */
import { nationalId } from '@tauliah/cli';
import { openDatabase } from '@tauliah/core';
import { bdse } from '@tauliah/demo-data';
import { startTestGraph } from '@tauliah/testing/graph';
import postgres from 'postgres';
import { measureLoad, percentile } from './measure.ts';
import { nationalDatabase } from './national.ts';

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.log('Recommendations bench: skipped. It loads the national data set with COPY, which needs PostgreSQL: set DATABASE_URL.');
  process.exit(0);
}
const SCALE = Number(process.env.BENCH_SCALE ?? 0.1);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 8) * 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 1);
/** Distinct learners the requests rotate through. */
const LEARNERS = 200;
/**
 * Requests before measuring: each of the 50 job roles once, so the public catalogue the learners service keeps
 * (GUIDANCE_CATALOGUE_TTL_SECONDS) holds what a running service would. Their own p95 is printed: the first request
 * for a goal nobody asked about within the TTL, which reads the catalogue first.
 */
const WARM_UP = 50;

const RECOMMENDATIONS = `query($goal: RecommendationGoalInput) {
  me { recommendations(goal: $goal, first: 10) {
    rank score summary amountToPaySen course { id } reasons { kind detail skill { code } course { id } learners }
  } }
}`;
const INTERESTS = `mutation($codes: [String!]!) { setMyInterests(skillCodes: $codes) { id } }`;

const database = await nationalDatabase({ named: process.env.RECOMMENDATIONS_BENCH_URL ?? process.env.TALENT_BENCH_URL, serverUrl, scale: SCALE });
const graph = await startTestGraph({ connection: await openDatabase({ url: database.url, maxConnections: 10 }) });
try {
  const { gateway } = graph;
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  const [sizes] = await sql`select (select count(*)::int from learners.learner) as learners, (select count(*)::int from learners.held_course) as held,
    (select count(*)::int from learners.course_sequence) as pairs`;
  // Learners spread over the set, published job roles, and the most taught skills (what learners are likely to be interested in).
  const learnerIds = Array.from({ length: LEARNERS }, (_, i) => nationalId('learner', 1 + Math.floor((i * sizes!.learners) / (LEARNERS + 1))));
  const roles = (await sql<Array<{ id: string }>>`select id from employers.job_role where published order by id limit 50`).map((r) => r.id);
  const skills = (await sql<Array<{ code: string }>>`select skill_code as code from providers.course_skill group by skill_code order by count(*) desc limit 30`).map((r) => r.code);
  await sql.end();
  const tokens = await Promise.all(learnerIds.map((id) => graph.tokens.tokenFor({ role: 'LEARNER', sub: id })));
  // Each learner states three interests, for the scenario without a goal.
  for (const [i, token] of tokens.entries()) {
    const response = await gateway.query(INTERESTS, { token, variables: { codes: [skills[i % 30]!, skills[(i * 7 + 3) % 30]!, skills[(i * 11 + 5) % 30]!] } });
    if (response.errors) throw new Error(`setMyInterests: ${JSON.stringify(response.errors)}`);
  }
  console.log(
    `Recommendations bench: PostgreSQL, ${sizes!.learners.toLocaleString('en')} learners, ${sizes!.held.toLocaleString('en')} held courses, ` +
      `${sizes!.pairs.toLocaleString('en')} course pairs, ${LEARNERS} learners in turn, ${CONCURRENCY} concurrent client(s), ${DURATION_MS / 1000} s per scenario, through the gateway\n`,
  );
  const scenarios: Array<{ name: string; goal: (i: number) => Record<string, string> | null; query?: string }> = [
    // The floor on this machine: the smallest query a learner can send through the gateway.
    { name: 'baseline: me { id }', goal: () => null, query: '{ me { id } }' },
    { name: 'job role goal (missing skills)', goal: (i: number) => ({ jobRoleId: roles[i % roles.length]! }) },
    { name: 'pathway goal (BDSE)', goal: () => ({ pathwayId: bdse.id }) },
    { name: 'no goal (3 interests, credentials)', goal: () => null },
  ];
  const results = [];
  for (const scenario of scenarios) {
    const returned: number[] = [];
    const once = async (i: number) => {
      const response = await gateway.query(scenario.query ?? RECOMMENDATIONS, { token: tokens[i % tokens.length]!, variables: scenario.query ? {} : { goal: scenario.goal(i) } });
      if (response.errors) throw new Error(`${scenario.name}: ${JSON.stringify(response.errors)}`);
      returned.push(response.data!.me.recommendations?.length ?? 0);
    };
    const first: number[] = [];
    for (let i = 0; i < WARM_UP; i++) {
      const start = performance.now();
      await once(LEARNERS - 1 - i);
      first.push(performance.now() - start);
    }
    const figures = await measureLoad({ once, statements: () => graph.statements(), durationMs: DURATION_MS, concurrency: CONCURRENCY, warmUp: 0 });
    results.push({
      scenario: scenario.name,
      'courses (avg)': +(returned.reduce((a, b) => a + b, 0) / returned.length).toFixed(1),
      ...figures,
      'warm-up p95 ms': +percentile(first.sort((a, b) => a - b), 95).toFixed(1),
    });
  }
  console.table(results);
} finally {
  await graph.stop();
  await database.drop();
}
