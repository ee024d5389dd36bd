/**
 * `npm run bench -- talent`: talent search through the gateway against the
 * synthetic national data set in PostgreSQL (`seedNational`; needs
 * DATABASE_URL). BENCH_SCALE (default 0.1: ~100k learners, ~500k credentials;
 * 1 for the national set) sizes it; TALENT_BENCH_URL names a database to load
 * once and reuse across runs. Prints p50/p95/p99 latency, throughput and SQL
 * statements per request for a fixed mix of searches.
 */
import { nationalDataSet, scaled } from '@tauliah/cli';
import { openDatabase } from '@tauliah/core';
import { startTestGraph } from '@tauliah/testing/graph';
import postgres from 'postgres';
import { measureLoad } from './measure.ts';
import { nationalDatabase } from './national.ts';

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.log('Talent search bench: skipped. It loads the national data set with COPY, which needs PostgreSQL: set DATABASE_URL.');
  process.exit(0);
}
const SCALE = Number(process.env.BENCH_SCALE ?? 0.1);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 8) * 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const employer = { role: 'EMPLOYER', sub: 'staff:bench', employerId: '53894476-704e-5859-8f14-e007794aa4ac' } as const;
const ADD_STAFF = `mutation($employerId: ID!, $input: EmployerStaffInput!) { addEmployerStaff(employerId: $employerId, input: $input) { subject } }`;
const benchStaff = { subject: employer.sub, name: 'Talent search bench', email: 'bench@perisian.example.my', kind: 'PERSON', role: 'STAFF' };

const SEARCH = `query($skills: [String!]!, $match: TalentSkillMatch, $minLevel: Int, $state: String, $issuedAfter: DateTimeISO, $counted: Boolean!) {
  talentSearch(skills: $skills, match: $match, minLevel: $minLevel, state: $state, issuedAfter: $issuedAfter, first: 20) {
    totalCount @include(if: $counted) pageInfo { hasNextPage endCursor }
    edges { cursor node { learner { id } matchedSkills { code } credentials { id title issuedAt } score } }
  }
}`;

/** The fixed mix: triples of popular, middling and rare skills (the generator skews course skills towards the first codes). */
function mix(codes: string[]) {
  const at = (i: number) => codes[Math.min(codes.length - 1, i)]!;
  const triples = [
    [at(20), at(30), at(45)],
    [at(25), at(60), at(90)],
    [at(40), at(70), at(120)],
    [at(22), at(35), at(50)],
  ];
  return [
    { name: 'three skills, ALL', variables: (i: number) => ({ skills: triples[i % 4], match: 'ALL' }) },
    { name: 'three skills, ALL, MQF ≥ 4, one state', variables: (i: number) => ({ skills: triples[i % 4], match: 'ALL', minLevel: 4, state: 'Selangor' }) },
    { name: 'three skills, ANY (ranked by coverage)', variables: (i: number) => ({ skills: triples[i % 4], match: 'ANY' }) },
    // totalCount is its own statement, run only when selected: an ANY count must visit every holder of the skills.
    { name: 'three skills, ANY, page without totalCount', variables: (i: number) => ({ skills: triples[i % 4], match: 'ANY', counted: false }) },
    { name: 'one popular skill, issued in the last year', variables: (i: number) => ({ skills: [at(20 + (i % 4))], match: 'ALL', issuedAfter: '2025-11-01T00:00:00Z' }) },
  ];
}

const database = await nationalDatabase({ named: process.env.TALENT_BENCH_URL, serverUrl, scale: SCALE });
const graph = await startTestGraph({ connection: await openDatabase({ url: database.url, maxConnections: 10 }) });
try {
  const { gateway } = graph;
  // The caller acts for the employer only as one of its staff accounts; a database loaded before
  // staff accounts existed has none, so the bench adds its own (adding it again changes nothing).
  await gateway.ok(ADD_STAFF, { as: 'ADMIN', variables: { employerId: employer.employerId, input: benchStaff } });
  const token = await graph.tokens.tokenFor(employer);
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  const [sizes] = await sql`select (select count(*)::int from learners.learner) as learners, (select count(*)::int from credentials.credential) as credentials,
    (select count(*)::int from credentials.talent_proof) as proofs`;
  const popularity = await sql<Array<{ code: string }>>`select skill_code as code from credentials.talent_proof group by skill_code order by count(*) desc`;
  await sql.end();
  const codes = popularity.length ? popularity.map((r) => r.code) : nationalDataSet(scaled(SCALE)).skills.map((s) => s.code);
  console.log(
    `Talent search bench: PostgreSQL, ${sizes!.learners.toLocaleString('en')} learners, ${sizes!.credentials.toLocaleString('en')} credentials, ` +
      `${sizes!.proofs.toLocaleString('en')} talent proofs, ${CONCURRENCY} concurrent clients, ${DURATION_MS / 1000} s per scenario, through the gateway\n`,
  );
  const results = [];
  for (const scenario of mix(codes)) {
    const once = async (i: number) => {
      const response = await gateway.query(SEARCH, { token, variables: { counted: true, ...scenario.variables(i) } });
      if (response.errors) throw new Error(`${scenario.name}: ${JSON.stringify(response.errors)}`);
      return (response.data!.talentSearch.totalCount as number | undefined) ?? null;
    };
    const totals: Array<number | null> = [];
    const figures = await measureLoad({
      once: async (i) => totals.push(await once(i)),
      statements: () => graph.statements(),
      durationMs: DURATION_MS,
      concurrency: CONCURRENCY,
      warmUp: 8,
    });
    const counted = totals.filter((t): t is number => t !== null);
    results.push({
      scenario: scenario.name,
      'candidates (min–max)': counted.length ? `${Math.min(...counted).toLocaleString('en')}–${Math.max(...counted).toLocaleString('en')}` : 'not asked',
      ...figures,
    });
  }
  console.table(results);
} finally {
  await graph.stop();
  await database.drop();
}
