import { devSigningKeyPath, loadOrCreateDevSigningKey, openDatabase, SERVICE_NAMES, type DatabaseConnection, type ServiceName } from '@tauliah/core';
import { childEnvironment, createEmptyDatabase, freePort, ManagedProcess, TokenFactory } from '@tauliah/testing';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seed, sharedEnvironment, subgraphProcesses } from '../../faults/support/topology.ts';
import { post } from './http.ts';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * The five subgraphs as production runs them (each its own process, its
 * src/main.ts) on a new database of the bench's own on the PostgreSQL server
 * DATABASE_URL names, migrated and seeded with the demo data; and a way to
 * start one gateway at a time in front of them.
 */
export interface BenchSubgraphs {
  subgraphUrls: Record<ServiceName, string>;
  /** Presented by every gateway: subgraphs serve `_entities` only to the gateway. */
  gatewaySecret: string;
  tokens: TokenFactory;
  /** The bench's own database, to add the rows a workload needs. */
  database: DatabaseConnection;
  /**
   * Starts a gateway process (`args` after `node --import tsx`) on the
   * gateway's port, the one the subgraphs know as GRAPH_URL; resolves once it
   * answers `{ __typename }`. Stop one before starting the next.
   */
  startGateway(name: string, args: string[], env?: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }>;
  destroy(): Promise<void>;
}

/** BENCH_CPU_PROFILE_DIR: every process the bench starts writes a CPU profile to <dir>/<its name> when it stops (node --cpu-prof). */
const profiling = (name: string): string[] =>
  process.env.BENCH_CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${join(process.env.BENCH_CPU_PROFILE_DIR, name)}`] : [];

export async function startBenchSubgraphs(serverUrl: string): Promise<BenchSubgraphs> {
  const cleanups: Array<() => Promise<void>> = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const dataDir = await mkdtemp(join(tmpdir(), 'tauliah-bench-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const created = await createEmptyDatabase(serverUrl);
    cleanups.push(() => created.drop());

    const ports = Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (name) => [name, await freePort()] as const))) as Record<ServiceName, number>;
    const subgraphUrls = Object.fromEntries(SERVICE_NAMES.map((name) => [name, `http://127.0.0.1:${ports[name]}/graphql`])) as Record<ServiceName, string>;
    // One gateway at a time, always on this port: the subgraphs read other services' data through it (GRAPH_URL), as in production.
    const gatewayPort = await freePort();
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
    const tokens = await TokenFactory.create(await loadOrCreateDevSigningKey(devSigningKeyPath({ DATA_DIR: dataDir })));
    const gatewaySecret = randomBytes(32).toString('base64url');
    // As in production, minus what a bench must not measure (faults/support/topology.ts); the in-process broker.
    const common = sharedEnvironment({ dataDir, databaseUrl: created.url, natsUrl: '', gatewayUrl, gatewaySecret });
    await seed(childEnvironment(common));

    const subgraphs = Object.values(subgraphProcesses(common, ports, profiling));
    cleanups.push(async () => {
      await Promise.all(subgraphs.map((p) => p.stop()));
      for (const p of subgraphs) p.forget();
    });
    await Promise.all(subgraphs.map((subgraph) => subgraph.start()));
    const database = await openDatabase({ url: created.url, maxConnections: 2 });
    cleanups.push(() => database.close());

    return {
      subgraphUrls,
      gatewaySecret,
      tokens,
      database,
      async startGateway(name, args, env = {}) {
        const [port, url] = [gatewayPort, gatewayUrl];
        const gateway = new ManagedProcess({
          name,
          command: process.execPath,
          args: ['--import', 'tsx', ...profiling(name), ...args],
          cwd: ROOT,
          env: childEnvironment({
            ...common,
            ...Object.fromEntries(SERVICE_NAMES.map((subgraph) => [`${subgraph.toUpperCase()}_URL`, subgraphUrls[subgraph]])),
            PORT: String(port),
            ...env,
          }),
          ready: async () => (await post(url, '{"query":"{ __typename }"}')).status === 200,
          readyTimeoutMs: 120_000,
        });
        await gateway.start();
        return {
          url,
          async stop() {
            await gateway.stop();
            gateway.forget();
          },
        };
      },
      destroy: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
