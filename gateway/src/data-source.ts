import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Forbidden, GATEWAY_HEADER, Unauthenticated } from '@tauliah/core';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './context.ts';
import { SubgraphUnavailable } from './errors.ts';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

/**
 * Node's global fetch (undici) keeps connections to each subgraph alive and
 * pooled, so no fetch library is added; the timeout makes a stalled subgraph
 * an error instead of a hung request.
 */
export function keepAliveFetcher(timeoutMs: number): Fetcher {
  return (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}

/**
 * How the gateway calls one subgraph: it passes on the caller's token
 * unchanged (subgraphs authorise every field themselves) and the request id,
 * and turns transport failures into a coded SUBGRAPH_UNAVAILABLE error.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly service: string,
    url: string,
    fetcher: Fetcher,
    private readonly gatewaySecret: string,
  ) {
    super({ url, fetcher });
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = options.request.http?.headers;
    if (!headers) return;
    headers.set(GATEWAY_HEADER, this.gatewaySecret);
    // Health checks and schema loading run without a request context.
    if (!('incomingRequestContext' in options)) return;
    const { requestId, authorization } = options.context;
    if (!requestId) return;
    headers.set('x-request-id', requestId);
    if (authorization) headers.set('authorization', authorization);
  }

  override didEncounterError(error: Error, _request: unknown, _response?: FetcherResponse, context?: GatewayContext): void {
    if (error instanceof GraphQLError) throw error;
    context?.log?.warn({ err: error, subgraph: this.service }, 'subgraph unavailable');
    throw new SubgraphUnavailable(this.service);
  }

  /**
   * A non-2xx answer. The stock version attaches the subgraph's URL and raw
   * body to the error; this keeps only what a partner may see: the subgraph's
   * own first coded error, or a code for the HTTP status.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    if (response.status === 401) return new Unauthenticated();
    if (response.status === 403) return new Forbidden();
    const body: unknown = await this.parseBody(response).catch(() => undefined);
    const first = (body as { errors?: Array<{ message?: unknown; extensions?: { code?: unknown } }> } | undefined)?.errors?.[0];
    if (typeof first?.message === 'string' && typeof first.extensions?.code === 'string') {
      return new GraphQLError(first.message, { extensions: { code: first.extensions.code } });
    }
    if (response.status >= 500 || response.status === 429) return new SubgraphUnavailable(this.service);
    return new GraphQLError(`The ${this.service} service answered HTTP ${response.status}.`);
  }
}
