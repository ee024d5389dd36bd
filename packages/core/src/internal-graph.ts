import type { Logger } from 'pino';
import { Unavailable } from './errors.ts';
import { HttpConnection } from './http-connection.ts';
import { inClientSpan, injectTraceContext } from './telemetry/tracing.ts';

export interface GraphAnswerError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

export interface GraphAnswer<T> {
  data: T | null;
  errors: GraphAnswerError[];
}

/**
 * The federated graph as seen by the current viewer: a service asks it for
 * another service's data at request time (a course to snapshot into a
 * credential, a learner's consent) with the viewer's own token, so every
 * owner applies its own authorisation exactly as for a direct query.
 * Services read through the typed, batched reads of graph-reads.ts, never
 * with `query` directly. A read continues the request's trace: the gateway's
 * span for it is a child of this request's.
 */
export interface InternalGraph {
  /** The raw answer, errors included; a graph that does not answer is `Unavailable`. */
  query<T>(query: string, variables?: Record<string, unknown>): Promise<GraphAnswer<T>>;
  /** The request's logger, for what a failed read leaves out of the answer. */
  readonly log?: Logger;
}

export interface InternalGraphOptions {
  /** The gateway's GraphQL URL (read when first needed: in one process the gateway starts after the subgraphs). */
  url: (() => string | undefined) | undefined;
  /** The viewer's own Authorization header, passed on as it came. */
  authorization: string | undefined;
  requestId: string;
  log: Logger;
  /** How long one read may take before it counts as unavailable (default 30 s). */
  timeoutMs?: number;
}

export function createInternalGraph(options: InternalGraphOptions): InternalGraph {
  const { authorization, requestId, log } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    log,
    async query<T>(query: string, variables?: Record<string, unknown>) {
      const target = options.url?.();
      if (!target) {
        log.error('GRAPH_URL is not set: this service cannot read other services’ data');
        throw new Unavailable('This service cannot reach the graph to answer this request; try again later.');
      }
      let status = 0;
      let body = null as { data?: T; errors?: GraphAnswerError[] } | null;
      try {
        ({ status, body } = await inClientSpan('graph read', { 'url.full': target }, async () => {
          const headers: Record<string, string> = {
            'content-type': 'application/json',
            'x-request-id': requestId,
            ...(authorization ? { authorization } : {}),
          };
          injectTraceContext(headers);
          const answer = await connectionTo(target).post(headers, JSON.stringify({ query, variables }), timeoutMs);
          return { status: answer.status, body: parseAnswer<T>(answer.text) };
        }));
      } catch (error) {
        log.warn({ err: error }, 'the graph did not answer');
        throw new Unavailable('A service this answer depends on did not answer in time; try again shortly.');
      }
      if (!body || (!body.data && !body.errors)) {
        log.warn({ status }, 'the graph answered without a GraphQL response');
        throw new Unavailable('A service this answer depends on did not answer; try again shortly.');
      }
      return { data: body.data ?? null, errors: body.errors ?? [] };
    },
  };
}

/** The process's keep-alive connections to the graph, one set per URL (one gateway in production; one per test graph in tests). */
const connections = new Map<string, HttpConnection>();

function connectionTo(url: string): HttpConnection {
  let connection = connections.get(url);
  if (!connection) connections.set(url, (connection = new HttpConnection(url)));
  return connection;
}

function parseAnswer<T>(text: string): { data?: T; errors?: GraphAnswerError[] } | null {
  try {
    const body: unknown = JSON.parse(text);
    return body && typeof body === 'object' ? (body) : null;
  } catch {
    return null;
  }
}
