/**
 * `npm run bench -- eligibility`: a funder asks eligibility for 10,000
 * learners in one query through the gateway (ids passed as a variable).
 * Prints the time, the subgraph fetches the gateway made (counted at the
 * process's fetch, which the gateway uses to reach subgraphs) and the SQL
 * statements each subgraph ran: both must stay constant as the batch grows.
 */
import { approvedHrdCorpCourses, courseId, employers, funders, schemes } from '@tauliah/demo-data';
import { startTestGraph } from '@tauliah/testing/graph';

const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const graph = await startTestGraph();
try {
  // 10,000 working adults, each consenting to HRD Corp; every other one works (confirmed) at a levy-paying employer.
  const ids = (
    await graph.connection.query<{ id: string }>(
      `insert into learners.learner (id, full_name, email, date_of_birth, citizenship, registered_by_subject)
       select gen_random_uuid(), 'Bench Learner ' || n, 'bench' || n || '@learner.example.my', date '1990-01-01' + n, 'MALAYSIAN', 'bench'
       from generate_series(1, $1::int) n returning id`,
      [LEARNERS],
    )
  ).map((r) => r.id);
  await graph.connection.query(
    `insert into learners.consent_grant (learner_id, grantee_kind, grantee_id, scopes, expires_at)
     select id, 'FUNDER', $2::uuid, array['PERSONAL', 'ELIGIBILITY'], now() + interval '1 year' from unnest($1::uuid[]) id`,
    [ids, funders.hrdCorp.id],
  );
  await graph.connection.query(
    `insert into employers.employment (learner_id, employer_id, job_title, since, confirmed_by_learner)
     select id, $2::uuid, 'Technician', '2020-01-01', true from unnest($1::uuid[]) with ordinality as t(id, n) where n % 2 = 0`,
    [ids, employers.electronics.id],
  );

  const subgraphUrls = Object.entries(graph.running.subgraphs).map(([name, s]) => [name, s.url] as const);
  const fetches = new Map<string, { count: number; ms: number }>();
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    const subgraph = subgraphUrls.find(([, base]) => url.startsWith(base))?.[0];
    const start = performance.now();
    const response = await realFetch(input, init);
    if (subgraph) {
      const seen = fetches.get(subgraph) ?? { count: 0, ms: 0 };
      fetches.set(subgraph, { count: seen.count + 1, ms: seen.ms + performance.now() - start });
    }
    return response;
  };

  const query = `query($ids: [ID!]!, $scheme: ID!, $course: ID) {
    learners(ids: $ids) { eligibility(schemeId: $scheme, courseId: $course) { eligible coveredSen reasons { code } } }
  }`;
  const variables = { ids, scheme: schemes.hrdCorpMicroCredential.id, course: courseId(approvedHrdCorpCourses[0]) };
  const token = await graph.tokens.tokenFor('FUNDER');
  const rows = [];
  for (let round = 0; round <= ROUNDS; round++) {
    fetches.clear();
    const before = Object.fromEntries(Object.entries(graph.running.subgraphs).map(([name, s]) => [name, s.statements.count]));
    const start = performance.now();
    const response = await graph.gateway.query(query, { token, variables });
    const ms = performance.now() - start;
    if (response.errors?.length || !response.data) throw new Error(JSON.stringify(response.errors?.slice(0, 3)));
    const answers = response.data.learners as Array<{ eligibility: { eligible: boolean } }>;
    const statements = Object.entries(graph.running.subgraphs).map(([name, s]) => `${name} ${s.statements.count - before[name]!}`);
    if (round === 0) continue; // warm-up: JIT, query plan, connections
    rows.push({
      round,
      learners: answers.length,
      eligible: answers.filter((a) => a.eligibility.eligible).length,
      ms: Math.round(ms),
      'subgraph fetches (ms to headers)': [...fetches].map(([name, f]) => `${name} ${f.count} (${Math.round(f.ms)})`).join(', '),
      'SQL statements': statements.filter((s) => !s.endsWith(' 0')).join(', '),
    });
  }
  console.log(`Eligibility for ${LEARNERS} learners in one query through the gateway (${graph.connection.kind} database)\n`);
  console.table(rows);
} finally {
  await graph.stop();
}
