import { READINESS_PROBE_TIMEOUT_MS } from '@tauliah/gateway';
import { imageNodeOptions } from '@tauliah/testing';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { containersOf, ROOT, splitImage, type KubeObject } from './kustomize.ts';
import {
  carriesCredentials,
  entryPointOf,
  isSecretName,
  portOf,
  PROCESS_SECRETS,
  PROCESSES,
  startupProblems,
  unknownSettings,
  type ProcessName,
} from './processes.ts';

/** What a deployment of Tauliah is made of: the rendered objects, and the Secrets make-secrets.sh writes for it. */
export interface Manifests {
  objects: KubeObject[];
  secrets: KubeObject[];
}

export const find = (objects: KubeObject[], kind: string, name: string) =>
  objects.find((object) => object.kind === kind && object.metadata.name === name);

export const resourceName = (process: ProcessName) => `tauliah-${process}`;

/** The subset test of label selectors: every label the selector asks for, with its value. */
export const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels?.[key] === value);

/** A Kubernetes quantity in its base unit (cores, bytes). */
export function quantity(text: string | number): number {
  const match = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(text));
  if (!match) return Number.NaN;
  const factor = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * factor;
}

/** V8's young generation is at most three semi-spaces (two, and as much again for large objects). */
const YOUNG_GENERATION_SEMI_SPACES = 3;

/** V8's default semi-space on 64-bit machines, in MiB. */
const DEFAULT_SEMI_SPACE_MIB = 16;

/** The Node flags the image gives every process, read once. */
const IMAGE_NODE_OPTIONS = imageNodeOptions();

/** A size flag's value in MiB as Node takes it (the last one given wins), or undefined when it is not given. */
function flagMiB(flags: readonly string[], name: string): number | undefined {
  const given = flags.findLast((flag) => flag.startsWith(`${name}=`));
  return given === undefined ? undefined : Number(given.slice(name.length + 1));
}

/**
 * The project's rules for each process's workload, beyond what the schemas
 * check: a Deployment with the right entry point, port, probes, resources and
 * security context; its Service, HorizontalPodAutoscaler and
 * PodDisruptionBudget; settings from ConfigMaps and secrets from its own
 * Secret only, each a setting it reads, and enough for it to start.
 */
export function workloadProblems({ objects, secrets }: Manifests): string[] {
  return [...new Set(PROCESSES.flatMap((process) => processProblems(process, objects, secrets)))];
}

function processProblems(process: ProcessName, objects: KubeObject[], secrets: KubeObject[]): string[] {
  const name = resourceName(process);
  const where = `Deployment ${name}`;
  const deployment = find(objects, 'Deployment', name);
  if (!deployment) return [`${where} is missing`];
  const problems: string[] = [];
  const pod = deployment.spec.template.spec;
  const podLabels: Record<string, string> = deployment.spec.template.metadata?.labels ?? {};
  const containers = containersOf(deployment);
  const container = pod.containers?.find((candidate: { name: string }) => candidate.name === process);
  if (!container || containers.length !== 1) return [...problems, `${where}: needs exactly one container, named ${process}`];

  // What runs, and where it listens.
  const port = portOf(process);
  const command = [...(container.command ?? []), ...(container.args ?? [])].join(' ');
  if (command !== `node --import tsx ${entryPointOf(process)}`) problems.push(`${where}: runs "${command}", not node --import tsx ${entryPointOf(process)}`);
  if (!existsSync(join(ROOT, entryPointOf(process)))) problems.push(`${where}: ${entryPointOf(process)} does not exist`);
  const http = (container.ports ?? []).find((candidate: { name?: string }) => candidate.name === 'http');
  if (http?.containerPort !== port) problems.push(`${where}: needs a container port named http on ${port}`);
  const [repository, tag] = splitImage(String(container.image ?? ''));
  if (!repository || !tag || tag === 'latest') problems.push(`${where}: the image "${container.image}" needs a fixed tag or digest, never latest or none`);

  // Probes: ready when it can serve (its dependencies), alive while the process is; a startup probe for migrations.
  const probeProblem = (kind: string, path: string) => {
    const probe = container[kind]?.httpGet;
    const onPort = probe?.port === 'http' || probe?.port === port;
    if (probe?.path !== path || !onPort) problems.push(`${where}: ${kind} must ask GET ${path} on the http port (${port})`);
  };
  probeProblem('readinessProbe', '/readyz');
  probeProblem('livenessProbe', '/healthz');
  probeProblem('startupProbe', '/healthz');
  const readinessTimeoutMs = 1000 * (container.readinessProbe?.timeoutSeconds ?? 1);
  if (process === 'gateway' && readinessTimeoutMs <= READINESS_PROBE_TIMEOUT_MS) {
    problems.push(`${where}: the gateway's /readyz asks every subgraph, waiting up to ${READINESS_PROBE_TIMEOUT_MS} ms: its readinessProbe must wait longer`);
  }

  // Resources: requests to schedule by, limits to protect the node; the heap inside the memory limit.
  const { requests = {}, limits = {} } = container.resources ?? {};
  for (const resource of ['cpu', 'memory']) {
    if (requests[resource] === undefined || limits[resource] === undefined) problems.push(`${where}: needs a ${resource} request and limit`);
    else if (quantity(requests[resource]) > quantity(limits[resource])) problems.push(`${where}: its ${resource} request is above its limit`);
  }
  const nodeOptions: string[] = (container.env?.find((entry: { name: string }) => entry.name === 'NODE_OPTIONS')?.value ?? '').split(/\s+/);
  const oldSpaceMiB = flagMiB(nodeOptions, '--max-old-space-size') ?? Number.NaN;
  const heapMiB = oldSpaceMiB + YOUNG_GENERATION_SEMI_SPACES * (flagMiB(nodeOptions, '--max-semi-space-size') ?? DEFAULT_SEMI_SPACE_MIB);
  if (!(heapMiB * 2 ** 20 <= 0.8 * quantity(limits.memory ?? '0'))) {
    problems.push(
      `${where}: NODE_OPTIONS needs --max-old-space-size, and with the young generation (${YOUNG_GENERATION_SEMI_SPACES} x --max-semi-space-size) at most 80% of the memory limit, so the heap fills before the container is killed`,
    );
  }
  // A pod's NODE_OPTIONS replaces the image's rather than adding to it.
  for (const flag of IMAGE_NODE_OPTIONS) {
    if (!nodeOptions.includes(flag)) problems.push(`${where}: NODE_OPTIONS replaces the image's, so it must keep the image's ${flag} (Dockerfile)`);
  }

  // Security: not root, nothing writable but scratch space, no privileges, no API token.
  const security = container.securityContext ?? {};
  if (pod.securityContext?.runAsNonRoot !== true || pod.securityContext?.runAsUser === 0) problems.push(`${where}: must run as non-root (runAsNonRoot)`);
  if ((security.seccompProfile ?? pod.securityContext?.seccompProfile)?.type !== 'RuntimeDefault') problems.push(`${where}: needs the RuntimeDefault seccomp profile`);
  if (security.allowPrivilegeEscalation !== false) problems.push(`${where}: must set allowPrivilegeEscalation: false`);
  if (security.readOnlyRootFilesystem !== true) problems.push(`${where}: must have a read-only root filesystem`);
  if (!(security.capabilities?.drop ?? []).includes('ALL') || security.privileged) problems.push(`${where}: must drop ALL capabilities and not be privileged`);
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push(`${where}: must not share the host's namespaces`);
  if (pod.automountServiceAccountToken !== false) problems.push(`${where}: never talks to the Kubernetes API: automountServiceAccountToken must be false`);
  for (const volume of pod.volumes ?? []) {
    if (!volume.emptyDir) problems.push(`${where}: volume ${volume.name} is not an emptyDir: the processes are stateless and keep nothing on disk`);
  }

  // Metrics, scraped from the process's own port.
  const annotations = deployment.spec.template.metadata?.annotations ?? {};
  if (annotations['prometheus.io/scrape'] !== 'true' || annotations['prometheus.io/port'] !== String(port) || annotations['prometheus.io/path'] !== '/metrics') {
    problems.push(`${where}: the pod needs prometheus.io/scrape "true", /port "${port}" and /path /metrics`);
  }

  problems.push(...environmentProblems(process, container, objects, secrets, where));
  problems.push(...companionProblems(process, deployment, podLabels, objects));
  return problems;
}

/** The environment a process is given: where each value comes from, and whether it would start on it. */
function environmentProblems(process: ProcessName, container: Record<string, any>, objects: KubeObject[], secrets: KubeObject[], where: string): string[] {
  const { environment, problems } = environmentOf(process, container, objects, secrets, where);
  if (environment.PORT !== String(portOf(process))) problems.push(`${where}: PORT must be ${portOf(process)}, the container's http port`);
  problems.push(...unknownSettings(process, Object.keys(environment), where));
  problems.push(...startupProblems(process, environment, where));
  return problems;
}

/** The environment the process's container is given, Secrets as make-secrets.sh writes them, and what is wrong with where each value comes from. */
export function processEnvironment({ objects, secrets }: Manifests, process: ProcessName): Record<string, string> {
  const container = find(objects, 'Deployment', resourceName(process))?.spec.template.spec.containers?.[0] ?? {};
  return environmentOf(process, container, objects, secrets, '').environment;
}

function environmentOf(
  process: ProcessName,
  container: Record<string, any>,
  objects: KubeObject[],
  secrets: KubeObject[],
  where: string,
): { environment: Record<string, string>; problems: string[] } {
  const problems: string[] = [];
  const environment: Record<string, string> = {};
  const ownSecret = resourceName(process);
  const { required, optional } = PROCESS_SECRETS[process];
  const secretKeys = new Set<string>();

  for (const source of container.envFrom ?? []) {
    if (!source.configMapRef) {
      problems.push(`${where}: envFrom may only name ConfigMaps; each secret is its own env entry from the process's Secret`);
      continue;
    }
    const configMap = find(objects, 'ConfigMap', source.configMapRef.name);
    if (!configMap) {
      problems.push(`${where}: ConfigMap ${source.configMapRef.name} does not exist`);
      continue;
    }
    for (const [name, value] of Object.entries<string>(configMap.data ?? {})) {
      if (isSecretName(name) || carriesCredentials(value)) problems.push(`ConfigMap ${configMap.metadata.name}: ${name} is a secret: it belongs in a Secret`);
      environment[name] = value;
    }
  }

  const seen = new Set<string>();
  for (const entry of container.env ?? []) {
    if (seen.has(entry.name)) problems.push(`${where}: ${entry.name} is set twice`);
    seen.add(entry.name);
    if (entry.value !== undefined) {
      if (isSecretName(entry.name) || carriesCredentials(String(entry.value))) problems.push(`${where}: ${entry.name} is a secret in plain env: take it from the Secret ${ownSecret}`);
      environment[entry.name] = String(entry.value);
      continue;
    }
    const secretRef = entry.valueFrom?.secretKeyRef;
    const configMapRef = entry.valueFrom?.configMapKeyRef;
    if (secretRef) {
      secretKeys.add(secretRef.key);
      if (secretRef.name !== ownSecret) problems.push(`${where}: ${entry.name} comes from the Secret ${secretRef.name}: a process reads only its own, ${ownSecret}`);
      if (secretRef.key !== entry.name) problems.push(`${where}: ${entry.name} comes from the key ${secretRef.key}: each key is named as the setting it becomes`);
      if (![...required, ...optional].includes(secretRef.key)) problems.push(`${where}: ${secretRef.key} is not a secret ${process} holds`);
      if (Boolean(secretRef.optional) !== optional.includes(secretRef.key)) problems.push(`${where}: ${secretRef.key} must ${optional.includes(secretRef.key) ? '' : 'not '}be optional`);
      const value = find(secrets, 'Secret', secretRef.name)?.stringData?.[secretRef.key];
      if (value !== undefined) environment[entry.name] = String(value);
      else if (!secretRef.optional) problems.push(`${where}: make-secrets.sh writes no ${secretRef.key} in ${secretRef.name}`);
    } else if (configMapRef) {
      const value = find(objects, 'ConfigMap', configMapRef.name)?.data?.[configMapRef.key];
      if (value === undefined) problems.push(`${where}: ${entry.name} names ${configMapRef.key} in ConfigMap ${configMapRef.name}, which has none`);
      else environment[entry.name] = value;
    } else if (entry.valueFrom) {
      problems.push(`${where}: ${entry.name} comes from neither a Secret nor a ConfigMap`);
    }
  }
  for (const key of required) if (!secretKeys.has(key)) problems.push(`${where}: needs ${key} from the Secret ${ownSecret}`);
  for (const secret of secrets.filter((candidate) => candidate.metadata.name === ownSecret)) {
    for (const key of Object.keys(secret.stringData ?? {})) {
      if (![...required, ...optional].includes(key)) problems.push(`Secret ${ownSecret}: holds ${key}, which is not ${process}'s`);
    }
  }

  return { environment, problems };
}

/** The Service, HorizontalPodAutoscaler and PodDisruptionBudget that go with each Deployment. */
function companionProblems(process: ProcessName, deployment: KubeObject, podLabels: Record<string, string>, objects: KubeObject[]): string[] {
  const name = resourceName(process);
  const problems: string[] = [];
  if (!selects(deployment.spec.selector?.matchLabels, podLabels)) problems.push(`Deployment ${name}: its selector does not select its own pods`);
  if (deployment.spec.replicas !== undefined) problems.push(`Deployment ${name}: leave replicas to the HorizontalPodAutoscaler (an apply would reset it)`);

  const service = find(objects, 'Service', name);
  const servicePort = service?.spec.ports?.find((port: { name?: string }) => port.name === 'http');
  if (!service) problems.push(`Service ${name} is missing`);
  else if (!selects(service.spec.selector, podLabels) || service.spec.selector?.['app.kubernetes.io/name'] !== podLabels['app.kubernetes.io/name']) {
    problems.push(`Service ${name}: must select ${name}'s pods, and only them`);
  } else if (servicePort?.port !== portOf(process) || !(servicePort.targetPort === 'http' || servicePort.targetPort === portOf(process))) {
    problems.push(`Service ${name}: needs a port named http, ${portOf(process)}, to the container's http port`);
  }

  const autoscaler = objects.find((object) => object.kind === 'HorizontalPodAutoscaler' && object.spec.scaleTargetRef?.name === name);
  const { minReplicas = 1, maxReplicas = 0, scaleTargetRef = {}, metrics = [] } = autoscaler?.spec ?? {};
  if (!autoscaler) problems.push(`HorizontalPodAutoscaler for ${name} is missing`);
  else if (scaleTargetRef.kind !== 'Deployment' || scaleTargetRef.apiVersion !== 'apps/v1') problems.push(`HorizontalPodAutoscaler ${autoscaler.metadata.name}: must scale the apps/v1 Deployment ${name}`);
  else if (minReplicas < 2 || maxReplicas < minReplicas || metrics.length === 0) {
    problems.push(`HorizontalPodAutoscaler ${autoscaler.metadata.name}: needs at least 2 replicas (one survives a node), a maximum at or above it, and a metric`);
  }

  const budget = objects.find((object) => object.kind === 'PodDisruptionBudget' && selects(object.spec.selector?.matchLabels, podLabels));
  if (!budget) problems.push(`PodDisruptionBudget for ${name} is missing`);
  else {
    const { maxUnavailable, minAvailable } = budget.spec;
    const allowsDrain = maxUnavailable !== undefined ? String(maxUnavailable) !== '0' && String(maxUnavailable) !== '0%' : typeof minAvailable === 'number' && minAvailable < minReplicas;
    const keepsOne = maxUnavailable === undefined || (typeof maxUnavailable === 'number' && maxUnavailable < minReplicas);
    if (!allowsDrain || !keepsOne) problems.push(`PodDisruptionBudget ${budget.metadata.name}: must keep a replica serving and still let a node drain`);
  }
  return problems;
}
