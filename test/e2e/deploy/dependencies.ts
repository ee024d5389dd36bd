import { SERVICE_NAMES } from '@tauliah/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type KubeObject } from './kustomize.ts';
import { configSchemaOf, PROCESS_SECRETS } from './processes.ts';
import type { NatsValues } from './schemas.ts';
import { find, processEnvironment, resourceName } from './workloads.ts';

/** Connections kept beyond the services' for the operator's instance manager, its metrics exporter and an administrator. */
export const RESERVED_CONNECTIONS = 20;

const roleOf = (service: string) => `tauliah_${service}`;

/**
 * PostgreSQL by CloudNativePG, mirroring deploy/postgres/service-roles.sql:
 * one login role and one database per service, the role owning its database
 * and reaching no other (pg_hba, over TLS), no role with privileges beyond
 * that; each role's password Secret holds the password of that service's
 * DATABASE_URL; and the connections every replica may open fit, per role and
 * in all, in what the server allows.
 */
export function postgresProblems(objects: KubeObject[], secrets: KubeObject[]): string[] {
  const cluster = objects.find((object) => object.kind === 'Cluster' && object.apiVersion === 'postgresql.cnpg.io/v1');
  if (!cluster) return ['no CloudNativePG Cluster'];
  const problems: string[] = [];
  const where = `Cluster ${cluster.metadata.name}`;
  const roles: Array<Record<string, any>> = cluster.spec.managed?.roles ?? [];
  const hba: string[] = cluster.spec.postgresql?.pg_hba ?? [];
  const maxConnections = Number(cluster.spec.postgresql?.parameters?.max_connections ?? 100);
  let budget = RESERVED_CONNECTIONS;

  const extraRoles = roles.map((role) => role.name).filter((name) => !SERVICE_NAMES.map(roleOf).includes(name));
  if (extraRoles.length > 0) problems.push(`${where}: manages roles no service uses: ${extraRoles.join(', ')}`);
  for (const service of SERVICE_NAMES) {
    const role = roleOf(service);
    const managed = roles.find((candidate) => candidate.name === role);
    if (!managed) {
      problems.push(`${where}: no managed role ${role}`);
      continue;
    }
    // service-roles.sql: login nosuperuser nocreatedb nocreaterole noinherit.
    const privileged = ['superuser', 'createdb', 'createrole', 'inherit', 'replication', 'bypassrls'].filter((flag) => managed[flag] !== false);
    if (managed.login !== true || managed.ensure === 'absent' || privileged.length > 0) {
      problems.push(`${where}: ${role} must be a present login role with ${privileged.join(', ') || 'every privilege'} explicitly false`);
    }

    const database = objects.find((object) => object.kind === 'Database' && object.spec.name === role);
    if (!database) problems.push(`${where}: no Database ${role}`);
    else if (database.spec.owner !== role || database.spec.cluster?.name !== cluster.metadata.name || database.spec.databaseReclaimPolicy !== 'retain') {
      problems.push(`Database ${database.metadata.name}: must be owned by ${role}, in ${cluster.metadata.name}, and retained when the resource goes`);
    }

    // The role reaches its own database over TLS, and nothing else (its first matching pg_hba line decides).
    const lines = hba.map((line) => line.trim().split(/\s+/));
    const first = lines.find(([, , users = '']) => users.split(',').includes(role) || users === 'all');
    const reject = lines.find(([, databases = '', users = '', , method]) => databases === 'all' && users.split(',').includes(role) && method === 'reject');
    const own = first?.[0] === 'hostssl' && first[1] === role && first[2] === role && first[4] === 'scram-sha-256';
    if (!own || !reject || lines.indexOf(reject) < lines.indexOf(first)) {
      problems.push(`${where}: pg_hba must let ${role} reach ${role} only (hostssl, scram-sha-256), then reject it everywhere else`);
    }

    // The password the operator sets is the one the service connects with.
    const passwordSecret = find(secrets, 'Secret', managed.passwordSecret?.name ?? '');
    const url = find(secrets, 'Secret', resourceName(service))?.stringData?.DATABASE_URL;
    const parsed = url ? new URL(url) : undefined;
    if (passwordSecret?.type !== 'kubernetes.io/basic-auth' || passwordSecret.stringData?.username !== role) {
      problems.push(`${where}: ${role}'s passwordSecret must be a basic-auth Secret with username ${role}`);
    } else if (!parsed || parsed.password !== passwordSecret.stringData.password || parsed.username !== role || parsed.pathname !== `/${role}`) {
      problems.push(`Secret ${resourceName(service)}: DATABASE_URL must connect as ${role} to ${role} with the password of ${passwordSecret.metadata.name}`);
    } else if (parsed.hostname !== `${cluster.metadata.name}-rw` || parsed.searchParams.get('sslmode') !== 'require') {
      problems.push(`Secret ${resourceName(service)}: DATABASE_URL must reach the primary (${cluster.metadata.name}-rw) with sslmode=require`);
    }

    // Every replica's pool, during a rolling update too, within the role's limit; a role without one is unbounded.
    const limit = Number(managed.connectionLimit ?? -1);
    budget += limit < 0 ? Number.POSITIVE_INFINITY : limit;
    const deployment = find(objects, 'Deployment', resourceName(service));
    const autoscaler = objects.find((object) => object.kind === 'HorizontalPodAutoscaler' && object.spec.scaleTargetRef?.name === resourceName(service));
    const maxReplicas = Number(autoscaler?.spec.maxReplicas ?? 1);
    const surge = String(deployment?.spec.strategy?.rollingUpdate?.maxSurge ?? '25%');
    const pods = maxReplicas + (surge.endsWith('%') ? Math.ceil((maxReplicas * Number(surge.slice(0, -1))) / 100) : Number(surge));
    // The pool size as the process reads it (DATABASE_POOL_SIZE, or its default); a process that would not start is reported elsewhere.
    const config = configSchemaOf(service).safeParse(processEnvironment({ objects, secrets }, service));
    const poolSize = config.success ? (config.data as { DATABASE_POOL_SIZE: number }).DATABASE_POOL_SIZE : 0;
    if (limit < 0 || pods * poolSize > limit) {
      problems.push(`${where}: ${role} needs a connectionLimit of at least ${pods * poolSize}: ${pods} pods at most (maxReplicas and surge) with DATABASE_POOL_SIZE ${poolSize} each`);
    }
  }
  if (budget > maxConnections) {
    problems.push(`${where}: max_connections ${maxConnections} is below the roles' limits and ${RESERVED_CONNECTIONS} reserved (${budget})`);
  }
  return problems;
}

/** A NATS user and what it may publish and subscribe to. */
export interface NatsUser {
  user: string;
  password: string;
  publish: string[];
  subscribe: string[];
}

/**
 * The users of deploy/nats/nats-server.conf (docker-compose.yml's NATS): a
 * reading of that one file's shape (user blocks with a password variable and
 * publish and subscribe allow lists), not a parser of NATS's format.
 */
export function natsServerConfUsers(path = 'deploy/nats/nats-server.conf'): NatsUser[] {
  const text = readFileSync(join(ROOT, path), 'utf8').replace(/^\s*#.*$/gm, '');
  const subjects = (list: string) => [...list.matchAll(/"([^"]+)"/g)].map((match) => match[1]!);
  const block = /user:\s*(\w+)\s+password:\s*\$(\w+)\s+permissions:\s*\{\s*publish:\s*\{\s*allow:\s*\[([^\]]*)\]\s*\}\s*subscribe:\s*\{\s*allow:\s*\[([^\]]*)\]\s*\}/g;
  return [...text.matchAll(block)].map(([, user, password, publish, subscribe]) => ({
    user: user!,
    password: password!,
    publish: subjects(publish!),
    subscribe: subjects(subscribe!),
  }));
}

/** A password variable the server reads quoted (deploy/nats/nats-server.conf says why) ends so. */
const QUOTED = '_QUOTED';

/**
 * The variable holding a NATS user's password as the services put it in
 * their NATS_URL: the one the server reads, without the quotes (and the
 * suffix saying so).
 */
export const natsPasswordVariable = (user: NatsUser): string => (user.password.endsWith(QUOTED) ? user.password.slice(0, -QUOTED.length) : user.password);

/**
 * NATS from its Helm chart: JetStream on a cluster of at least three, the
 * same users and permissions as docker-compose.yml's NATS, each password read
 * from the tauliah-nats-users Secret (and handed to the server in double
 * quotes), and each event-using service's NATS_URL signing in as its own user
 * with that password.
 */
export function natsProblems(values: NatsValues, secrets: KubeObject[]): string[] {
  const problems: string[] = [];
  const { cluster, jetstream, merge } = values.config;
  if (!jetstream.enabled || !cluster.enabled || cluster.replicas < 3) problems.push('NATS: JetStream on a cluster of at least 3 servers, so a stream survives losing one');

  const expected = natsServerConfUsers();
  const users = merge.authorization.users;
  const passwords = find(secrets, 'Secret', 'tauliah-nats-users')?.stringData ?? {};
  for (const want of expected) {
    const user = users.find((candidate) => candidate.user === want.user);
    if (!user) {
      problems.push(`NATS: no user ${want.user}, which deploy/nats/nats-server.conf has`);
      continue;
    }
    const { publish, subscribe } = user.permissions;
    if (JSON.stringify(publish.allow) !== JSON.stringify(want.publish) || JSON.stringify(subscribe.allow) !== JSON.stringify(want.subscribe)) {
      problems.push(`NATS: ${want.user}'s permissions differ from deploy/nats/nats-server.conf's`);
    }
    // The chart lists container.env in key order, and Kubernetes expands $(NAME) only from a variable listed earlier:
    // the quoted variable's name extends the plain one's, so it comes after it.
    const variable = /^<< \$([A-Z_]+) >>$/.exec(user.password)?.[1] ?? '';
    const plain = natsPasswordVariable(want);
    const env = values.container.env[plain];
    const ref = typeof env === 'object' ? (env as { valueFrom?: { secretKeyRef?: { name?: string; key?: string } } }).valueFrom?.secretKeyRef : undefined;
    if (variable !== want.password || ref?.name !== 'tauliah-nats-users' || ref.key !== want.user) {
      problems.push(`NATS: ${want.user}'s password must be $${want.password}, made of $${plain}, from the key ${want.user} of the Secret tauliah-nats-users`);
    } else if (plain === variable || !variable.startsWith(plain) || values.container.env[variable] !== `"$(${plain})"`) {
      problems.push(`NATS: ${variable} must be "$(${plain})": ${want.user}'s password in double quotes, as deploy/nats/nats-server.conf reads it`);
    }
    if (!passwords[want.user]) problems.push(`Secret tauliah-nats-users: no password for ${want.user}`);
  }
  const extra = users.map((user) => user.user).filter((name) => !expected.some((want) => want.user === name));
  if (extra.length > 0) problems.push(`NATS: users deploy/nats/nats-server.conf does not have: ${extra.join(', ')}`);

  for (const service of SERVICE_NAMES) {
    const usesEvents = PROCESS_SECRETS[service].required.includes('NATS_URL');
    if (usesEvents !== expected.some((want) => want.user === service)) problems.push(`NATS: ${service} ${usesEvents ? 'needs' : 'must not have'} a NATS user`);
    const url = find(secrets, 'Secret', resourceName(service))?.stringData?.NATS_URL;
    if (!usesEvents) continue;
    const parsed = url ? new URL(url) : undefined;
    if (!parsed || parsed.username !== service || parsed.password !== passwords[service]) {
      problems.push(`Secret ${resourceName(service)}: NATS_URL must sign in as ${service} with its password in tauliah-nats-users`);
    }
  }
  return problems;
}
