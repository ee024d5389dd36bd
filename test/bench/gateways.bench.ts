/**
 * `npm run bench -- gateways`: our gateway against its peers on the same
 * five subgraphs, each subgraph its own process on PostgreSQL (DATABASE_URL,
 * a new database of the bench's own, seeded with the demo data). One gateway
 * at a time, each its own process, in alternating rounds: ours, stock
 * @apollo/gateway, Hive Gateway with its JavaScript planner and with the Rust
 * planner of @graphql-hive/router-runtime. Every answer of every gateway is
 * checked against ours (the same JSON data, byte for byte); a gateway that
 * answers differently is reported as giving wrong answers, not left out.
 * Prints rps, p50 and p99 per gateway and query, the ratios ours ÷ each peer,
 * each gateway process's own CPU per request (Linux /proc; unlike throughput,
 * it does not move with what the subgraphs and PostgreSQL beside it cost),
 * and at one connection: the gateway's overhead over the providers subgraph
 * asked directly (catalogue, p50) and the two-subgraph query's p50.
 * Before the first round, every query is driven through our gateway for
 * BENCH_WARMUP_SECONDS (default 5) unmeasured: the subgraphs and PostgreSQL
 * start cold, and whichever gateway ran first would otherwise pay for it.
 * BENCH_SECONDS (default 5) per query per round, BENCH_ROUNDS (default 2),
 * BENCH_CONCURRENCY (default 16) connections. Every gateway runs with in-flight
 * deduplication off (ours has it as SUBGRAPH_DEDUPLICATION, off by default), so
 * each request costs the subgraphs what it would alone; BENCH_DEDUP=on turns
 * ours on, and the report says so. Ours runs twice: as every peer does, with
 * no response cache (RESPONSE_CACHE=off), and as it runs in production, with
 * its response cache on ("ours + response cache": the catalogue and job roles
 * are published data and are answered from it; the learner's and the
 * funder's queries are not, and are asked afresh each time). Every round
 * repeats the same query, so a kept answer serves nearly every request: that
 * column is the best case of a cache, reported beside the engines', not in
 * place of them.
 */
import { GATEWAY_HEADER } from '@tauliah/core';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { post } from './gateways/http.ts';
import { startBenchSubgraphs, ROOT, type BenchSubgraphs } from './gateways/topology.ts';
import { CATALOGUE, eligibilityWorkload, JOB_ROLES, LEARNER, type Workload } from './gateways/workloads.ts';
import { childrenRunning, cpuMs, cpuPerRequest, measureLoad, type LoadFigures } from './measure.ts';

const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5) * 1000;
const DEDUP = process.env.BENCH_DEDUP === 'on';
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error('The gateways bench runs the subgraphs on PostgreSQL: set DATABASE_URL to a server it may create a database on.');
  process.exit(1);
}

interface Gateway {
  name: string;
  args: string[];
  env?: Record<string, string>;
}

const OURS: Gateway = { name: 'ours', args: [join(ROOT, 'gateway/src/main.ts')], env: { SUBGRAPH_DEDUPLICATION: DEDUP ? 'on' : 'off', RESPONSE_CACHE: 'off' } };
const OURS_CACHED: Gateway = { ...OURS, name: 'ours + response cache', env: { ...OURS.env, RESPONSE_CACHE: 'on' } };
const DEDUPLICATION = `in-flight deduplication: ${DEDUP ? 'ON for ours (BENCH_DEDUP=on), off for every peer' : 'off for every gateway, ours included'}`;
const PEERS: Gateway[] = [
  { name: 'stock @apollo/gateway', args: [join(ROOT, 'test/bench/gateways/apollo-gateway.ts')] },
  { name: 'Hive Gateway (JS)', args: [join(ROOT, 'test/bench/gateways/hive-gateway.ts')], env: { HIVE_PLANNER: 'js' } },
  { name: 'Hive Gateway (Rust planner)', args: [join(ROOT, 'test/bench/gateways/hive-gateway.ts')], env: { HIVE_PLANNER: 'rust' } },
];

/** A workload as bytes on the wire: the body and headers every gateway is sent. */
interface Prepared {
  workload: Workload;
  body: string;
  headers: Record<string, string>;
}

interface Measured {
  rounds: LoadFigures[];
  /** The gateway process's CPU ms per request, each round (none where there is no /proc). */
  cpu: number[];
  answers: number;
  wrong: number;
  /** The first wrong answer, for the report. */
  example?: string;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** The answer's data as one JSON text, or why it is no answer at all (HTTP failure, errors). */
function dataOf(answer: { status: number; body: string }): { data?: string; problem?: string } {
  let parsed: { data?: unknown; errors?: unknown[] };
  try {
    parsed = JSON.parse(answer.body) as typeof parsed;
  } catch {
    return { problem: `HTTP ${answer.status}, not JSON: ${answer.body.slice(0, 200)}` };
  }
  if (answer.status !== 200 || parsed.errors?.length) return { problem: `HTTP ${answer.status}: ${JSON.stringify(parsed.errors ?? parsed).slice(0, 300)}` };
  return { data: JSON.stringify(parsed.data) };
}

/** Where a peer's data first departs from ours, with a little of each around it. */
function difference(ours: string, theirs: string): string {
  let at = 0;
  while (at < ours.length && ours[at] === theirs[at]) at++;
  const around = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 80), at + 120));
  return `data differs from ours at character ${at} of ${ours.length}:\n    ours:   …${around(ours)}…\n    theirs: …${around(theirs)}…`;
}

async function prepare(subgraphs: BenchSubgraphs, workload: Workload): Promise<Prepared> {
  const token = workload.as ? await subgraphs.tokens.tokenFor(workload.as, { expiresIn: '2h' }) : undefined;
  return {
    workload,
    body: JSON.stringify({ query: workload.query, variables: workload.variables }),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  };
}

const subgraphs = await startBenchSubgraphs(serverUrl);
try {
  const workloads = await Promise.all([CATALOGUE, JOB_ROLES, LEARNER, await eligibilityWorkload(subgraphs)].map((w) => prepare(subgraphs, w)));
  const expected = new Map<Workload, string>();
  const results = new Map<string, Map<Prepared, Measured>>();
  const unavailable = new Map<string, string>();
  const startedAt = new Date();
  const loadBefore = loadavg();

  /** Keeps `concurrency` connections busy with one workload through `url`, checking every answer against ours; with `pids`, records their CPU per request. */
  const drive = async (url: string, prepared: Prepared, measured: Measured, concurrency: number, durationMs: number, pids: number[] = []) => {
    const reference = expected.get(prepared.workload)!;
    const once = async () => {
      // A gateway that drops a request gives a wrong answer too; the bench goes on.
      const answer = await post(url, prepared.body, prepared.headers).catch((error: Error) => ({ status: 0, body: `no answer: ${error.message}` }));
      const { data, problem } = dataOf(answer);
      measured.answers++;
      if (data !== reference) {
        measured.wrong++;
        measured.example ??= problem ?? difference(reference, data!);
      }
    };
    const [answeredBefore, cpuBefore] = [measured.answers, cpuMs(pids)];
    const figures = await measureLoad({ once, statements: () => 0, durationMs, concurrency });
    if (cpuBefore.size > 0) measured.cpu.push(cpuPerRequest(cpuBefore, cpuMs(pids), measured.answers - answeredBefore));
    return figures;
  };

  const runGateway = async (gateway: Gateway) => {
    if (unavailable.has(gateway.name)) return;
    let running: Awaited<ReturnType<BenchSubgraphs['startGateway']>>;
    try {
      running = await subgraphs.startGateway(gateway.name, gateway.args, gateway.env);
    } catch (error) {
      unavailable.set(gateway.name, String((error as Error).message).split('\n').slice(0, 12).join('\n'));
      console.error(`${gateway.name} did not start:\n${unavailable.get(gateway.name)}`);
      return;
    }
    try {
      const byWorkload = results.get(gateway.name) ?? new Map<Prepared, Measured>();
      results.set(gateway.name, byWorkload);
      // The gateway's own process: its CPU per request is what it costs, whatever the subgraphs and PostgreSQL beside it cost.
      const pids = childrenRunning(gateway.args.at(-1)!);
      for (const prepared of workloads) {
        const measured = byWorkload.get(prepared) ?? { rounds: [], cpu: [], answers: 0, wrong: 0 };
        byWorkload.set(prepared, measured);
        const figures = await drive(running.url, prepared, measured, CONCURRENCY, DURATION_MS, pids);
        measured.rounds.push(figures);
        const cpu = measured.cpu.at(-1);
        console.log(
          `  ${gateway.name} · ${prepared.workload.name}: ${figures['req/s']} rps, p50 ${figures['p50 ms']} ms, p99 ${figures['p99 ms']} ms` +
            `${cpu === undefined ? '' : `, gateway CPU ${cpu} ms/req`}${measured.wrong ? `, ${measured.wrong} wrong answers` : ''}`,
        );
      }
    } finally {
      await running.stop();
    }
  };

  console.log(`Gateways bench: ${CONCURRENCY} connections, ${DURATION_MS / 1000} s per query, ${ROUNDS} rounds, one gateway at a time, ${DEDUPLICATION}\n`);
  // The subgraphs and PostgreSQL warm up through ours, unmeasured; its answers become the reference.
  const warming = await subgraphs.startGateway(OURS.name, OURS.args, OURS.env);
  try {
    for (const prepared of workloads) {
      const { data, problem } = dataOf(await post(warming.url, prepared.body, prepared.headers));
      if (data === undefined) throw new Error(`our gateway does not answer "${prepared.workload.name}": ${problem}`);
      expected.set(prepared.workload, data);
      await drive(warming.url, prepared, { rounds: [], cpu: [], answers: 0, wrong: 0 }, CONCURRENCY, WARMUP_MS);
    }
  } finally {
    await warming.stop();
  }

  for (let round = 1; round <= ROUNDS; round++) {
    // The order alternates from round to round.
    const order = round % 2 === 1 ? [OURS, OURS_CACHED, ...PEERS] : [...PEERS].reverse().concat(OURS_CACHED, OURS);
    console.log(`round ${round}: ${order.map((g) => g.name).join(', ')}`);
    for (const gateway of order) await runGateway(gateway);
  }

  // One connection: what the gateway adds to a query one subgraph answers, and the two-subgraph query.
  // The providers subgraph is asked exactly as a gateway asks it (with the gateway's header), and must answer the same data.
  const oneConnection: Measured = { answers: 0, wrong: 0, rounds: [], cpu: [] };
  const [catalogue, jobRoles] = [workloads[0]!, workloads[1]!];
  const asTheGateway = { ...catalogue, headers: { ...catalogue.headers, [GATEWAY_HEADER]: subgraphs.gatewaySecret } };
  // Latency, unlike throughput, is mostly the fresh process's cold code: each gateway first answers both queries unmeasured
  // for BENCH_WARMUP_SECONDS, as the subgraphs did at the start. The direct baseline is measured in each round just before
  // the gateway, so the overhead compares the same minutes of this shared machine; p50s are the medians over the rounds.
  type OneConnection = { direct: number; gateway: number; twoSubgraphs: number };
  const single = new Map<Gateway, OneConnection>();
  for (const gateway of [OURS, OURS_CACHED]) {
    const running = await subgraphs.startGateway(gateway.name, gateway.args, gateway.env);
    try {
      for (const prepared of [catalogue, jobRoles]) await drive(running.url, prepared, { rounds: [], cpu: [], answers: 0, wrong: 0 }, 1, WARMUP_MS);
      const rounds: OneConnection[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        rounds.push({
          direct: (await drive(subgraphs.subgraphUrls.providers, asTheGateway, oneConnection, 1, DURATION_MS))['p50 ms'],
          gateway: (await drive(running.url, catalogue, oneConnection, 1, DURATION_MS))['p50 ms'],
          twoSubgraphs: (await drive(running.url, jobRoles, oneConnection, 1, DURATION_MS))['p50 ms'],
        });
      }
      single.set(gateway, {
        direct: median(rounds.map((r) => r.direct)),
        gateway: median(rounds.map((r) => r.gateway)),
        twoSubgraphs: median(rounds.map((r) => r.twoSubgraphs)),
      });
    } finally {
      await running.stop();
    }
  }
  const loadAfter = loadavg();

  // The report.
  const names = [OURS.name, OURS_CACHED.name, ...PEERS.map((p) => p.name)];
  const figure = (gateway: string, prepared: Prepared, key: keyof LoadFigures) => median(results.get(gateway)?.get(prepared)?.rounds.map((r) => r[key]) ?? []);
  const detail = names.flatMap((gateway) =>
    workloads.map((prepared) => {
      const measured = results.get(gateway)?.get(prepared);
      return {
        gateway,
        query: prepared.workload.name,
        rps: measured ? Math.round(figure(gateway, prepared, 'req/s')) : unavailable.has(gateway) ? 'did not start' : '-',
        'p50 ms': measured ? +figure(gateway, prepared, 'p50 ms').toFixed(1) : '-',
        'p99 ms': measured ? +figure(gateway, prepared, 'p99 ms').toFixed(1) : '-',
        'gateway CPU ms/req': measured?.cpu.length ? median(measured.cpu) : '-',
        'wrong answers': measured ? `${measured.wrong} of ${measured.answers}` : '-',
      };
    }),
  );
  console.log('\nMedians over the rounds:');
  console.table(detail);

  const cell = (gateway: string, prepared: Prepared): string => {
    const measured = results.get(gateway)?.get(prepared);
    if (!measured) return unavailable.has(gateway) ? 'did not start' : '-';
    if (measured.wrong > 0) return 'wrong answers';
    const rps = Math.round(figure(gateway, prepared, 'req/s'));
    return `${rps} (p50 ${figure(gateway, prepared, 'p50 ms').toFixed(1)}, p99 ${figure(gateway, prepared, 'p99 ms').toFixed(1)})`;
  };
  const ratio = (ours: Gateway, peer: string, prepared: Prepared): string => {
    const measured = results.get(peer)?.get(prepared);
    if (!measured || !results.get(ours.name)?.get(prepared)) return '-';
    if (measured.wrong > 0 || results.get(ours.name)!.get(prepared)!.wrong > 0) return 'wrong answers';
    return (figure(ours.name, prepared, 'req/s') / figure(peer, prepared, 'req/s')).toFixed(2);
  };
  const ratios = (ours: Gateway) => [
    `| query | ${PEERS.map((peer) => `${ours.name} ÷ ${peer.name}`).join(' | ')} |`,
    `|---|${PEERS.map(() => '---').join('|')}|`,
    ...workloads.map((prepared) => `| ${prepared.workload.name} | ${PEERS.map((peer) => ratio(ours, peer.name, prepared)).join(' | ')} |`),
  ];
  // The gateways' own CPU per request: throughput moves with what the subgraphs and PostgreSQL beside them cost, this does not.
  const cpuOf = (gateway: string, prepared: Prepared) => {
    const cpu = results.get(gateway)?.get(prepared)?.cpu ?? [];
    return cpu.length > 0 ? median(cpu) : undefined;
  };
  const cpuLines = () => {
    if (cpuOf(OURS.name, workloads[0]!) === undefined) return ['(no /proc here: gateway CPU per request not measured)'];
    const ms = (gateway: string, prepared: Prepared) => cpuOf(gateway, prepared)?.toFixed(2) ?? '-';
    const times = (peer: string, prepared: Prepared) => {
      const [ours, theirs] = [cpuOf(OURS.name, prepared), cpuOf(peer, prepared)];
      return ours && theirs ? (theirs / ours).toFixed(2) : '-';
    };
    return [
      `Gateway process CPU per request (ms, medians), and each peer's ÷ ${OURS.name}:`,
      '',
      `| query | ${OURS.name} | ${PEERS.map((peer) => `${peer.name} (÷ ${OURS.name})`).join(' | ')} |`,
      `|---|---|${PEERS.map(() => '---').join('|')}|`,
      ...workloads.map((prepared) => `| ${prepared.workload.name} | ${ms(OURS.name, prepared)} | ${PEERS.map((peer) => `${ms(peer.name, prepared)} (${times(peer.name, prepared)})`).join(' | ')} |`),
    ];
  };
  const oneConnectionLine = (gateway: Gateway) => {
    const figures = single.get(gateway)!;
    const ms = (value: number) => value.toFixed(1);
    if (gateway === OURS_CACHED) {
      return `One connection (p50), ${gateway.name}: catalogue ${ms(figures.gateway)} ms, job roles → skills → courses ${ms(figures.twoSubgraphs)} ms, each answered from the cache after its first request (no subgraph asked).`;
    }
    return (
      `One connection (p50, median of ${ROUNDS} rounds after a warm-up), ${gateway.name}: catalogue ${ms(figures.gateway)} ms through the gateway, ${ms(figures.direct)} ms from the providers subgraph directly: ` +
      `overhead ${ms(figures.gateway - figures.direct)} ms; job roles → skills → courses (two subgraphs) ${ms(figures.twoSubgraphs)} ms.`
    );
  };
  const cpu = cpus();
  const lines = [
    `${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC · ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB · Node ${process.version} · ` +
      `load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after`,
    `${CONCURRENCY} connections, ${DURATION_MS / 1000} s per query per round, ${ROUNDS} alternating rounds, medians; rps (p50, p99 ms); ${DEDUPLICATION}`,
    '',
    `| query | ${names.join(' | ')} |`,
    `|---|${names.map(() => '---').join('|')}|`,
    ...workloads.map((prepared) => `| ${prepared.workload.name} | ${names.map((name) => cell(name, prepared)).join(' | ')} |`),
    '',
    ...ratios(OURS),
    '',
    ...ratios(OURS_CACHED),
    '',
    ...cpuLines(),
    '',
    oneConnectionLine(OURS),
    oneConnectionLine(OURS_CACHED) + (oneConnection.wrong ? ` (${oneConnection.wrong} of ${oneConnection.answers} answers differed: ${oneConnection.example})` : ''),
  ];
  console.log(`\n${lines.join('\n')}`);
  for (const [gateway, byWorkload] of results) {
    for (const [prepared, measured] of byWorkload) {
      if (measured.example) console.log(`\n${gateway}, ${prepared.workload.name}: first wrong answer: ${measured.example}`);
    }
  }
  for (const [gateway, why] of unavailable) console.log(`\n${gateway} did not start: ${why}`);
} finally {
  await subgraphs.destroy();
}
