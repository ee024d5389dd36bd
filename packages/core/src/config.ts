import { z } from 'zod';
import { telemetrySettings } from './telemetry/settings.ts';

/**
 * Validates configuration once, at start-up. Every problem is listed at once
 * (not just the first), so an operator fixes the environment in one pass.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig<S extends z.ZodTypeAny>(
  schema: S,
  source: Record<string, string | undefined> = process.env,
  processName?: string,
): z.infer<S> {
  const result = schema.safeParse(source);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  problems.push(...productionProblems(source, processName));
  if (problems.length > 0) throw new ConfigError(problems);
  return (result as { data: z.infer<S> }).data;
}

/** Prints every configuration problem and exits non-zero; returns the typed config otherwise. */
export function loadConfigOrExit<S extends z.ZodTypeAny>(
  schema: S,
  source: Record<string, string | undefined> = process.env,
  processName?: string,
): z.infer<S> {
  try {
    return parseConfig(schema, source, processName);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * The settings and secrets each kind of process must be given in production
 * (a process gets only what it uses): those all processes read, and the
 * secrets of the one service whose own schema adds them.
 */
const PRODUCTION_SETTINGS: Record<string, Record<string, string>> = {
  JWKS_URL: { all: 'is required in production: tokens are verified against the identity provider keys' },
  GATEWAY_SECRET: { all: 'must be set in production, the same for the gateway and every subgraph' },
  PII_HASH_KEY: { learners: 'must be set to a secret in production' },
  PII_ENCRYPTION_KEY: { learners: 'must be set to a secret in production: it encrypts the NRIC digits the masked form needs' },
  CREDENTIAL_KEY_ENCRYPTION_KEY: { credentials: "must be set to a secret in production: it encrypts issuers' signing keys at rest" },
  PLATFORM_SIGNING_SEED: { credentials: 'must be set to a secret in production: the platform signs learner records (CLR) with the key derived from it' },
  WEBHOOK_SECRET_ENCRYPTION_KEY: { providers: "must be set to a secret in production: it encrypts webhook endpoints' signing secrets at rest" },
  NATS_URL: {
    learners: "is required in production: the learners service publishes learners' changes to NATS JetStream",
    credentials: "is required in production: the credentials service keeps learners' and providers' changes from NATS JetStream and publishes credential events there",
    providers: 'is required in production: the providers service publishes approvals, standing and retired skills to NATS JetStream and delivers webhooks from the events there',
    employers: 'is required in production: the employers service creates approved employers from the events on NATS JetStream',
    funding: 'is required in production: the funding service publishes its decisions to NATS JetStream and creates approved funders from the events there',
  },
};

/**
 * What production needs beyond the defaults that make embedded mode work:
 * checked on the raw environment so they are reported alongside every other
 * problem. `process` names the process (a service, 'gateway'); without it, all.
 */
function productionProblems(source: Record<string, string | undefined>, process?: string): string[] {
  if (source.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  for (const [name, needs] of Object.entries(PRODUCTION_SETTINGS)) {
    const message = needs.all ?? (process === undefined ? Object.values(needs)[0] : needs[process]);
    if (message && !source[name]) problems.push(`${name}: ${message}`);
  }
  return problems;
}

const port = z.coerce.number().int().min(0).max(65535);
const optionalUrl = z
  .string()
  .url()
  .optional()
  .or(z.literal('').transform(() => undefined));

const optionalNatsUrls = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v))
  .refine((v) => v === undefined || v.split(',').every((url) => /^(nats|tls):\/\/[^\s/]+\/?$/.test(url.trim())), {
    message: 'must be a nats:// URL (or several, comma-separated)',
  });

/**
 * A secret one kind of process holds (a key it hashes or encrypts with): at
 * least 32 characters. Embedded mode runs on the development default; in
 * production PRODUCTION_SETTINGS requires it to be set.
 */
export const secretSetting = (developmentDefault: string) => z.string().min(32, 'must be at least 32 characters').default(developmentDefault);

export const SERVICE_NAMES = ['learners', 'providers', 'employers', 'funding', 'credentials'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const DEFAULT_PORTS: Record<ServiceName | 'gateway', number> = {
  gateway: 4000,
  learners: 4001,
  providers: 4002,
  employers: 4003,
  funding: 4004,
  credentials: 4005,
};

/**
 * Settings every process shares: environment, logging, database, identity and
 * events. What only some processes use (a service's secrets, the gateway's
 * query limits) is in their own schemas, which extend this one.
 */
export const baseConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATA_DIR: z.string().min(1).default('.tauliah'),
    DATABASE_URL: optionalUrl.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: 'must be a postgres:// or postgresql:// URL',
    }),
    /**
     * Connections each process keeps to PostgreSQL at most. Every replica of every
     * service opens its own pool: replicas × this must stay under the server's
     * max_connections (100 by default) with room for migrations and operators.
     */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
    /**
     * The longest one SQL statement may run on PostgreSQL, in milliseconds (0: no
     * limit); the server cancels it and the request is answered SERVICE_UNAVAILABLE
     * with Retry-After. Below the gateway's timeout for the subgraph, so the database
     * gives up before the caller does. Migrations are not limited.
     */
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
    /**
     * The longest a query waits for a pooled connection, including opening one,
     * in milliseconds: past it the request is answered SERVICE_UNAVAILABLE rather
     * than held while PostgreSQL is unreachable or every connection is busy.
     */
    DATABASE_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
    /**
     * Whether each connection prepares the statements it runs, so PostgreSQL parses and
     * plans each once rather than on every call. Off only behind a connection pooler
     * that hands a session's statements to another client (PgBouncer in transaction
     * mode before 1.21, or without max_prepared_statements).
     */
    DATABASE_PREPARED_STATEMENTS: z.enum(['on', 'off']).default('on'),
    JWT_ISSUER: z.string().min(1).default('https://tauliah.local/auth'),
    JWT_AUDIENCE: z.string().min(1).default('tauliah'),
    JWKS_URL: optionalUrl,
    /**
     * The longest a token may live (its `exp` minus its `iat`), in seconds. Tokens without
     * `exp` or `iat`, or living longer, are refused with 401 UNAUTHENTICATED. Default 24 h.
     */
    MAX_TOKEN_LIFETIME_SECONDS: z.coerce.number().int().positive().default(86_400),
    /** Client request bodies; a 10,000-learner cohort or eligibility batch in variables fits in 4 MiB. */
    MAX_BODY_BYTES: z.coerce.number().int().positive().default(4 * 1_048_576),
    /** Subgraphs accept larger bodies from the gateway: one `_entities` request carries a whole batch. */
    MAX_GATEWAY_BODY_BYTES: z.coerce.number().int().positive().default(32 * 1_048_576),
    PUBLIC_BASE_URL: optionalUrl,
    /** The gateway's GraphQL URL, for a subgraph running alone that reads others' data at request time. */
    GRAPH_URL: optionalUrl,
    /**
     * NATS JetStream, which carries events between services (nats://host:4222, or several comma-separated).
     * Unset: an in-process broker, which only connects services running in one process (the embedded mode).
     */
    NATS_URL: optionalNatsUrls,
    /** Prefixes event subjects and streams on the broker: one per deployment when deployments share a NATS. */
    NATS_NAMESPACE: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1 to 32 letters, digits, "_" or "-"')
      .default('tauliah'),
    /** Proves the gateway to subgraphs (only it may call `_entities`); generated locally outside production. */
    GATEWAY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  })
  // Traces (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER_ARG) and the /metrics token (METRICS_TOKEN).
  .merge(telemetrySettings);
export type BaseConfig = z.infer<typeof baseConfigSchema>;

/** Settings every subgraph reads (the gateway does not). */
export const subgraphSettings = z.object({
  /**
   * How long a subgraph trusts a staff account it confirmed with the service
   * that keeps the accounts: a removed account still acts there for up to this
   * long (the keeping service itself refuses it at once).
   */
  STAFF_CHECK_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(30_000),
});

/** Settings of one subgraph process. */
export function subgraphConfigSchema(service: ServiceName) {
  const upper = service.toUpperCase();
  return baseConfigSchema.merge(subgraphSettings).extend({
    PORT: port.default(DEFAULT_PORTS[service]),
    [`${upper}_DATABASE_URL`]: optionalUrl,
  });
}

export const portSchema = port;

/** The database URL a service uses: its own override, else the shared one, else embedded. */
export function databaseUrlFor(
  service: ServiceName,
  source: Record<string, string | undefined> = process.env,
): string | undefined {
  const own = source[`${service.toUpperCase()}_DATABASE_URL`];
  return own && own.length > 0 ? own : source.DATABASE_URL || undefined;
}
