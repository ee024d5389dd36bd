import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { BaseConfig, ServiceName } from './config.ts';
import type { RequestContext } from './context.ts';
import type { Database, DatabaseConnection, StatementCounter } from './database.ts';
import { createErrorFormatter } from './errors.ts';
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
  /** Plain HTTP routes besides /graphql (documents a verifier follows, say). */
  routes?(env: { db: Database<TTables>; log: Logger; publicBaseUrl: string; config: BaseConfig }): (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ) => Promise<boolean>;
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
        return { viewer, requestId, log: requestLog, db, config: options.config, fromGateway, graph, loaders: service.createLoaders(db, viewer) };
      },
      ready: () => options.connection.ping(),
      routes: service.routes?.({ db, log, publicBaseUrl, config: options.config }),
    },
    { port: options.port, host: options.host },
  );
  return { ...running, statements };
}
