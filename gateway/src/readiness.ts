import type { CircuitState } from './circuit-breaker.ts';

/** A subgraph's readiness endpoint sits beside its GraphQL endpoint: …/graphql → …/readyz. */
export function readinessUrl(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = `${url.pathname.replace(/\/graphql\/?$/, '').replace(/\/$/, '')}/readyz`;
  url.search = '';
  return url.toString();
}

/**
 * Short enough that the gateway's own /readyz answers within the one second a
 * Kubernetes probe waits by default, even with a subgraph hung.
 */
export const READINESS_PROBE_TIMEOUT_MS = 800;

/** `ready`; `not ready` (it answered /readyz with an error: its database is down, say); `unreachable` (no answer in time). */
export type SubgraphReadiness = 'ready' | 'not ready' | 'unreachable';

/** Asks one subgraph's /readyz. */
export async function probeSubgraph(graphqlUrl: string, timeoutMs: number): Promise<SubgraphReadiness> {
  try {
    const response = await fetch(readinessUrl(graphqlUrl), { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok ? 'ready' : 'not ready';
  } catch {
    return 'unreachable';
  }
}

export interface GatewayReadinessDetails {
  /** Every subgraph the gateway routes to, by name. */
  subgraphs: Record<string, SubgraphReadiness>;
  /** The circuits that are not closed: those subgraphs' fields are answered SUBGRAPH_UNAVAILABLE without asking them. */
  circuits?: Record<string, Exclude<CircuitState, 'closed'>>;
}

/** No subgraph can answer: the gateway could serve nothing but errors. `details` goes into the /readyz body. */
export class SubgraphsNotReady extends Error {
  constructor(readonly details: GatewayReadinessDetails) {
    const names = Object.keys(details.subgraphs);
    super(names.length === 0 ? 'No subgraphs loaded yet.' : `No subgraph is ready: ${names.map((name) => `${name} ${details.subgraphs[name]}`).join(', ')}.`);
    this.name = 'SubgraphsNotReady';
  }
}

/**
 * The gateway's readiness, one line per subgraph. With some subgraphs down it
 * is degraded but ready: their fields are answered null with
 * SUBGRAPH_UNAVAILABLE while the rest of every response still arrives, so a
 * load balancer must keep sending traffic (taking the gateway out would take
 * the whole graph down for one part). It is not ready, and throws, only when
 * no subgraph answers. All asked at once, each with a short timeout.
 */
export async function checkSubgraphsReady(
  subgraphs: ReadonlyMap<string, string>,
  options: { timeoutMs?: number; circuits?: () => Record<string, CircuitState> } = {},
): Promise<{ degraded: boolean; details: GatewayReadinessDetails }> {
  const timeoutMs = options.timeoutMs ?? READINESS_PROBE_TIMEOUT_MS;
  const states = await Promise.all([...subgraphs].map(async ([name, url]) => [name, await probeSubgraph(url, timeoutMs)] as const));
  const details: GatewayReadinessDetails = { subgraphs: Object.fromEntries(states) };
  const circuits = Object.entries(options.circuits?.() ?? {}).filter((entry): entry is [string, Exclude<CircuitState, 'closed'>] => entry[1] !== 'closed');
  if (circuits.length > 0) details.circuits = Object.fromEntries(circuits);
  const ready = states.filter(([, state]) => state === 'ready').length;
  if (ready === 0) throw new SubgraphsNotReady(details);
  return { degraded: ready < states.length || circuits.length > 0, details };
}
