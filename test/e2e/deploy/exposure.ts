import type { KubeObject } from './kustomize.ts';
import { PROCESSES, type ProcessName } from './processes.ts';
import { find, resourceName, selects } from './workloads.ts';

/** Where the public and Prometheus come from, as the base's NetworkPolicies name them. */
export const INGRESS_NAMESPACE = 'ingress-nginx';
export const MONITORING_NAMESPACE = 'monitoring';

/** The credentials service's routes for verifiers and people, under PUBLIC_BASE_URL (services/credentials/src/routes.ts, pages/routes.ts). */
export const CREDENTIALS_PUBLIC_PATHS = ['/credentials', '/issuers', '/status-lists', '/verify'];

const podLabelsOf = (objects: KubeObject[], process: ProcessName): Record<string, string> =>
  find(objects, 'Deployment', resourceName(process))?.spec.template.metadata?.labels ?? {};

/** Who may connect to each process: exactly these, by the NetworkPolicies' union. */
const ALLOWED_PEERS: Record<ProcessName, string[]> = {
  gateway: [`namespace ${INGRESS_NAMESPACE}`, 'pods learners,providers,employers,funding,credentials', `namespace ${MONITORING_NAMESPACE}`],
  learners: ['pods gateway', `namespace ${MONITORING_NAMESPACE}`],
  providers: ['pods gateway', `namespace ${MONITORING_NAMESPACE}`],
  employers: ['pods gateway', `namespace ${MONITORING_NAMESPACE}`],
  funding: ['pods gateway', `namespace ${MONITORING_NAMESPACE}`],
  credentials: ['pods gateway', `namespace ${MONITORING_NAMESPACE}`, `namespace ${INGRESS_NAMESPACE}`],
};

/**
 * NetworkPolicies: every process's pods are selected by a policy (so nothing
 * reaches them unless allowed), and the peers allowed in, over all the
 * policies that select them, are exactly ALLOWED_PEERS, on the http port.
 */
export function networkPolicyProblems(objects: KubeObject[]): string[] {
  const policies = objects.filter((object) => object.kind === 'NetworkPolicy');
  return PROCESSES.flatMap((process) => {
    const labels = podLabelsOf(objects, process);
    const selecting = policies.filter((policy) => selects(policy.spec.podSelector?.matchLabels, labels) && (policy.spec.policyTypes ?? []).includes('Ingress'));
    if (selecting.length === 0) return [`${resourceName(process)}: no NetworkPolicy selects its pods, so anyone may connect`];
    const problems: string[] = [];
    const peers = new Set<string>();
    for (const policy of selecting) {
      for (const rule of policy.spec.ingress ?? []) {
        const ports = (rule.ports ?? []).map((port: { port?: string | number }) => port.port);
        if (ports.length === 0 || ports.some((port: string | number | undefined) => port !== 'http')) {
          problems.push(`NetworkPolicy ${policy.metadata.name}: lets ${resourceName(process)} be reached on ports other than http`);
        }
        if (!rule.from || rule.from.length === 0) peers.add('anyone');
        for (const peer of rule.from ?? []) peers.add(describePeer(peer, objects));
      }
    }
    const expected = ALLOWED_PEERS[process];
    const extra = [...peers].filter((peer) => !expected.includes(peer));
    const missing = expected.filter((peer) => !peers.has(peer));
    if (extra.length > 0) problems.push(`${resourceName(process)}: reachable from ${extra.join('; ')}, which it must not be`);
    if (missing.length > 0) problems.push(`${resourceName(process)}: not reachable from ${missing.join('; ')}, which it must be`);
    return problems;
  });
}

/** A NetworkPolicy peer in words: a namespace by name, the processes whose pods it selects, or anything else as is. */
function describePeer(peer: Record<string, any>, objects: KubeObject[]): string {
  if (peer.ipBlock) return `addresses ${peer.ipBlock.cidr}`;
  if (peer.namespaceSelector && !peer.podSelector) {
    const name = peer.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'];
    return name ? `namespace ${name}` : 'every namespace';
  }
  if (peer.podSelector && !peer.namespaceSelector) {
    const selected = PROCESSES.filter((process) => selects(peer.podSelector.matchLabels, podLabelsOf(objects, process)));
    return selected.length > 0 ? `pods ${selected.join(',')}` : 'other pods';
  }
  return JSON.stringify(peer);
}

/** The ServiceMonitor scrapes /metrics on every process's Service, by its http port. */
export function monitoringProblems(objects: KubeObject[]): string[] {
  const monitors = objects.filter((object) => object.kind === 'ServiceMonitor');
  return PROCESSES.flatMap((process) => {
    const service = find(objects, 'Service', resourceName(process));
    const scraped = monitors.some(
      (monitor) =>
        selects(monitor.spec.selector?.matchLabels, service?.metadata.labels) &&
        (monitor.spec.endpoints ?? []).some((endpoint: { port?: string; path?: string }) => endpoint.port === 'http' && endpoint.path === '/metrics'),
    );
    return scraped ? [] : [`Service ${resourceName(process)}: no ServiceMonitor scrapes /metrics on its http port`];
  });
}

/**
 * The Ingress routes only the gateway's /graphql and the credentials
 * service's public paths, on the host of its PUBLIC_BASE_URL; every host has
 * TLS; every backend is an existing Service port.
 */
export function ingressProblems(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  const publicBase = new URL(find(objects, 'ConfigMap', 'tauliah-credentials-settings')?.data?.PUBLIC_BASE_URL ?? 'http://unset');
  const tlsHosts = new Set(objects.filter((object) => object.kind === 'Ingress').flatMap((ingress) => (ingress.spec.tls ?? []).flatMap((tls: { hosts?: string[] }) => tls.hosts ?? [])));
  for (const ingress of objects.filter((object) => object.kind === 'Ingress')) {
    if (ingress.spec.defaultBackend) problems.push(`Ingress ${ingress.metadata.name}: no default backend: only the routes below are public`);
    for (const rule of ingress.spec.rules ?? []) {
      if (!tlsHosts.has(rule.host)) problems.push(`Ingress ${ingress.metadata.name}: ${rule.host} has no TLS`);
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend?.service ?? {};
        const service = find(objects, 'Service', backend.name);
        const port = service?.spec.ports?.find((candidate: { name?: string; port?: number }) => candidate.name === backend.port?.name || candidate.port === backend.port?.number);
        if (!port) problems.push(`Ingress ${ingress.metadata.name}: ${path.path} goes to ${backend.name}, which has no such Service port`);
        const route = `${rule.host}${path.path}`;
        if (backend.name === resourceName('gateway')) {
          if (path.path !== '/graphql' || path.pathType !== 'Exact') problems.push(`Ingress ${ingress.metadata.name}: ${route}: the gateway is public at /graphql only`);
        } else if (backend.name === resourceName('credentials')) {
          if (!CREDENTIALS_PUBLIC_PATHS.includes(path.path)) problems.push(`Ingress ${ingress.metadata.name}: ${route}: the credentials service is public at ${CREDENTIALS_PUBLIC_PATHS.join(', ')} only`);
          if (rule.host !== publicBase.host) problems.push(`Ingress ${ingress.metadata.name}: ${route}: not the host of PUBLIC_BASE_URL (${publicBase.host}), where credentials point verifiers`);
        } else {
          problems.push(`Ingress ${ingress.metadata.name}: ${route} goes to ${backend.name}: only the gateway and the credentials service's public paths are public`);
        }
      }
    }
  }
  return problems;
}
