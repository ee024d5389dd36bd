/**
 * `npm run bench -- verification`: public credential verification, as anyone
 * handed a credential does it (no token), on the demo set: the five
 * subgraphs each their own process on PostgreSQL (DATABASE_URL, a new
 * database of the bench's own, seeded with the demo data), our gateway in
 * front. Four request shapes: `verifyCredentialDocument` with a VC-JWT and
 * with a Data Integrity document (the demo credentials' signed documents,
 * in turn), and `verifyCredential(id)` of the public demo credentials in
 * each format. Each is measured through the gateway and straight to the
 * credentials subgraph, in alternating rounds, so what the gateway adds can
 * be told apart from what verification costs. Every answer must be the
 * same JSON as the first one for that request (and the same through the
 * gateway as directly): a faster different answer is a failure.
 * Throughput on a shared machine says as much about the neighbours as about
 * the code, so each window also reports the CPU time it cost per request
 * (Linux /proc): in the credentials subgraph, in the gateway and in the
 * PostgreSQL backends of the bench's database.
 * Before the first round, every shape is driven through the gateway for
 * BENCH_WARMUP_SECONDS (default 5) unmeasured, as the gateways bench does:
 * the processes start cold, and the first round would otherwise measure
 * the JIT compiler and each connection preparing its statements.
 * BENCH_SECONDS (default 5) per shape per round, BENCH_ROUNDS (default 2),
 * BENCH_CONCURRENCY (default 16) connections, BENCH_ONLY (a word the
 * shapes to run have in their names, e.g. VC_JWT) to run fewer.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { post } from './gateways/http.ts';
import { ROOT, startBenchSubgraphs } from './gateways/topology.ts';
import { childrenRunning, cpuMs, cpuPerRequest, measureLoad, type LoadFigures } from './measure.ts';

const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ONLY = process.env.BENCH_ONLY;
const WARMUP_MS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5) * 1000;
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error('The verification bench runs the subgraphs on PostgreSQL: set DATABASE_URL to a server it may create a database on.');
  process.exit(1);
}

const VERIFICATION = 'verified format checks { check passed message } documentId credentials { verified documentId }';
type Format = 'VC_JWT' | 'DATA_INTEGRITY';

interface Shape {
  name: string;
  /** The request bodies sent in turn (request i sends bodies[i % length]). */
  bodies: string[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const subgraphs = await startBenchSubgraphs(serverUrl);
const gateway = await subgraphs.startGateway('ours', [join(ROOT, 'gateway/src/main.ts')]);
const direct = subgraphs.subgraphUrls.credentials;
try {
  // The demo set: every demo credential's signed documents (asked for once, as an administrator: the Data Integrity form is signed then), and the public ones by id.
  const rows = await subgraphs.database.query<{ id: string; visibility: string }>(`select id, visibility from credentials.credential where document is not null order by id`);
  const admin = { authorization: `Bearer ${await subgraphs.tokens.tokenFor('ADMIN')}` };
  const documents: Record<Format, unknown[]> = { VC_JWT: [], DATA_INTEGRITY: [] };
  for (const format of ['VC_JWT', 'DATA_INTEGRITY'] as const) {
    for (let i = 0; i < rows.length; i += 100) {
      const body = JSON.stringify({ query: `query($ids: [ID!]!) { credentials(ids: $ids) { document(format: ${format}) } }`, variables: { ids: rows.slice(i, i + 100).map((r) => r.id) } });
      const answer = JSON.parse((await post(gateway.url, body, admin)).body) as { data?: { credentials: Array<{ document: unknown } | null> } };
      if (!answer.data) throw new Error(`the demo documents could not be read: ${JSON.stringify(answer)}`);
      documents[format].push(...answer.data.credentials.map((c) => c?.document).filter((d) => d !== null && d !== undefined));
    }
  }
  const publicIds = rows.filter((r) => r.visibility === 'PUBLIC').map((r) => r.id);
  const shapes: Shape[] = [
    ...(['VC_JWT', 'DATA_INTEGRITY'] as const).map((format) => ({
      name: `verifyCredentialDocument (${format}), ${documents[format].length} documents`,
      bodies: documents[format].map((document) => JSON.stringify({ query: `query($d: JSON!) { verifyCredentialDocument(document: $d) { ${VERIFICATION} } }`, variables: { d: document } })),
    })),
    ...(['VC_JWT', 'DATA_INTEGRITY'] as const).map((format) => ({
      name: `verifyCredential(id, ${format}), ${publicIds.length} public credentials`,
      bodies: publicIds.map((id) => JSON.stringify({ query: `query($id: ID!) { verifyCredential(id: $id, format: ${format}) { ${VERIFICATION} } }`, variables: { id } })),
    })),
  ].filter((shape) => !ONLY || shape.name.includes(ONLY));

  // The first answer to each body, through the gateway: every later one, either way, must be the same JSON.
  const expected = new Map<string, string>();
  let answers = 0;
  let verified = 0;
  const ask = async (url: string, body: string) => {
    const { status, body: text } = await post(url, body);
    const answer = JSON.parse(text) as { data?: Record<string, { verified: boolean }>; errors?: unknown };
    if (status !== 200 || answer.errors || !answer.data) throw new Error(`HTTP ${status}: ${text.slice(0, 500)}`);
    const data = JSON.stringify(answer.data);
    const first = expected.get(body);
    if (first === undefined) expected.set(body, data);
    else if (first !== data) throw new Error(`a different answer to the same request:\n${first}\n${data}`);
    answers++;
    if (Object.values(answer.data)[0]!.verified) verified++;
  };

  console.log(
    `Verification bench: PostgreSQL, subgraphs and gateway each their own process, ${cpus().length} cores (load ${loadavg()[0]!.toFixed(1)}), ` +
      `${CONCURRENCY} connections, ${DURATION_MS / 1000} s per shape, ${ROUNDS} rounds\n`,
  );
  const credentialsPids = childrenRunning('services/credentials/src/main.ts');
  const gatewayPids = childrenRunning('gateway/src/main.ts');
  const backendPids = async () =>
    (await subgraphs.database.query<{ pid: number }>(`select pid from pg_stat_activity where datname = current_database()`)).map((r) => Number(r.pid));
  type Measured = LoadFigures & { subgraphCpu: number; gatewayCpu: number; postgresCpu: number };
  const figures = new Map<string, { gateway: Measured[]; direct: Measured[] }>(shapes.map((s) => [s.name, { gateway: [], direct: [] }]));
  for (const shape of shapes) {
    await measureLoad({ once: (i) => ask(gateway.url, shape.bodies[i % shape.bodies.length]!), statements: () => 0, durationMs: WARMUP_MS, concurrency: CONCURRENCY, warmUp: 0 });
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const shape of shapes) {
      // Alternate which goes first, so neither always meets the other's leftovers.
      const order = round % 2 === 0 ? (['gateway', 'direct'] as const) : (['direct', 'gateway'] as const);
      for (const way of order) {
        const url = way === 'gateway' ? gateway.url : direct;
        const once = (i: number) => ask(url, shape.bodies[i % shape.bodies.length]!);
        for (let i = 0; i < shape.bodies.length; i++) await once(i);
        const backends = await backendPids();
        const [answeredBefore, subgraphBefore, gatewayBefore, postgresBefore] = [answers, cpuMs(credentialsPids), cpuMs(gatewayPids), cpuMs(backends)];
        const load = await measureLoad({ once, statements: () => 0, durationMs: DURATION_MS, concurrency: CONCURRENCY, warmUp: 0 });
        const answered = answers - answeredBefore;
        figures.get(shape.name)![way].push({
          ...load,
          subgraphCpu: cpuPerRequest(subgraphBefore, cpuMs(credentialsPids), answered),
          gatewayCpu: cpuPerRequest(gatewayBefore, cpuMs(gatewayPids), answered),
          postgresCpu: cpuPerRequest(postgresBefore, cpuMs(backends), answered),
        });
      }
    }
  }
  console.table(
    shapes.map((shape) => {
      const { gateway: through, direct: straight } = figures.get(shape.name)!;
      return {
        shape: shape.name,
        'gateway req/s': median(through.map((f) => f['req/s'])),
        'gateway p50 ms': median(through.map((f) => f['p50 ms'])),
        'direct req/s': median(straight.map((f) => f['req/s'])),
        'direct p50 ms': median(straight.map((f) => f['p50 ms'])),
        // CPU per request: through the gateway, the subgraph's, the gateway's and PostgreSQL's; directly, the subgraph's and PostgreSQL's.
        'CPU ms/req via gateway (subgraph+gateway+pg)': `${median(through.map((f) => f.subgraphCpu))}+${median(through.map((f) => f.gatewayCpu))}+${median(through.map((f) => f.postgresCpu))}`,
        'CPU ms/req direct (subgraph+pg)': `${median(straight.map((f) => f.subgraphCpu))}+${median(straight.map((f) => f.postgresCpu))}`,
        rounds: through.map((f, i) => `${f['req/s']}/${straight[i]!['req/s']}`).join(' '),
      };
    }),
  );
  console.log(`${answers} answers, each the same as the first to its request; ${verified} of them verified.`);
} finally {
  await gateway.stop();
  await subgraphs.destroy();
}
