import { ApolloServer, HeaderMap, type ApolloServerOptions, type BaseContext, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { findRepeatedFieldsInSource } from './repeated-fields.ts';

export interface FloodGuard {
  maxRepeats: number;
  maxTokens: number;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/**
 * Apollo Server with one check in front of it: a document that repeats one
 * field past the limit is refused with 400 TOO_COMPLEX before Apollo
 * validates it. Apollo offers no plugin hook that can refuse a request between
 * parsing and validation (an error thrown there becomes a 500), hence the subclass.
 */
export class GuardedApolloServer<TContext extends BaseContext> extends ApolloServer<TContext> {
  constructor(
    config: ApolloServerOptions<TContext>,
    private readonly guard: FloodGuard,
  ) {
    super(config);
  }

  override async executeHTTPGraphQLRequest(
    request: Parameters<ApolloServer<TContext>['executeHTTPGraphQLRequest']>[0],
  ): Promise<HTTPGraphQLResponse> {
    const source = querySource(request.httpGraphQLRequest);
    const problem = source === undefined ? undefined : findRepeatedFieldsInSource(source, this.guard);
    if (!problem) return super.executeHTTPGraphQLRequest(request);
    const body = JSON.stringify({ errors: [this.guard.formatError(problem.toJSON(), problem)] });
    return {
      status: 400,
      headers: new HeaderMap([['content-type', 'application/json; charset=utf-8']]),
      body: { kind: 'complete', string: body },
    };
  }
}

/** The query text of a POST body or a GET query string, when there is one. */
function querySource(request: HTTPGraphQLRequest): string | undefined {
  const body = request.body as { query?: unknown } | null | undefined;
  if (request.method === 'POST') return typeof body?.query === 'string' ? body.query : undefined;
  return new URLSearchParams(request.search).get('query') ?? undefined;
}
