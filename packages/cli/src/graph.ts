import {
  DEFAULT_PORTS,
  openEventTransport,
  startSubgraph,
  type DatabaseConnection,
  type EventTransport,
  type Logger,
  type RunningServer,
  type RunningSubgraph,
  type ServiceName,
  type TokenVerifier,
} from '@tauliah/core';
import { startGateway, type GatewayOptions } from '@tauliah/gateway';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ServicesConfig } from './config.ts';
import { services } from './services.ts';

export const SUPERGRAPH_PATH = fileURLToPath(new URL('../../../gateway/supergraph.graphql', import.meta.url));

export interface RunningGraph {
  gateway: RunningServer;
  subgraphs: Record<ServiceName, RunningSubgraph>;
  /** The event broker the subgraphs share. */
  events: EventTransport;
  /** SQL statements run so far, across every subgraph. */
  statements(): number;
  stop(): Promise<void>;
}

export interface StartGraphOptions {
  /** Every service's settings: the subgraphs of all five services run in this one process. */
  config: ServicesConfig;
  connection: DatabaseConnection;
  verifier: TokenVerifier;
  gatewaySecret: string;
  log: Logger;
  host: string;
  /** Fixed ports (`npm start`) or 0 for any free port (tests). */
  ports: Record<ServiceName | 'gateway', number> | 0;
  supergraphSdl?: string;
  /** The event broker the subgraphs share; without it one from config (NATS_URL, else in-process), closed with the graph. */
  events?: EventTransport;
  /** The gateway's explorer: the demo personas' tokens it offers (`tauliah up`). */
  explorer?: GatewayOptions['explorer'];
}

/**
 * The whole graph in one process: five subgraphs on their own ports over one
 * database connection, and the gateway in front speaking HTTP to them exactly
 * as it does in production. Their background workers share one event broker.
 */
export async function startGraph(options: StartGraphOptions): Promise<RunningGraph> {
  const started: RunningSubgraph[] = [];
  const ownEvents = options.events ? undefined : openEventTransport(options.config, options.log);
  const events = (options.events ?? ownEvents)!;
  // In the services' order, producers (learners) before consumers (credentials): what the last requests recorded is
  // published, then consumed, before the broker closes.
  const stopSubgraphs = async () => {
    const failed: unknown[] = [];
    for (const subgraph of started) await subgraph.stop().catch((error: unknown) => failed.push(error));
    await ownEvents?.close();
    if (failed.length > 0) throw failed[0];
  };
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
          events,
          staffCheckTtlMs: options.config.STAFF_CHECK_TTL_MS,
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
      explorer: options.explorer,
    });
    gatewayUrl = gateway.url;
    return {
      gateway,
      subgraphs,
      events,
      statements: () => started.reduce((sum, s) => sum + s.statements.count, 0),
      async stop() {
        await gateway.stop();
        await stopSubgraphs();
      },
    };
  } catch (error) {
    await stopSubgraphs().catch(() => {});
    throw error;
  }
}
