/**
 * `npm run bench -- approvals`: HRD Corp's course approval queue at its 2022
 * size (13,224 pending, 11,493 approved at scale 1), a page at a time with
 * filters, through the gateway against the synthetic national data set in
 * PostgreSQL (`seedNational`, funding included; needs DATABASE_URL).
 * BENCH_SCALE (default 0.1; 1 for the national set) sizes it;
 * FUNDING_BENCH_URL names a database to load once and reuse across runs (a
 * national database loaded before it had funding data gets it added). Each
 * request asks a page of 20 with its total, the course's title (the providers
 * subgraph) and the scheme's code; the filters rotate over providers and
 * months. Prints p50/p95/p99 latency, throughput and SQL statements per
 * request (across every subgraph). Target: p95 ≤ 50 ms with status, provider
 * and submitted range.
 */
import { openDatabase } from '@tauliah/core';
import { startTestGraph } from '@tauliah/testing/graph';
import postgres from 'postgres';
import { measureLoad } from './measure.ts';
import { nationalDatabase } from './national.ts';

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.log('Approvals bench: skipped. It loads the national data set with COPY, which needs PostgreSQL: set DATABASE_URL.');
  process.exit(0);
}
const SCALE = Number(process.env.BENCH_SCALE ?? 0.1);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 8) * 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 1);

const PAGE = `query($filter: CourseApprovalFilter) {
  courseApprovals(filter: $filter, first: 20) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id status submittedAt providerId course { id title } scheme { code } decision { decidedAt } } }
  }
}`;

const database = await nationalDatabase({ named: process.env.FUNDING_BENCH_URL, serverUrl, scale: SCALE, funding: true });
const graph = await startTestGraph({ connection: await openDatabase({ url: database.url, maxConnections: 10 }) });
try {
  const { gateway } = graph;
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  const [sizes] = await sql`select (select count(*)::int from funding.course_approval where status = 'PENDING') as pending,
    (select count(*)::int from funding.course_approval where status = 'APPROVED') as approved,
    (select count(distinct provider_id)::int from funding.course_approval) as providers, max(submitted_at) as latest from funding.course_approval`;
  // Providers with a pending backlog, and the HRD Corp schemes with approvals: what a funder's officer filters by.
  const providers = (await sql<Array<{ id: string }>>`select provider_id as id from funding.course_approval where status = 'PENDING' group by provider_id order by provider_id limit 100`).map((r) => r.id);
  const schemes = (await sql<Array<{ id: string }>>`select scheme_id as id from funding.course_approval group by scheme_id order by scheme_id`).map((r) => r.id);
  await sql.end();
  const latest = new Date(sizes!.latest as Date).getTime();
  const DAY = 86_400_000;
  /** Window i of `days` days, going back from the latest submission over two years. */
  const window = (i: number, days: number) => {
    const back = (i % Math.floor(730 / days)) + 1;
    return { submittedFrom: new Date(latest - back * days * DAY).toISOString(), submittedBefore: new Date(latest - (back - 1) * days * DAY).toISOString() };
  };
  const officer = await graph.tokens.tokenFor('FUNDER');
  const admin = await graph.tokens.tokenFor('ADMIN');
  console.log(
    `Approvals bench: PostgreSQL, HRD Corp's queue of ${sizes!.pending.toLocaleString('en')} pending and ${sizes!.approved.toLocaleString('en')} approved course approvals ` +
      `from ${sizes!.providers} providers, ${CONCURRENCY} concurrent client(s), ${DURATION_MS / 1000} s per scenario, through the gateway, as HRD Corp's officer unless said\n`,
  );
  const scenarios: Array<{ name: string; token?: string; query?: string; filter: (i: number) => Record<string, unknown> | null }> = [
    // The floor on this machine: the smallest query an officer sends to the funding subgraph through the gateway.
    { name: 'floor: schemes { code }', query: '{ schemes { code } }', filter: () => null },
    { name: 'no filter', filter: () => null },
    { name: 'status PENDING', filter: () => ({ status: 'PENDING' }) },
    { name: 'status PENDING, provider', filter: (i) => ({ status: 'PENDING', providerId: providers[i % providers.length] }) },
    { name: 'status PENDING, submitted in a month', filter: (i) => ({ status: 'PENDING', ...window(i, 30) }) },
    { name: 'status PENDING, provider, submitted in a year', filter: (i) => ({ status: 'PENDING', providerId: providers[i % providers.length], ...window(i, 365) }) },
    { name: 'status APPROVED, scheme, submitted in a quarter', filter: (i) => ({ status: 'APPROVED', schemeId: schemes[i % schemes.length], ...window(i, 91) }) },
    { name: 'administrator: status PENDING, submitted in a month', token: admin, filter: (i) => ({ status: 'PENDING', ...window(i, 30) }) },
  ];
  // The submitted range is a filter of the funding subgraph; a graph without it still runs the other scenarios.
  const probe = await gateway.query(PAGE, { token: officer, variables: { filter: window(0, 30) } });
  const ranged = !probe.errors?.length;
  if (!ranged) console.log(`Without the submittedFrom/submittedBefore filter (${probe.errors![0]!.message}): scenarios with a submitted range skipped.\n`);
  const results = [];
  for (const scenario of scenarios) {
    if (!ranged && 'submittedFrom' in (scenario.filter(0) ?? {})) continue;
    const totals: number[] = [];
    const once = async (i: number) => {
      const response = await gateway.query(scenario.query ?? PAGE, { token: scenario.token ?? officer, variables: scenario.query ? {} : { filter: scenario.filter(i) } });
      if (response.errors) throw new Error(`${scenario.name}: ${JSON.stringify(response.errors)}`);
      totals.push(scenario.query ? response.data!.schemes.length : (response.data!.courseApprovals.totalCount as number));
    };
    const figures = await measureLoad({ once, statements: () => graph.statements(), durationMs: DURATION_MS, concurrency: CONCURRENCY, warmUp: 10 });
    results.push({ scenario: scenario.name, 'matching (min–max)': `${Math.min(...totals).toLocaleString('en')}–${Math.max(...totals).toLocaleString('en')}`, ...figures });
  }
  console.table(results);
} finally {
  await graph.stop();
  await database.drop();
}
