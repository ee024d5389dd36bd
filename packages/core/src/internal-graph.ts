import { GraphQLError } from 'graphql';

export interface GraphAnswer<T> {
  data: T | null;
  errors: Array<{ message: string; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }>;
}

/**
 * The federated graph as seen by the current viewer: a service asks it for
 * another service's data at request time (a course to snapshot into a
 * credential, a learner's consent) with the viewer's own token, so every
 * owner applies its own authorisation exactly as for a direct query.
 */
export interface InternalGraph {
  query<T>(query: string, variables?: Record<string, unknown>): Promise<GraphAnswer<T>>;
}

export function createInternalGraph(
  url: (() => string | undefined) | undefined,
  authorization: string | undefined,
  requestId: string,
): InternalGraph {
  return {
    async query<T>(query: string, variables?: Record<string, unknown>) {
      const target = url?.();
      if (!target) throw new Error('This service was started without the graph URL (GRAPH_URL) it needs for this request.');
      const response = await fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-request-id': requestId,
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await response.json().catch(() => null)) as { data?: T; errors?: GraphAnswer<T>['errors'] } | null;
      if (!body || (!body.data && !body.errors)) {
        throw new GraphQLError(`The graph answered HTTP ${response.status} without a GraphQL response.`);
      }
      return { data: body.data ?? null, errors: body.errors ?? [] };
    },
  };
}
