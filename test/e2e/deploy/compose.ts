import { SERVICE_NAMES } from '@tauliah/core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { natsPasswordVariable, natsServerConfUsers } from './dependencies.ts';
import { ROOT } from './kustomize.ts';
import { entryPointOf, isSecretName, portOf, PROCESS_SECRETS, PROCESSES, startupProblems, unknownSettings, type ProcessName } from './processes.ts';

/** docker-compose.yml as read (anchors and merge keys resolved). */
export interface ComposeFile {
  services: Record<string, ComposeService>;
}

export interface ComposeService {
  restart?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  healthcheck?: { test?: string[]; start_period?: string };
  [field: string]: unknown;
}

/** `${NAME:?message}` (required, no default) and `${NAME:-default}`: compose's interpolation. */
const INTERPOLATION = /\$\{([A-Z0-9_]+)(?::([?-])([^}]*))?\}/g;

/** What an operator would put in .env: a URL where one is asked for, else a 64-digit secret. */
const SAMPLE_VALUES: Record<string, string> = {
  JWKS_URL: 'https://id.example.gov.my/realms/tauliah/protocol/openid-connect/certs',
  CREDENTIALS_PUBLIC_URL: 'https://credentials.example.gov.my',
};
const sample = (name: string) => SAMPLE_VALUES[name] ?? 'a1'.repeat(32);

/** A value as compose hands it to the container when every required variable is set. */
export const interpolate = (value: string) =>
  value.replace(INTERPOLATION, (_match, name: string, kind?: string, rest?: string) => (kind === '-' ? (rest ?? '') : sample(name)));

/**
 * docker-compose.yml's rules: every container comes back when it exits; each
 * process runs its entry point with a health check on /readyz, given settings
 * it reads, enough to start in production, and only its own secrets, each
 * required from the operator (no default); each service's database URL and
 * NATS user match what PostgreSQL and NATS are given.
 */
export function composeProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    if (service.restart !== 'unless-stopped' && service.restart !== 'always') problems.push(`${name}: needs restart: unless-stopped, so a process that exits comes back`);
    if (!service.healthcheck?.test?.length) problems.push(`${name}: needs a health check`);
  }
  for (const process of PROCESSES) {
    const service = compose.services[process];
    if (!service) {
      problems.push(`${process}: missing`);
      continue;
    }
    problems.push(...processProblems(process, service, compose));
  }
  return problems;
}

function processProblems(process: ProcessName, service: ComposeService, compose: ComposeFile): string[] {
  const problems: string[] = [];
  const environment = Object.fromEntries(Object.entries(service.environment ?? {}).map(([name, value]) => [name, String(value)]));
  const port = portOf(process);
  if ((service.command ?? []).join(' ') !== `node --import tsx ${entryPointOf(process)}`) problems.push(`${process}: must run node --import tsx ${entryPointOf(process)}`);
  if (!existsSync(join(ROOT, entryPointOf(process)))) problems.push(`${process}: ${entryPointOf(process)} does not exist`);
  if (environment.PORT !== String(port)) problems.push(`${process}: PORT must be ${port}`);
  const check = (service.healthcheck?.test ?? []).join(' ');
  if (!check.includes('/readyz') || !(check.includes(`:${port}/readyz`) || check.includes("'+process.env.PORT+'/readyz"))) problems.push(`${process}: the health check must ask /readyz on its port`);
  if (!service.healthcheck?.start_period) problems.push(`${process}: the health check needs a start_period (migrations run before the port opens)`);

  // Secrets: exactly its own, each required from the operator.
  const { required, optional } = PROCESS_SECRETS[process];
  for (const [name, value] of Object.entries(environment)) {
    if (!isSecretName(name)) continue;
    if (![...required, ...optional].includes(name)) problems.push(`${process}: is given ${name}, which is not its secret`);
    else if (required.includes(name) && ![...value.matchAll(INTERPOLATION)].some((match) => match[2] === '?')) {
      problems.push(`${process}: ${name} must come from a variable without a default (\${NAME:?message})`);
    }
  }
  for (const name of required) if (!(name in environment)) problems.push(`${process}: needs ${name}`);

  problems.push(...unknownSettings(process, Object.keys(environment), process));
  const production = Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, interpolate(value)]));
  problems.push(...startupProblems(process, production, process));

  if (process === 'gateway') {
    for (const subgraph of SERVICE_NAMES) {
      const url = environment[`${subgraph.toUpperCase()}_URL`];
      if (url !== `http://${subgraph}:${portOf(subgraph)}/graphql`) problems.push(`gateway: ${subgraph.toUpperCase()}_URL must be http://${subgraph}:${portOf(subgraph)}/graphql`);
    }
    return problems;
  }
  if (environment.GRAPH_URL !== `http://gateway:${portOf('gateway')}/graphql`) problems.push(`${process}: GRAPH_URL must be the gateway's`);

  // Its own PostgreSQL role and database, with the password PostgreSQL was given for that role.
  const role = `tauliah_${process}`;
  const passwordVariable = `${process.toUpperCase()}_DB_PASSWORD`;
  const database = environment.DATABASE_URL ?? '';
  if (!database.startsWith(`postgres://${role}:\${${passwordVariable}`) || !database.endsWith(`@postgres:5432/${role}`)) {
    problems.push(`${process}: DATABASE_URL must connect as ${role} with \${${passwordVariable}} to postgres:5432/${role}`);
  }
  if (!(passwordVariable in (compose.services.postgres?.environment ?? {}))) problems.push(`postgres: needs ${passwordVariable} to create ${role}`);

  // Its own NATS user, with the password the NATS server reads for it (quoted), and NATS up before it starts.
  const user = natsServerConfUsers().find((candidate) => candidate.user === process);
  const nats = environment.NATS_URL;
  if (!user !== !nats) problems.push(`${process}: ${user ? 'needs' : 'must not have'} NATS_URL (deploy/nats/nats-server.conf ${user ? 'has' : 'has no'} user ${process})`);
  if (user && nats) {
    const variable = natsPasswordVariable(user);
    if (!nats.startsWith(`nats://${process}:\${${variable}:?`) || !nats.endsWith('@nats:4222')) problems.push(`${process}: NATS_URL must sign in as ${process} with \${${variable}:?...} at nats:4222`);
    const given = String(compose.services.nats?.environment?.[user.password] ?? '');
    if (!given.startsWith(`"\${${variable}:?`) || !given.endsWith('}"')) {
      problems.push(`nats: needs ${user.password}: "\${${variable}:?...}", ${process}'s password in double quotes, as deploy/nats/nats-server.conf reads it`);
    }
    const dependsOn = service.depends_on as Record<string, { condition?: string }> | undefined;
    if (dependsOn?.nats?.condition !== 'service_healthy') problems.push(`${process}: must wait for a healthy nats (depends_on: nats: { condition: service_healthy })`);
  }
  return problems;
}
