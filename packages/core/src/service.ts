import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { BaseConfig, ServiceName } from './config.ts';
import type { RequestContext } from './context.ts';
import type { Database, DatabaseConnection, StatementCounter } from './database.ts';
import { cacheControlWhereHinted } from './cache-control.ts';
import { sharedOnce } from './once.ts';
import { createStaffGate, type StaffCheck } from './staff-gate.ts';
import { serviceUnavailablePlugin } from './database-faults.ts';
import { createErrorFormatter } from './errors.ts';
import { openEventTransport, type BackgroundWorker, type EventTransport } from './events/index.ts';
import { startGraphHttpServer, type RunningServer } from './http-server.ts';
import type { TokenVerifier, Viewer } from './identity.ts';
import { createInternalGraph, type InternalGraph } from './internal-graph.ts';
import { migrate } from './migrate.ts';
import { requestLogPlugin } from './request-log.ts';
import { rememberingVerifier } from './verified-tokens.ts';
import { attributeStatements, observeSqlStatements } from './telemetry/sql.ts';
import { GATEWAY_HEADER, gatewayOnlyEntitiesPlugin, isFromGateway } from './gateway-trust.ts';

/**
 * Everything one request knows, from which its loaders are built: the
 * service's database, the verified viewer, the graph as that viewer sees it
 * (for the reads of graph-reads.ts), the configuration and the request's log.
 */
export interface LoaderContext<TTables extends Record<string, unknown>, TConfig extends BaseConfig = BaseConfig> {
  db: Database<TTables>;
  viewer: Viewer;
  /** The federated graph as this viewer sees it (internal-graph.ts). */
  graph: InternalGraph;
  /** The same graph as the public sees it (no token): for public data a service may keep and share across viewers (a catalogue cache). */
  publicGraph: InternalGraph;
  config: TConfig;
  log: Logger;
}

/** What a resolver of service S sees: the request context, its service's database and graph, and the loaders built from them. */
export type ServiceContext<TTables extends Record<string, unknown>, TLoaders, TConfig extends BaseConfig = BaseConfig> = RequestContext<TLoaders> &
  LoaderContext<TTables, TConfig>;

/** Everything the platform needs to know to migrate, seed and serve one subgraph. */
export interface ServiceDefinition<
  TTables extends Record<string, unknown> = Record<string, unknown>,
  TLoaders = unknown,
  /** Core's settings and the service's own (`settings`). */
  TConfig extends BaseConfig = BaseConfig,
> {
  name: ServiceName;
  tables: TTables;
  migrationsFolder: string;
  buildSchema(): Promise<GraphQLSchema>;
  /** The settings this service reads besides core's (its secrets, say); a process running it validates them with core's at start-up. */
  settings?: z.ZodType<Omit<TConfig, keyof BaseConfig>, z.ZodTypeDef, unknown> & { shape: z.ZodRawShape };
  /** This request's DataLoaders (database rows and graph reads), built from the whole request context. */
  createLoaders(context: LoaderContext<TTables, TConfig>): TLoaders;
  /** Writes this service's slice of the demo data set; runs once, on an empty database. */
  seed(db: Database<TTables>, config: TConfig): Promise<void>;
  /** The staff-account checks of the organisations this service owns (providers, employers, funders); other services ask it through the graph (staff-gate.ts). */
  staffAccounts?(db: Database<TTables>): StaffCheck;
  /** Background work while the subgraph serves (an outbox relay, an event consumer); stopped after the server drains. */
  worker?(env: WorkerEnv<TTables, TConfig>): BackgroundWorker | Promise<BackgroundWorker>;
  /** Plain HTTP routes besides /graphql (documents a verifier follows, say). */
  routes?(env: { db: Database<TTables>; log: Logger; publicBaseUrl: string; config: TConfig }): (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ) => Promise<boolean>;
}

/** What a background worker gets: a database handle of its own (its statements are no request's), the event broker, a logger. */
export interface WorkerEnv<TTables extends Record<string, unknown>, TConfig extends BaseConfig = BaseConfig> {
  db: Database<TTables>;
  events: EventTransport;
  log: Logger;
  config: TConfig;
}

export function defineService<TTables extends Record<string, unknown>, TLoaders, TConfig extends BaseConfig = BaseConfig>(
  definition: ServiceDefinition<TTables, TLoaders, TConfig>,
): ServiceDefinition<TTables, TLoaders, TConfig> {
  // A service's schema is the same every time in a process: built once, whichever asks (its server, composition, a second server in tests).
  return { ...definition, buildSchema: sharedOnce(() => definition.buildSchema()) };
}

export interface StartSubgraphOptions<TConfig extends BaseConfig = BaseConfig> {
  config: TConfig;
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
  /** Checks other owners' staff accounts directly instead of asking the graph (a subgraph tested alone, beside their tables). */
  staffAccounts?: StaffCheck;
  /** How long a service remembers a staff account it confirmed through the graph (default 30 s). */
  staffCheckTtlMs?: number;
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
export async function startSubgraph<TTables extends Record<string, unknown>, TLoaders, TConfig extends BaseConfig = BaseConfig>(
  service: ServiceDefinition<TTables, TLoaders, TConfig>,
  options: StartSubgraphOptions<TConfig>,
): Promise<RunningSubgraph> {
  const log = options.log.child({ service: service.name });
  const { db, statements } = options.connection.drizzle(service.tables);
  observeSqlStatements();
  attributeStatements(statements, service.name);
  const schema = await service.buildSchema();
  // Each distinct token's signature and claims are checked once, then relied on until it expires (at most a minute), as at the gateway.
  const verifier = rememberingVerifier(options.verifier);
  // The service checks the accounts it keeps in its own tables; a subgraph tested alone is handed the other owners' checks.
  const staffGate = createStaffGate({ check: { ...options.staffAccounts, ...service.staffAccounts?.(db) }, ttlMs: options.staffCheckTtlMs });
  const apollo = new ApolloServer<ServiceContext<TTables, TLoaders, TConfig>>({
    schema,
    introspection: options.config.NODE_ENV !== 'production',
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(),
    allowBatchedHttpRequests: false,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginInlineTraceDisabled(), cacheControlWhereHinted(), requestLogPlugin(), gatewayOnlyEntitiesPlugin(), serviceUnavailablePlugin()],
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
        const viewer = await verifier.viewerFor(req.headers.authorization);
        const fromGateway = isFromGateway(req.headers[GATEWAY_HEADER], options.gatewaySecret);
        const graph = createInternalGraph({ url: options.graphUrl, authorization: req.headers.authorization, requestId, log: requestLog });
        // A token acting for an organisation counts only while its subject is a staff account there.
        await staffGate.admit(viewer, { graph, log: requestLog });
        const publicGraph = createInternalGraph({ url: options.graphUrl, authorization: undefined, requestId, log: requestLog });
        const request = { db, viewer, graph, publicGraph, config: options.config, log: requestLog };
        return { ...request, requestId, fromGateway, loaders: service.createLoaders(request) };
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
async function startWorker<TTables extends Record<string, unknown>, TLoaders, TConfig extends BaseConfig>(
  service: ServiceDefinition<TTables, TLoaders, TConfig>,
  options: StartSubgraphOptions<TConfig>,
  log: Logger,
): Promise<() => Promise<void>> {
  if (!service.worker) return async () => {};
  const own = options.events ? undefined : openEventTransport(options.config, log);
  if (own?.kind === 'in-process') log.warn('NATS_URL is not set: events reach only services running in this process');
  const events = (options.events ?? own)!;
  try {
    const { db, statements } = options.connection.drizzle(service.tables);
    attributeStatements(statements, service.name);
    const worker = await service.worker({ db, events, log: log.child({ worker: 'events' }), config: options.config });
    return async () => {
      await worker.stop();
      await own?.close();
    };
  } catch (error) {
    await own?.close();
    throw error;
  }
}
