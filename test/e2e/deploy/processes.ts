import { services } from '@tauliah/cli';
import { ConfigError, DEFAULT_PORTS, parseConfig, SERVICE_NAMES, subgraphConfigSchema } from '@tauliah/core';
import { gatewayConfigSchema } from '@tauliah/gateway';
import type { z } from 'zod';

/** The processes of a deployment: the gateway and one per subgraph. */
export const PROCESSES = ['gateway', ...SERVICE_NAMES] as const;
export type ProcessName = (typeof PROCESSES)[number];

/**
 * The secrets each process holds, each under the name of the setting it
 * becomes, in the one Secret that is its own (`tauliah-<process>`): what
 * production requires of it (packages/core/src/config.ts, its service's
 * config.ts) and nothing another process holds alone. GATEWAY_SECRET, and
 * METRICS_TOKEN where /metrics asks for one, are the same in every process;
 * REDIS_URL may carry a password, so it is the gateway's secret too. Every
 * service publishes or consumes events (nats-permissions.test.ts reads which
 * from the code), so each has a NATS_URL signing in as its own NATS user.
 */
const shared = { required: ['GATEWAY_SECRET'], optional: ['METRICS_TOKEN'] };
const own = (required: string[], optional: string[] = []) => ({ required: [...shared.required, ...required], optional: [...shared.optional, ...optional] });
export const PROCESS_SECRETS: Record<ProcessName, { required: string[]; optional: string[] }> = {
  gateway: own([], ['REDIS_URL']),
  learners: own(['DATABASE_URL', 'NATS_URL', 'PII_HASH_KEY', 'PII_ENCRYPTION_KEY']),
  providers: own(['DATABASE_URL', 'NATS_URL', 'WEBHOOK_SECRET_ENCRYPTION_KEY']),
  employers: own(['DATABASE_URL', 'NATS_URL']),
  funding: own(['DATABASE_URL', 'NATS_URL']),
  credentials: own(['DATABASE_URL', 'NATS_URL', 'CREDENTIAL_KEY_ENCRYPTION_KEY', 'PLATFORM_SIGNING_SEED']),
};

const ALL_SECRETS = new Set(Object.values(PROCESS_SECRETS).flatMap(({ required, optional }) => [...required, ...optional]));

/** A setting that holds a secret (a key, a password, or a URL that carries one): never a plain value. */
export const isSecretName = (name: string) => ALL_SECRETS.has(name) || /SECRET|PASSWORD|_TOKEN$|_KEY$|DATABASE_URL$/.test(name);

/** A value that carries credentials in clear, such as postgres://user:password@host. */
export const carriesCredentials = (value: string) => /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]+@/i.test(value);

/** The entry point each process's container runs (`node --import tsx <entry>`). */
export const entryPointOf = (process: ProcessName) => (process === 'gateway' ? 'gateway/src/main.ts' : `services/${process}/src/main.ts`);

export const portOf = (process: ProcessName) => DEFAULT_PORTS[process];

/**
 * The schema a process validates its environment with at start-up: the
 * gateway's, or core's subgraph settings with the service's own, exactly as
 * core's runServiceProcess builds it.
 */
export function configSchemaOf(process: ProcessName): z.AnyZodObject {
  if (process === 'gateway') return gatewayConfigSchema;
  const service = services.find((candidate) => candidate.name === process);
  if (!service) throw new Error(`no service named ${process}`);
  return subgraphConfigSchema(process).extend(service.settings?.shape ?? {});
}

/**
 * Variables a process may be given besides its settings: Node's own options,
 * and OpenTelemetry's standard variables, which its SDK reads itself.
 */
const RUNTIME_VARIABLES = /^(NODE_OPTIONS|OTEL_[A-Z_]+)$/;

/** Problems with the names a process is given: each must be a setting it reads, or a runtime variable. */
export function unknownSettings(process: ProcessName, names: Iterable<string>, where: string): string[] {
  const known = configSchemaOf(process).shape as Record<string, unknown>;
  return [...names]
    .filter((name) => !(name in known) && !RUNTIME_VARIABLES.test(name))
    .map((name) => `${where}: ${name} is not a setting ${process} reads (a typo, or another process's)`);
}

/** The problems the process would print at start-up, refusing to start, given this environment. */
export function startupProblems(process: ProcessName, environment: Record<string, string>, where: string): string[] {
  try {
    parseConfig(configSchemaOf(process), environment, process);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((problem) => `${where}: ${process} would refuse to start: ${problem}`);
  }
}
