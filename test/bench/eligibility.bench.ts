/**
 * `npm run bench -- eligibility`: HRD Corp asks the eligibility of 10,000
 * national learners for one of its national schemes and a course approved for
 * it, in one query through the gateway (ids passed as a variable), against the
 * synthetic national data set in PostgreSQL (`seedNational`, funding included;
 * needs DATABASE_URL). BENCH_SCALE (default 0.1: ~100k learners; 1 for the
 * national set) sizes it; FUNDING_BENCH_URL names a database to load once and
 * reuse across runs (a national database loaded before it had funding data
 * gets it added). The learners are spread over the whole set; each gives HRD
 * Corp PERSONAL and ELIGIBILITY consent first (added once). Prints the time,
 * with the same learners' `learners(ids:) { id }` as the baseline, the
 * subgraph fetches the gateway made (counted on undici's diagnostics channels,
 * undici being how the gateway reaches subgraphs) and the SQL statements each subgraph ran:
 * both must stay constant as the batch grows. Target: ≤ 1 s for 10,000.
 */
import { nationalId } from '@tauliah/cli';
import diagnostics from 'node:diagnostics_channel';
import { openDatabase } from '@tauliah/core';
import { funders } from '@tauliah/demo-data';
import { startTestGraph } from '@tauliah/testing/graph';
import postgres from 'postgres';
import { nationalDatabase } from './national.ts';

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.log('Eligibility bench: skipped. It loads the national data set with COPY, which needs PostgreSQL: set DATABASE_URL.');
  process.exit(0);
}
const SCALE = Number(process.env.BENCH_SCALE ?? 0.1);
const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** What undici publishes about a request on its diagnostics channels (the part read here). */
interface UndiciMessage {
  request: { origin: string; path: string };
}

/** The first national HRD Corp scheme (funding.ts): its rules are the demo grant's, levy payer and approved course. */
const SCHEME = nationalId('scheme', 1);

const database = await nationalDatabase({ named: process.env.FUNDING_BENCH_URL, serverUrl, scale: SCALE, funding: true });
const graph = await startTestGraph({ connection: await openDatabase({ url: database.url, maxConnections: 10 }) });
try {
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  const [{ learners } = { learners: 0 }] = await sql<Array<{ learners: number }>>`select count(*)::int as learners from learners.learner where id::text like '7a000005-%'`;
  const ids = Array.from({ length: Math.min(LEARNERS, learners) }, (_, i) => nationalId('learner', 1 + Math.floor((i * learners) / LEARNERS)));
  const [approved] = await sql<Array<{ course_id: string }>>`select course_id from funding.course_approval where scheme_id = ${SCHEME} and status = 'APPROVED' order by id limit 1`;
  // HRD Corp sees nothing of a learner without ELIGIBILITY consent; these learners give it (once: a reused database keeps it).
  await sql`insert into learners.consent_grant (learner_id, grantee_kind, grantee_id, scopes, expires_at)
    select asked.learner_id, 'FUNDER', ${funders.hrdCorp.id}::uuid, array['PERSONAL', 'ELIGIBILITY'], now() + interval '5 years' from unnest(${ids}::uuid[]) as asked(learner_id)
    where not exists (select 1 from learners.consent_grant g where g.learner_id = asked.learner_id and g.grantee_kind = 'FUNDER' and g.grantee_id = ${funders.hrdCorp.id}::uuid
                        and g.revoked_at is null and g.expires_at > now() + interval '1 day' and 'ELIGIBILITY' = any(g.scopes))`;
  // Planned on fresh statistics, as autovacuum would leave them in a running system, whatever this run added.
  await sql`analyze learners.consent_grant`;
  const [shape] = await sql<Array<{ employed: number }>>`select count(distinct e.learner_id)::int as employed from employers.employment e
    where e.learner_id = any(${ids}::uuid[]) and e.until is null and e.confirmed_by_learner`;
  await sql.end();

  // The gateway reaches the subgraphs through undici (core's http-connection.ts): its diagnostics channels see every call.
  const subgraphUrls = Object.entries(graph.running.subgraphs).map(([name, s]) => [name, s.url] as const);
  const fetches = new Map<string, { count: number; ms: number }>();
  const started = new WeakMap<object, number>();
  diagnostics.subscribe('undici:request:create', (message) => started.set((message as UndiciMessage).request, performance.now()));
  diagnostics.subscribe('undici:request:headers', (message) => {
    const { request } = message as UndiciMessage;
    const subgraph = subgraphUrls.find(([, url]) => url === `${request.origin}${request.path}`)?.[0];
    const start = started.get(request);
    if (!subgraph || start === undefined) return;
    const seen = fetches.get(subgraph) ?? { count: 0, ms: 0 };
    fetches.set(subgraph, { count: seen.count + 1, ms: seen.ms + performance.now() - start });
  });

  const queries = [
    { name: 'baseline: learners(ids) { id }', query: `query($ids: [ID!]!) { learners(ids: $ids) { id } }` },
    {
      name: 'eligibility (HRD Corp scheme, approved course)',
      query: `query($ids: [ID!]!, $scheme: ID!, $course: ID) {
        learners(ids: $ids) { eligibility(schemeId: $scheme, courseId: $course) { eligible coveredSen reasons { code } } }
      }`,
    },
  ];
  const variables = { ids, scheme: SCHEME, course: approved?.course_id ?? null };
  const token = await graph.tokens.tokenFor('FUNDER');
  const rows = [];
  for (let round = 0; round <= ROUNDS; round++) {
    for (const { name, query } of queries) {
      fetches.clear();
      const before = Object.fromEntries(Object.entries(graph.running.subgraphs).map(([subgraph, s]) => [subgraph, s.statements.count]));
      const start = performance.now();
      const response = await graph.gateway.query(query, { token, variables: name.startsWith('baseline') ? { ids } : variables });
      const ms = performance.now() - start;
      if (response.errors?.length || !response.data) throw new Error(JSON.stringify(response.errors?.slice(0, 3)));
      const answers = response.data.learners as Array<{ eligibility?: { eligible: boolean; reasons: Array<{ code: string }> } }>;
      const statements = Object.entries(graph.running.subgraphs).map(([subgraph, s]) => `${subgraph} ${s.statements.count - before[subgraph]!}`);
      if (round === 0) continue; // warm-up: JIT, query plan, connections
      const reasons = new Map<string, number>();
      for (const a of answers) for (const r of a.eligibility?.reasons ?? []) reasons.set(r.code, (reasons.get(r.code) ?? 0) + 1);
      rows.push({
        round,
        query: name,
        learners: answers.length,
        eligible: answers.filter((a) => a.eligibility?.eligible).length,
        ms: Math.round(ms),
        'subgraph fetches (ms to headers)': [...fetches].map(([subgraph, f]) => `${subgraph} ${f.count} (${Math.round(f.ms)})`).join(', '),
        'SQL statements': statements.filter((s) => !s.endsWith(' 0')).join(', '),
        ...(reasons.size ? { reasons: [...reasons].map(([code, n]) => `${code} ${n}`).join(', ') } : {}),
      });
    }
  }
  console.log(
    `Eligibility for ${ids.length.toLocaleString('en')} of ${learners.toLocaleString('en')} national learners (${shape?.employed.toLocaleString('en')} employed now) ` +
      `in one query through the gateway (PostgreSQL)\n`,
  );
  console.table(rows);
} finally {
  await graph.stop();
  await database.drop();
}
