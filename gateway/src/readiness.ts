/** A subgraph's readiness endpoint sits beside its GraphQL endpoint: …/graphql → …/readyz. */
export function readinessUrl(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = `${url.pathname.replace(/\/graphql\/?$/, '').replace(/\/$/, '')}/readyz`;
  url.search = '';
  return url.toString();
}

/**
 * The gateway is ready when every subgraph it routes to is: a load balancer
 * then stops sending traffic that could only fail. Throws naming each
 * subgraph that is not ready; asks them all at once, each with a short timeout.
 */
export async function checkSubgraphsReady(subgraphs: ReadonlyMap<string, string>, timeoutMs = 2_000): Promise<void> {
  const failures = await Promise.all(
    [...subgraphs].map(async ([name, graphqlUrl]) => {
      try {
        const response = await fetch(readinessUrl(graphqlUrl), { signal: AbortSignal.timeout(timeoutMs) });
        await response.body?.cancel();
        return response.ok ? undefined : `${name} answered ${response.status}`;
      } catch (error) {
        return `${name} unreachable (${(error as Error).message})`;
      }
    }),
  );
  const problems = failures.filter((failure): failure is string => failure !== undefined);
  if (subgraphs.size === 0) problems.push('no subgraphs loaded yet');
  if (problems.length > 0) throw new Error(`Subgraphs not ready: ${problems.join('; ')}`);
}
