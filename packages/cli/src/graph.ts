import {
  DEFAULT_PORTS,
  startSubgraph,
  type BaseConfig,
  type DatabaseConnection,
  type Logger,
  type RunningServer,
  type RunningSubgraph,
  type ServiceName,
  type TokenVerifier,
} from '@tauliah/core';
import { startGateway } from '@tauliah/gateway';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { services } from './services.ts';

export const SUPERGRAPH_PATH = fileURLToPath(new URL('../../../gateway/supergraph.graphql', import.meta.url));

export interface RunningGraph {
  gateway: RunningServer;
  subgraphs: Record<ServiceName, RunningSubgraph>;
  /** SQL statements run so far, across every subgraph. */
  statements(): number;
  stop(): Promise<void>;
}

export interface StartGraphOptions {
  config: BaseConfig;
  connection: DatabaseConnection;
  verifier: TokenVerifier;
  gatewaySecret: string;
  log: Logger;
  host: string;
  /** Fixed ports (`npm start`) or 0 for any free port (tests). */
  ports: Record<ServiceName | 'gateway', number> | 0;
  supergraphSdl?: string;
}

/**
 * The whole graph in one process: five subgraphs on their own ports over one
 * database connection, and the gateway in front speaking HTTP to them exactly
 * as it does in production.
 */
export async function startGraph(options: StartGraphOptions): Promise<RunningGraph> {
  const started: RunningSubgraph[] = [];
  // Subgraphs start first; they learn the gateway's URL once it listens.
  let gatewayUrl: string | undefined;
  try {
    for (const service of services) {
      started.push(
        await startSubgraph(service, {
          config: options.config,
          gatewaySecret: options.gatewaySecret,
          graphUrl: () => gatewayUrl,
          connection: options.connection,
          verifier: options.verifier,
          log: options.log,
          host: options.host,
          port: options.ports === 0 ? 0 : options.ports[service.name],
        }),
      );
    }
    const subgraphs = Object.fromEntries(started.map((s) => [s.name, s])) as Record<ServiceName, RunningSubgraph>;
    const gateway = await startGateway({
      supergraphSdl: options.supergraphSdl ?? (await readFile(SUPERGRAPH_PATH, 'utf8')),
      config: options.config,
      verifier: options.verifier,
      gatewaySecret: options.gatewaySecret,
      log: options.log,
      subgraphUrls: Object.fromEntries(started.map((s) => [s.name, s.url])),
      listen: { host: options.host, port: options.ports === 0 ? 0 : (options.ports.gateway ?? DEFAULT_PORTS.gateway) },
    });
    gatewayUrl = gateway.url;
    return {
      gateway,
      subgraphs,
      statements: () => started.reduce((sum, s) => sum + s.statements.count, 0),
      async stop() {
        await gateway.stop();
        await Promise.all(started.map((s) => s.stop()));
      },
    };
  } catch (error) {
    await Promise.allSettled(started.map((s) => s.stop()));
    throw error;
  }
}
