import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** What every bench shares: percentiles, and driving one request shape under concurrent load. */

export const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export interface LoadOptions {
  /** Sends request number `i`; throws on any GraphQL error. */
  once: (i: number) => Promise<unknown>;
  /** SQL statements run so far (the graph's counter), to report statements per request. */
  statements: () => number;
  durationMs: number;
  concurrency: number;
  /** Requests sent first to warm JIT, query plans and connections. */
  warmUp?: number;
}

export interface LoadFigures {
  'req/s': number;
  'p50 ms': number;
  'p95 ms': number;
  'p99 ms': number;
  'SQL/req': number;
}

/** Warms up, counts the SQL statements of one request, then keeps `concurrency` clients busy for `durationMs`. */
export async function measureLoad({ once, statements, durationMs, concurrency, warmUp = 20 }: LoadOptions): Promise<LoadFigures> {
  for (let i = 0; i < warmUp; i++) await once(i);
  const before = statements();
  await once(0);
  const perRequest = statements() - before;
  const latencies: number[] = [];
  let n = 0;
  const began = performance.now();
  const deadline = began + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const start = performance.now();
        await once(n++);
        latencies.push(performance.now() - start);
      }
    }),
  );
  const elapsed = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    'req/s': Math.round(latencies.length / elapsed),
    'p50 ms': +percentile(latencies, 50).toFixed(1),
    'p95 ms': +percentile(latencies, 95).toFixed(1),
    'p99 ms': +percentile(latencies, 99).toFixed(1),
    'SQL/req': perRequest,
  };
}

/** CPU time (user + system, ms) each process has used so far, from /proc (clock ticks of 10 ms); empty where there is no /proc. */
export function cpuMs(pids: readonly number[]): Map<number, number> {
  const used = new Map<number, number>();
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      used.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // Gone since listed: a backend that closed.
    }
  }
  return used;
}

/** This bench's child processes running `script` (a subgraph or gateway it started); none where there is no /proc. */
export function childrenRunning(script: string): number[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        const parent = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
        return parent === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(script);
      } catch {
        return false;
      }
    });
}

/** CPU ms the processes used between two readings (cpuMs), over the requests answered meanwhile. */
export const cpuPerRequest = (before: Map<number, number>, after: Map<number, number>, requests: number): number =>
  requests === 0 ? 0 : +([...after].reduce((sum, [pid, ms]) => sum + (before.has(pid) ? ms - before.get(pid)! : 0), 0) / requests).toFixed(2);
