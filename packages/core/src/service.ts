import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { BaseConfig, ServiceName } from './config.ts';
import type { RequestContext } from './context.ts';
import type { Database, DatabaseConnection, StatementCounter } from './database.ts';
import { createStaffGate, type StaffLookup } from './employer-staff.ts';
import { createErrorFormatter } from './errors.ts';
import { openEventTransport, type BackgroundWorker, type EventTransport } from './events/index.ts';
import { startGraphHttpServer, type RunningServer } from './http-server.ts';
import type { TokenVerifier, Viewer } from './identity.ts';
import { createInternalGraph, type InternalGraph } from './internal-graph.ts';
import { migrate } from './migrate.ts';
import { requestLogPlugin } from './request-log.ts';
import { GATEWAY_HEADER, gatewayOnlyEntitiesPlugin, isFromGateway } from './gateway-trust.ts';

/** What a resolver of service S sees: the request context plus the service's own database. */
export type ServiceContext<TTables extends Record<string, unknown>, TLoaders> = RequestContext<TLoaders> & {
  db: Database<TTables>;
  config: BaseConfig;
  /** The federated graph as this viewer sees it (internal-graph.ts). */
  graph: InternalGraph;
};

/** Everything the platform needs to know to migrate, seed and serve one subgraph. */
export interface ServiceDefinition<TTables extends Record<string, unknown> = Record<string, unknown>, TLoaders = unknown> {
  name: ServiceName;
  tables: TTables;
  migrationsFolder: string;
  buildSchema(): Promise<GraphQLSchema>;
  createLoaders(db: Database<TTables>, viewer: Viewer): TLoaders;
  /** Writes this service's slice of the demo data set; runs once, on an empty database. */
  seed(db: Database<TTables>, config: BaseConfig): Promise<void>;
  /** Where employer staff accounts are kept (the employers service only); others ask the graph (employer-staff.ts). */
  staffAccounts?(db: Database<TTables>): StaffLookup;
  /** Background work while the subgraph serves (an outbox relay, an event consumer); stopped after the server drains. */
  worker?(env: WorkerEnv<TTables>): BackgroundWorker | Promise<BackgroundWorker>;
  /** Plain HTTP routes besides /graphql (documents a verifier follows, say). */
  routes?(env: { db: Database<TTables>; log: Logger; publicBaseUrl: string; config: BaseConfig }): (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ) => Promise<boolean>;
}

/** What a background worker gets: a database handle of its own (its statements are no request's), the event broker, a logger. */
export interface WorkerEnv<TTables extends Record<string, unknown>> {
  db: Database<TTables>;
  events: EventTransport;
  log: Logger;
  config: BaseConfig;
}

export function defineService<TTables extends Record<string, unknown>, TLoaders>(
  definition: ServiceDefinition<TTables, TLoaders>,
): ServiceDefinition<TTables, TLoaders> {
  return definition;
}

export interface StartSubgraphOptions {
  config: BaseConfig;
  /** The secret the gateway presents; only it may call `_entities`. */
  gatewaySecret: string;
  connection: DatabaseConnection;
  verifier: TokenVerifier;
  log: Logger;
  port: number;
  host: string;
  /** The externally reachable base URL of this service (for links in documents it serves). */
  publicBaseUrl?: string;
  /** The gateway's GraphQL URL, for the few reads a service makes of others' data at request time. */
  graphUrl?: () => string | undefined;
  /** The event broker, shared by the subgraphs of one process; without it a subgraph with a worker opens its own from config. */
  events?: EventTransport;
  /** Reads employer staff accounts directly instead of asking the graph (a subgraph tested alone, beside the employers tables). */
  staffAccounts?: StaffLookup;
}

export interface RunningSubgraph extends RunningServer {
  statements: StatementCounter;
}

export async function migrateService(service: ServiceDefinition, connection: DatabaseConnection) {
  return migrate(connection, service.name, service.migrationsFolder);
}

/**
 * Serves one subgraph: verifies the caller's token itself (a subgraph reached
 * directly trusts nobody), builds a fresh context with new DataLoaders per
 * request, and masks internal errors.
 */
export async function startSubgraph<TTables extends Record<string, unknown>, TLoaders>(
  service: ServiceDefinition<TTables, TLoaders>,
  options: StartSubgraphOptions,
): Promise<RunningSubgraph> {
  const log = options.log.child({ service: service.name });
  const { db, statements } = options.connection.drizzle(service.tables);
  const schema = await service.buildSchema();
  const staffGate = createStaffGate({ lookup: options.staffAccounts ?? service.staffAccounts?.(db) });
  const apollo = new ApolloServer<ServiceContext<TTables, TLoaders>>({
    schema,
    introspection: options.config.NODE_ENV !== 'production',
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(),
    allowBatchedHttpRequests: false,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginInlineTraceDisabled(), requestLogPlugin(), gatewayOnlyEntitiesPlugin()],
  });
  const publicBaseUrl = options.publicBaseUrl ?? `http://${options.host}:${options.port}`;
  const running = await startGraphHttpServer(
    {
      name: service.name,
      apollo,
      log,
      maxBodyBytes: options.config.MAX_BODY_BYTES,
      trustedBodyLimit: {
        bytes: options.config.MAX_GATEWAY_BODY_BYTES,
        isTrusted: (req) => isFromGateway(req.headers[GATEWAY_HEADER], options.gatewaySecret),
      },
      context: async ({ req, requestId, log: requestLog }) => {
        const viewer = await options.verifier.viewerFor(req.headers.authorization);
        const fromGateway = isFromGateway(req.headers[GATEWAY_HEADER], options.gatewaySecret);
        const graph = createInternalGraph(options.graphUrl, req.headers.authorization, requestId);
        // A token acting for an employer counts only while its subject is a staff account there.
        await staffGate.admit(viewer, { graph, log: requestLog });
        return { viewer, requestId, log: requestLog, db, config: options.config, fromGateway, graph, loaders: service.createLoaders(db, viewer) };
      },
      ready: () => options.connection.ping(),
      routes: service.routes?.({ db, log, publicBaseUrl, config: options.config }),
    },
    { port: options.port, host: options.host },
  );
  let stopWorker: () => Promise<void>;
  try {
    stopWorker = await startWorker(service, options, log);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return {
    ...running,
    statements,
    async stop() {
      try {
        await running.stop();
      } finally {
        await stopWorker();
      }
    },
  };
}

/** Starts the service's background worker, if it has one, on the process's broker or on one of its own that it closes. */
async function startWorker<TTables extends Record<string, unknown>, TLoaders>(
  service: ServiceDefinition<TTables, TLoaders>,
  options: StartSubgraphOptions,
  log: Logger,
): Promise<() => Promise<void>> {
  if (!service.worker) return async () => {};
  const own = options.events ? undefined : openEventTransport(options.config, log);
  if (own?.kind === 'in-process') log.warn('NATS_URL is not set: events reach only services running in this process');
  const events = (options.events ?? own)!;
  try {
    const worker = await service.worker({ db: options.connection.drizzle(service.tables).db, events, log: log.child({ worker: 'events' }), config: options.config });
    return async () => {
      await worker.stop();
      await own?.close();
    };
  } catch (error) {
    await own?.close();
    throw error;
  }
}
