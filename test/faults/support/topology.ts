import { devSigningKeyPath, loadOrCreateDevSigningKey, openDatabase, SERVICE_NAMES, type ServiceName } from '@tauliah/core';
import {
  answersOk,
  childEnvironment,
  freePort,
  ManagedProcess,
  startThrowawayNats,
  startThrowawayPostgres,
  TokenFactory,
  type ProcessExit,
  type ThrowawayNats,
  type ThrowawayPostgres,
} from '@tauliah/testing';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = join(ROOT, 'packages/cli/bin/tauliah.mjs');

/**
 * The production topology on one machine, all of it the test's own: a
 * throwaway PostgreSQL cluster and NATS server, each subgraph in its own
 * process and the gateway in another, each started as production starts it
 * (its src/main.ts), on free ports.
 */
export interface FaultTopology {
  gatewayUrl: string;
  /** A subgraph's own GraphQL URL, to call it directly as the gateway does. */
  subgraphUrl(name: ServiceName): string;
  subgraphs: Record<ServiceName, ManagedProcess>;
  gateway: ManagedProcess;
  postgres: ThrowawayPostgres;
  nats: ThrowawayNats;
  tokens: TokenFactory;
  /** Runs one statement on the cluster on a connection of its own, opened and closed for it. */
  sql<Row = Record<string, unknown>>(statement: string, params?: unknown[]): Promise<Row[]>;
  /** Every exit of a subgraph or the gateway nobody asked for. */
  crashes(): ProcessExit[];
  /** Brings back whatever a scenario left down (a paused, killed or crashed process, a stopped server). */
  restoreAll(): Promise<void>;
  /** Which processes are down and, for each that crashed, its last lines of output: for a failure report. */
  output(): string;
  destroy(): Promise<void>;
}

export interface FaultTopologyOptions {
  /** Extra settings for the gateway process. */
  gatewayEnv?: Record<string, string>;
}

export async function startFaultTopology(options: FaultTopologyOptions = {}): Promise<FaultTopology> {
  const cleanups: Array<() => Promise<void>> = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const dataDir = await mkdtemp(join(tmpdir(), 'tauliah-faults-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const [postgres, nats] = await Promise.all([startThrowawayPostgres(), startThrowawayNats()]);
    cleanups.push(() => postgres.destroy(), () => nats.destroy());

    const ports = Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (name) => [name, await freePort()] as const))) as Record<ServiceName, number>;
    const gatewayPort = await freePort();
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
    const subgraphUrl = (name: ServiceName) => `http://127.0.0.1:${ports[name]}/graphql`;

    // Every process verifies tokens with the dev key in DATA_DIR; the tests sign with it.
    const tokens = await TokenFactory.create(await loadOrCreateDevSigningKey(devSigningKeyPath({ DATA_DIR: dataDir })));
    const common = sharedEnvironment({ dataDir, databaseUrl: postgres.url, natsUrl: nats.url, gatewayUrl, gatewaySecret: randomBytes(32).toString('base64url') });

    const seedingAt = Date.now();
    await seed(childEnvironment(common));
    const seededAt = Date.now();

    const subgraphs = subgraphProcesses(common, ports);
    const gateway = new ManagedProcess({
      name: 'gateway',
      command: process.execPath,
      args: ['--import', 'tsx', join(ROOT, 'gateway/src/main.ts')],
      cwd: ROOT,
      env: childEnvironment({
        ...common,
        PORT: String(gatewayPort),
        ...Object.fromEntries(SERVICE_NAMES.map((name) => [`${name.toUpperCase()}_URL`, subgraphUrl(name)])),
        ...options.gatewayEnv,
      }),
      ready: () => answersOk(`http://127.0.0.1:${gatewayPort}/readyz`, 3_000),
    });
    const processes = [...Object.values(subgraphs), gateway];
    const answersSql = async () => {
      const connection = await openDatabase({ url: postgres.url, maxConnections: 1 });
      try {
        await connection.ping();
        return true;
      } catch {
        return false;
      } finally {
        await connection.close().catch(() => undefined);
      }
    };
    cleanups.push(async () => {
      await Promise.all(processes.map((p) => p.stop()));
      for (const p of processes) p.forget();
    });
    await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph.start()));
    await gateway.start();
    console.info(`topology up: seeded in ${seededAt - seedingAt} ms, subgraphs and gateway serving ${Date.now() - seededAt} ms later`);

    return {
      gatewayUrl,
      subgraphUrl,
      subgraphs,
      gateway,
      postgres,
      nats,
      tokens,
      async sql<Row>(statement: string, params: unknown[] = []) {
        const connection = await openDatabase({ url: postgres.url, maxConnections: 1 });
        try {
          return await connection.query<Row>(statement, params);
        } finally {
          await connection.close();
        }
      },
      crashes: () => processes.flatMap((p) => p.crashes),
      async restoreAll() {
        if (!nats.server.alive) await nats.start();
        if (!(await answersSql())) await postgres.start();
        for (const p of processes) {
          if (p.alive) p.resume();
        }
        await Promise.all(Object.values(subgraphs).map((p) => (p.alive ? Promise.resolve() : p.start())));
        if (!gateway.alive) await gateway.start();
      },
      output: () => {
        const down = processes.filter((p) => !p.alive).map((p) => p.name);
        const crashed = processes.filter((p) => p.crashes.length > 0);
        const lines = (p: ManagedProcess) => p.output(30).split('\n').map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line));
        return [
          `processes down: ${down.join(', ') || 'none'}`,
          ...crashed.map((p) => `--- ${p.name} exited ${JSON.stringify(p.crashes)}; its last output:\n${lines(p).join('\n')}`),
        ].join('\n');
      },
      destroy: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/**
 * What every process of a production-like topology on one machine is given:
 * production's settings minus what a test or bench must not depend on (no
 * rate limits, no JWKS: tokens are verified with the dev key in `dataDir`,
 * warnings only in the logs), and nothing of the machine's own servers
 * leaking in from the environment the suite runs in (no Redis, no
 * per-service database or subgraph URLs). `natsUrl` empty: the in-process
 * broker.
 */
export function sharedEnvironment(settings: { dataDir: string; databaseUrl: string; natsUrl: string; gatewayUrl: string; gatewaySecret: string }): Record<string, string> {
  const common: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATA_DIR: settings.dataDir,
    DATABASE_URL: settings.databaseUrl,
    NATS_URL: settings.natsUrl,
    GATEWAY_SECRET: settings.gatewaySecret,
    GRAPH_URL: settings.gatewayUrl,
    JWKS_URL: '',
    REDIS_URL: '',
    RATE_LIMITS: 'off',
    APOLLO_TELEMETRY_DISABLED: 'true',
  };
  for (const name of SERVICE_NAMES) {
    common[`${name.toUpperCase()}_DATABASE_URL`] = '';
    common[`${name.toUpperCase()}_URL`] = '';
  }
  return common;
}

/** Each subgraph as production starts it (its src/main.ts, in a process of its own) on its port, ready once its /readyz answers. */
export function subgraphProcesses(
  common: Record<string, string>,
  ports: Record<ServiceName, number>,
  /** Node flags for a subgraph's process (a bench's --cpu-prof). */
  nodeFlags: (name: ServiceName) => string[] = () => [],
): Record<ServiceName, ManagedProcess> {
  return Object.fromEntries(
    SERVICE_NAMES.map((name) => [
      name,
      new ManagedProcess({
        name,
        command: process.execPath,
        args: ['--import', 'tsx', ...nodeFlags(name), join(ROOT, 'services', name, 'src/main.ts')],
        cwd: ROOT,
        env: childEnvironment({ ...common, PORT: String(ports[name]) }),
        ready: () => answersOk(`http://127.0.0.1:${ports[name]}/readyz`),
      }),
    ]),
  ) as Record<ServiceName, ManagedProcess>;
}

/** `tauliah seed`: migrates every service's schema and loads the demo data set, as an operator would (the fault suite's topology and the peer-gateway bench's). */
export async function seed(env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(process.execPath, [CLI, 'seed'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`tauliah seed exited with ${code}:\n${output}`);
}
