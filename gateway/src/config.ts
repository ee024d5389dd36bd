import { baseConfigSchema, DEFAULT_PORTS, loadConfigOrExit, portSchema, SERVICE_NAMES, type BaseConfig, type ServiceName } from '@tauliah/core';
import { z } from 'zod';
import { explorerSettings } from './explorer/index.ts';

export { explorerEnabled, explorerSettings, type ExplorerSettings } from './explorer/index.ts';

const limit = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalUrl = z
  .string()
  .url()
  .optional()
  .or(z.literal('').transform(() => undefined));

/** The limits every query must stay within; each is an env variable of the same name. */
export const queryLimitsSchema = z.object({
  /** Levels of nested fields; `{ me { fullName } }` is 2. */
  MAX_QUERY_DEPTH: limit(12),
  /** Aliased fields in one operation, fragments counted where they are spread. */
  MAX_QUERY_ALIASES: limit(30),
  /** See limits/cost.ts for the formula. */
  MAX_QUERY_COST: limit(250_000),
  /** How many items a list field without `first` or `ids` is assumed to return. */
  QUERY_LIST_FACTOR: limit(10),
  /** Fields answering to one response name within one selection; see limits/repeated-fields.ts. */
  MAX_REPEATED_FIELDS: limit(10),
  /** Lexical tokens in one document, counted by the parser before anything else runs. */
  MAX_QUERY_TOKENS: limit(5_000),
  /** Bytes of the query document alone (not its variables, which carry cohorts), refused before parsing. */
  MAX_QUERY_BYTES: limit(32 * 1024),
});
export type QueryLimits = z.infer<typeof queryLimitsSchema>;
export const DEFAULT_LIMITS: QueryLimits = queryLimitsSchema.parse({});

/**
 * Requests per client and time window, counted at the gateway (limits/rate.ts):
 * a signed-in client by its token's subject, a token-less one by its address.
 * Three budgets: signed-in requests, token-less requests, and public
 * verifications (each `verifyCredential` / `verifyCredentialDocument` field).
 */
export const rateLimitSettingsSchema = z.object({
  /** `off` turns them off (benches); unset they are on, except under NODE_ENV=test. */
  RATE_LIMITS: z.enum(['on', 'off']).optional(),
  /** Requests a signed-in client (one token subject) may make per RATE_LIMIT_SECONDS. */
  RATE_LIMIT_POINTS: limit(600),
  RATE_LIMIT_SECONDS: limit(60),
  /** Requests without a token (or with one that fails) from one address per RATE_LIMIT_PUBLIC_SECONDS. */
  RATE_LIMIT_PUBLIC_POINTS: limit(120),
  RATE_LIMIT_PUBLIC_SECONDS: limit(60),
  /** Credential verifications one client (subject, else address) may ask per RATE_LIMIT_VERIFY_SECONDS. */
  RATE_LIMIT_VERIFY_POINTS: limit(60),
  RATE_LIMIT_VERIFY_SECONDS: limit(60),
  /** Keep the counts in this Redis (`redis://` or `rediss://`), so every gateway shares one budget; unset: in memory. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});
export type RateLimitSettings = z.infer<typeof rateLimitSettingsSchema>;
export const DEFAULT_RATE_LIMITS: RateLimitSettings = rateLimitSettingsSchema.parse({});

/**
 * How long each subgraph may take: about ten times its heaviest request made
 * in earnest, as measured on 2 shared cores (`npm run bench -- eligibility`,
 * PGlite), for a loaded machine. A funder's 10,000-learner eligibility batch
 * is one fetch per subgraph: learners answers the ids with each one's
 * eligibility inputs (1.2–1.3 s), funding assesses every rule for each learner
 * (0.6–1.3 s), employers finds each one's employer (0.5 s). A 10,000-credential
 * cohort is signed within its request (10 s, docs/benchmarks.md), and a write
 * cut short is answered as a failure although it may commit, so credentials
 * gets the longest. Providers answers catalogue pages and pathway
 * definitions, never thousands at once.
 */
export const DEFAULT_SUBGRAPH_TIMEOUTS_MS: Readonly<Record<ServiceName, number>> = {
  // A 10,000-student intake (enrolLearners): 2 s on PostgreSQL, up to ~10 s embedded while its events are relayed in the same process.
  learners: 30_000,
  providers: 10_000,
  employers: 10_000,
  funding: 20_000,
  credentials: 30_000,
};
/** For a subgraph no setting and no default names (only in tests, which compose their own supergraphs). */
const FALLBACK_SUBGRAPH_TIMEOUT_MS = 30_000;

/** `funding=20000,credentials=15000`: milliseconds per subgraph name, every name one of ours. */
const subgraphTimeouts = z
  .string()
  .optional()
  .transform((text, context) => {
    const timeouts: Partial<Record<ServiceName, number>> = {};
    for (const entry of (text ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
      const match = /^([a-z]+)\s*=\s*(\d+)$/.exec(entry);
      const name = match?.[1] as ServiceName | undefined;
      const ms = Number(match?.[2]);
      if (!name || !(SERVICE_NAMES as readonly string[]).includes(name) || !Number.isSafeInteger(ms) || ms <= 0) {
        context.addIssue({
          code: z.ZodIssueCode.custom,
          message: `"${entry}" is not subgraph=milliseconds; write e.g. funding=20000,credentials=15000 with subgraphs among ${SERVICE_NAMES.join(', ')} and whole milliseconds above 0`,
        });
        continue;
      }
      timeouts[name] = ms;
    }
    return timeouts;
  });

/** How the gateway waits for subgraphs, and stops waiting for one that is down or hung. */
export const subgraphFaultSettingsSchema = z.object({
  /** Every subgraph's timeout unless SUBGRAPH_TIMEOUTS_MS names it; unset, each has its own default. */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
  /** Per subgraph, over SUBGRAPH_TIMEOUT_MS: `funding=20000,credentials=15000`. */
  SUBGRAPH_TIMEOUTS_MS: subgraphTimeouts,
  /** Consecutive failed calls (no answer, a timeout, a broken server's 5xx) that open a subgraph's circuit. */
  SUBGRAPH_BREAKER_FAILURES: limit(5),
  /** While a circuit is open, how often the subgraph's /readyz is asked whether it is back. */
  SUBGRAPH_BREAKER_RETRY_MS: limit(5_000),
  /**
   * `on`: identical query calls to a subgraph in flight at once (same viewer, same body) are made once
   * and their answer shared (in-flight.ts). Off by default: behind several gateway replicas a client
   * could read, from one, data older than its own write through another.
   */
  SUBGRAPH_DEDUPLICATION: z.enum(['on', 'off']).default('off'),
});
export type SubgraphFaultSettings = z.infer<typeof subgraphFaultSettingsSchema>;
export const DEFAULT_SUBGRAPH_FAULT_SETTINGS: SubgraphFaultSettings = subgraphFaultSettingsSchema.parse({});

/** The timeout for one subgraph: its own setting, else SUBGRAPH_TIMEOUT_MS, else its default. */
export function subgraphTimeoutMs(settings: SubgraphFaultSettings, name: string): number {
  const named = (timeouts: Partial<Record<string, number>>) => timeouts[name];
  return named(settings.SUBGRAPH_TIMEOUTS_MS) ?? settings.SUBGRAPH_TIMEOUT_MS ?? named(DEFAULT_SUBGRAPH_TIMEOUTS_MS) ?? FALLBACK_SUBGRAPH_TIMEOUT_MS;
}

/** Answers the gateway keeps and serves again (response-cache.ts). */
export const responseCacheSettingsSchema = z.object({
  /**
   * `off` keeps nothing; `on` keeps answers. Unset: on where every gateway's cache sees every write
   * (one process, or production gateways sharing REDIS_URL), off in production without REDIS_URL
   * (replicas would not see each other's writes) and under NODE_ENV=test (tests write to databases directly).
   */
  RESPONSE_CACHE: z.enum(['on', 'off']).optional(),
  /** Mebibytes the kept answers may take together (the least recently used go first). */
  RESPONSE_CACHE_MAX_MB: limit(64),
});
export type ResponseCacheSettings = z.infer<typeof responseCacheSettingsSchema>;
export const DEFAULT_RESPONSE_CACHE_SETTINGS: ResponseCacheSettings = responseCacheSettingsSchema.parse({});

const gatewaySettingsSchema = queryLimitsSchema.merge(rateLimitSettingsSchema).merge(subgraphFaultSettingsSchema).merge(responseCacheSettingsSchema).merge(explorerSettings).extend({
  PORT: portSchema.default(DEFAULT_PORTS.gateway),
  LEARNERS_URL: optionalUrl,
  PROVIDERS_URL: optionalUrl,
  EMPLOYERS_URL: optionalUrl,
  FUNDING_URL: optionalUrl,
  CREDENTIALS_URL: optionalUrl,
});
export type GatewayConfig = BaseConfig & z.infer<typeof gatewaySettingsSchema>;

/**
 * The gateway's settings: core's shared ones, its port, the query limits, and
 * optional per-subgraph URL overrides (`LEARNERS_URL`, `PROVIDERS_URL`, ...)
 * that win over the URLs in the supergraph when the subgraphs run elsewhere.
 */
export const gatewayConfigSchema = baseConfigSchema.merge(gatewaySettingsSchema);

/** The gateway process's settings, read from its environment; every problem printed, then exit. */
export function loadGatewayConfig(): GatewayConfig {
  return loadConfigOrExit(gatewayConfigSchema, process.env, 'gateway');
}

/** @apollo/gateway sends usage telemetry from its constructor unless this is set; Tauliah never phones home. */
export function disableApolloTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
}

/** `LEARNERS_URL` and friends, as overrides keyed by subgraph name. */
export function subgraphUrlsFrom(config: GatewayConfig): Partial<Record<ServiceName, string>> {
  const urls: Partial<Record<ServiceName, string>> = {};
  for (const name of SERVICE_NAMES) {
    const url = config[`${name.toUpperCase()}_URL` as `${Uppercase<ServiceName>}_URL`];
    if (url) urls[name] = url;
  }
  return urls;
}
