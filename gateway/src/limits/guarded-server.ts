import { ApolloServer, HeaderMap, type ApolloServerOptions, type BaseContext, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { BoundedCache } from '@tauliah/core';
import { QueryTooLarge } from '../errors.ts';
import { findRepeatedFieldsInSource } from './repeated-fields.ts';

export interface FloodGuard {
  maxRepeats: number;
  maxTokens: number;
  /** Bytes of query document (variables aside), refused with 413 QUERY_TOO_LARGE before parsing. */
  maxQueryBytes: number;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/** Documents that passed the repeated-fields check, by their text: clients send the same few again and again. */
const PASSED_DOCUMENTS = 500;
/** Longer documents are checked every time: the cache holds at most PASSED_DOCUMENTS × this many characters. */
const PASSED_DOCUMENT_MAX_CHARS = 16 * 1024;

/**
 * Apollo Server with two checks in front of it: a document over its size
 * limit is refused with 413 QUERY_TOO_LARGE before anything parses it, and
 * one that repeats one field past the limit with 400 TOO_COMPLEX before Apollo
 * validates it. Apollo offers no plugin hook that can refuse a request between
 * parsing and validation (an error thrown there becomes a 500), hence the subclass.
 * The check depends on the text alone, so a text that passed once is not parsed for it again.
 */
export class GuardedApolloServer<TContext extends BaseContext> extends ApolloServer<TContext> {
  readonly #passed = new BoundedCache<string, true>(PASSED_DOCUMENTS);

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
    if (source === undefined) return super.executeHTTPGraphQLRequest(request);
    const bytes = Buffer.byteLength(source, 'utf8');
    if (bytes > this.guard.maxQueryBytes) return this.refuse(413, new QueryTooLarge(bytes, this.guard.maxQueryBytes));
    if (this.#passed.get(source)) return super.executeHTTPGraphQLRequest(request);
    const problem = findRepeatedFieldsInSource(source, this.guard);
    if (problem) return this.refuse(400, problem);
    if (source.length <= PASSED_DOCUMENT_MAX_CHARS) this.#passed.set(source, true);
    return super.executeHTTPGraphQLRequest(request);
  }

  private refuse(status: number, error: GraphQLError): HTTPGraphQLResponse {
    const body = JSON.stringify({ errors: [this.guard.formatError(error.toJSON(), error)] });
    return {
      status,
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
