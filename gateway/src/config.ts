import { baseConfigSchema, DEFAULT_PORTS, loadConfigOrExit, portSchema, SERVICE_NAMES, type BaseConfig, type ServiceName } from '@tauliah/core';
import { z } from 'zod';

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
  /** A subgraph that has not answered within this is reported unavailable, not waited on. */
  SUBGRAPH_TIMEOUT_MS: limit(30_000),
});
export type QueryLimits = z.infer<typeof queryLimitsSchema>;
export const DEFAULT_LIMITS: QueryLimits = queryLimitsSchema.parse({});

const gatewaySettingsSchema = queryLimitsSchema.extend({
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
