import { ApolloGateway } from '@apollo/gateway';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { createErrorFormatter, recordSubgraphCircuit, rememberingVerifier, requestLogPlugin, startGraphHttpServer, type BaseConfig, type Logger, type RunningServer, type ServiceName, type TokenVerifier } from '@tauliah/core';
import { CircuitBreaker } from './circuit-breaker.ts';
import {
  DEFAULT_LIMITS,
  DEFAULT_RATE_LIMITS,
  DEFAULT_RESPONSE_CACHE_SETTINGS,
  DEFAULT_SUBGRAPH_FAULT_SETTINGS,
  disableApolloTelemetry,
  rateLimitSettingsSchema,
  responseCacheSettingsSchema,
  subgraphFaultSettingsSchema,
  subgraphTimeoutMs,
  type QueryLimits,
  type RateLimitSettings,
  type ResponseCacheSettings,
  type SubgraphFaultSettings,
} from './config.ts';
import type { GatewayContext } from './context.ts';
import { SubgraphDataSource } from './data-source.ts';
import { explorerEnabled, explorerRoutes, type ExplorerOptions, type ExplorerSettings } from './explorer/index.ts';
import { InFlightCalls } from './in-flight.ts';
import { GuardedApolloServer } from './limits/guarded-server.ts';
import { queryLimitsPlugin } from './limits/plugin.ts';
import { createRateLimits, verificationLimitPlugin, type RateLimitClient } from './limits/rate.ts';
import { OneSubgraphAnswers } from './one-subgraph.ts';
import { checkSubgraphsReady, probeSubgraph } from './readiness.ts';
import { ResponseCache, responseCachePlugin, shareWrites } from './response-cache.ts';

/** How long a circuit's probe waits for a subgraph's /readyz: a healthy one answers in milliseconds. */
const BREAKER_PROBE_TIMEOUT_MS = 2_000;

export interface GatewayOptions {
  /** The composed supergraph; the gateway never introspects subgraphs for it. */
  supergraphSdl: string;
  /** Core's settings; the query and rate limits default when absent (the embedded runner passes a BaseConfig). */
  config: BaseConfig & Partial<QueryLimits> & Partial<RateLimitSettings> & Partial<SubgraphFaultSettings> & Partial<ResponseCacheSettings> & ExplorerSettings;
  verifier: TokenVerifier;
  /** Presented to every subgraph: only the gateway may call `_entities`. */
  gatewaySecret: string;
  log: Logger;
  /** Win over the URLs recorded in the supergraph (subgraphs started on other ports). */
  subgraphUrls?: Partial<Record<ServiceName, string>>;
  /**
   * The explorer (GraphiQL at `/` and, for browsers, `/graphql`), served where `explorerEnabled(config)`:
   * the demo personas' tokens are for embedded mode (`tauliah up`), and never offered in production.
   */
  explorer?: ExplorerOptions;
  /** Port 0 takes any free port (tests); the running server reports the one it got. */
  listen: { port: number; host: string };
}

/**
 * The one graph every stakeholder queries: verifies the caller's token at
 * the edge, enforces the rate and query limits, plans each operation across
 * the subgraphs and forwards the token and request id to them.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningServer> {
  const { config } = options;
  const limits: QueryLimits = { ...DEFAULT_LIMITS, ...definedIn<QueryLimits>(config, DEFAULT_LIMITS) };
  const faults: SubgraphFaultSettings = { ...DEFAULT_SUBGRAPH_FAULT_SETTINGS, ...definedIn<SubgraphFaultSettings>(config, subgraphFaultSettingsSchema.shape) };
  const production = config.NODE_ENV === 'production';
  const explorer = explorerEnabled(config);
  const log = options.log.child({ service: 'gateway' });
  const rateLimits = await createRateLimits(
    {
      ...DEFAULT_RATE_LIMITS,
      ...definedIn<RateLimitSettings>(config, rateLimitSettingsSchema.shape),
      // On unless turned off; tests (NODE_ENV=test) run without them unless they turn them on.
      enabled: (config.RATE_LIMITS ?? (config.NODE_ENV === 'test' ? 'off' : 'on')) === 'on',
    },
    log,
  );

  const caching: ResponseCacheSettings = { ...DEFAULT_RESPONSE_CACHE_SETTINGS, ...definedIn<ResponseCacheSettings>(config, responseCacheSettingsSchema.shape) };
  const responseCache = new ResponseCache({
    enabled: responseCacheEnabled(caching, config),
    maxBytes: caching.RESPONSE_CACHE_MAX_MB * 1024 * 1024,
  });
  if (responseCache.enabled && production && !config.REDIS_URL) {
    log.warn('response cache on without REDIS_URL: with several gateway replicas, a write through one is not seen by the others\' kept answers for up to their max-age');
  }
  // Several gateways sharing Redis tell each other of their writes; alone, a gateway sees all of its own.
  const sharedWrites = responseCache.enabled && config.REDIS_URL ? await shareWrites(responseCache, config.REDIS_URL, log) : undefined;

  // A client sends its token with every request: its signature is checked once, not each time.
  const verifier = rememberingVerifier(options.verifier);
  disableApolloTelemetry();
  const subgraphs = new Map<string, string>();
  const breakers = new Map<string, CircuitBreaker>();
  const dataSources = new Map<string, SubgraphDataSource>();
  // Queries one subgraph answers whole skip the engine's shaping of the answer (one-subgraph.ts).
  const oneSubgraph = new OneSubgraphAnswers({ dataSource: (name) => dataSources.get(name), enumValuesHidden: /@inaccessible\b/.test(options.supergraphSdl) });
  const inFlight = new InFlightCalls(faults.SUBGRAPH_DEDUPLICATION === 'on');
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: log,
    __exposeQueryPlanExperimental: false,
    experimental_didResolveQueryPlan: oneSubgraph.planResolved,
    buildService({ name, url }) {
      const target = options.subgraphUrls?.[name as ServiceName] ?? url;
      if (!target) throw new Error(`The supergraph gives subgraph ${name} no URL and no override was passed.`);
      subgraphs.set(name, target);
      const timeoutMs = subgraphTimeoutMs(faults, name);
      const breaker = new CircuitBreaker({
        failureThreshold: faults.SUBGRAPH_BREAKER_FAILURES,
        retryAfterMs: faults.SUBGRAPH_BREAKER_RETRY_MS,
        probe: async () => (await probeSubgraph(target, Math.min(BREAKER_PROBE_TIMEOUT_MS, timeoutMs))) === 'ready',
        onStateChange(state, previous) {
          recordSubgraphCircuit(name, state);
          if (state === 'open' && previous === 'closed') {
            log.error({ subgraph: name, failures: faults.SUBGRAPH_BREAKER_FAILURES, retryMs: faults.SUBGRAPH_BREAKER_RETRY_MS }, 'subgraph circuit open: its fields are answered SUBGRAPH_UNAVAILABLE until it is ready again');
          } else if (state === 'closed') {
            log.info({ subgraph: name }, 'subgraph circuit closed: it answers again');
          }
        },
      });
      breakers.set(name, breaker);
      recordSubgraphCircuit(name, breaker.state);
      const dataSource = new SubgraphDataSource({
        name,
        url: target,
        timeoutMs,
        gatewaySecret: options.gatewaySecret,
        breaker,
        log,
        inFlight,
        responseCache,
        answered: oneSubgraph,
      });
      dataSources.set(name, dataSource);
      return dataSource;
    },
  });

  gateway.executor = oneSubgraph.executor(gateway.executor);

  const formatError = createErrorFormatter();
  const apollo = new GuardedApolloServer<GatewayContext>(
    {
      gateway,
      nodeEnv: config.NODE_ENV,
      // The explorer's documentation is the schema's: introspection is on wherever the explorer is.
      introspection: !production || explorer,
      // Hides "Did you mean …?" suggestions, which spell out the schema to someone without introspection.
      hideSchemaDetailsFromClientErrors: production,
      includeStacktraceInErrorResponses: false,
      formatError,
      allowBatchedHttpRequests: false,
      persistedQueries: false,
      parseOptions: { maxTokens: limits.MAX_QUERY_TOKENS },
      // Apollo's own guard against fragments spread into each other until the document explodes.
      maxRecursiveSelections: true,
      stopOnTerminationSignals: false,
      plugins: [
        ApolloServerPluginUsageReportingDisabled(),
        ApolloServerPluginSchemaReportingDisabled(),
        ApolloServerPluginInlineTraceDisabled(),
        // The answer's Cache-Control is the subgraphs' (data-source.ts), as the response cache works it out.
        ApolloServerPluginCacheControlDisabled(),
        // Apollo's landing page loads its scripts from Apollo's CDN; the explorer is served from this origin instead.
        ApolloServerPluginLandingPageDisabled(),
        queryLimitsPlugin(limits),
        ...(rateLimits ? [verificationLimitPlugin(rateLimits)] : []),
        responseCachePlugin(responseCache),
        requestLogPlugin(),
      ],
    },
    { maxRepeats: limits.MAX_REPEATED_FIELDS, maxTokens: limits.MAX_QUERY_TOKENS, maxQueryBytes: limits.MAX_QUERY_BYTES, formatError },
  );

  const running = await startGraphHttpServer(
    {
      name: 'gateway',
      apollo,
      log,
      maxBodyBytes: config.MAX_BODY_BYTES,
      context: async ({ req, requestId, log: requestLog }) => {
        const authorization = req.headers.authorization;
        const address: RateLimitClient = { address: req.socket.remoteAddress ?? 'unknown' };
        let viewer;
        try {
          // Throws UNAUTHENTICATED (HTTP 401) for a bad or expired token before any subgraph is asked.
          viewer = await verifier.viewerFor(authorization);
        } catch (error) {
          // A refused token still spends its address's token-less budget: forging tokens is no way round it.
          await rateLimits?.admit(address);
          throw error;
        }
        const client = viewer.kind === 'principal' ? { subject: viewer.subject } : address;
        // Throws RATE_LIMITED (HTTP 429, Retry-After) past the client's budget, before anything is parsed or asked.
        await rateLimits?.admit(client);
        return { viewer, requestId, log: requestLog, authorization, client, subgraphsAsked: new Set<string>() };
      },
      ready: () => checkSubgraphsReady(subgraphs, { circuits: () => Object.fromEntries([...breakers].map(([name, breaker]) => [name, breaker.state])) }),
      routes: explorer ? explorerRoutes({ personas: production ? [] : options.explorer?.personas }) : undefined,
    },
    options.listen,
  );
  return {
    ...running,
    async stop() {
      for (const breaker of breakers.values()) breaker.stop();
      await running.stop();
      await Promise.all([...dataSources.values()].map((dataSource) => dataSource.close()));
      await rateLimits?.close();
      await sharedWrites?.close();
    },
  };
}

/**
 * Whether the gateway keeps answers: as RESPONSE_CACHE says, else on where
 * every write is seen by every gateway's cache (one process, as `tauliah up`
 * runs it, or production gateways sharing Redis), and off under NODE_ENV=test,
 * where tests write to databases directly.
 */
export function responseCacheEnabled(settings: ResponseCacheSettings, config: { NODE_ENV: string; REDIS_URL?: string }): boolean {
  if (settings.RESPONSE_CACHE) return settings.RESPONSE_CACHE === 'on';
  if (config.NODE_ENV === 'test') return false;
  return config.NODE_ENV !== 'production' || Boolean(config.REDIS_URL);
}

/** The settings among `known` (an object keyed by them) that the config sets, without the keys that are absent. */
function definedIn<T>(config: Partial<T>, known: Record<keyof T, unknown>): Partial<T> {
  return Object.fromEntries(Object.entries(config).filter(([key, value]) => key in known && value !== undefined)) as Partial<T>;
}
