import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Forbidden, GATEWAY_HEADER, inClientSpan, injectTraceContext, recordSubgraphError, Unauthenticated, type Logger } from '@tauliah/core';
import { OperationTypeNode, parse, type DocumentNode, type GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { CircuitBreaker } from './circuit-breaker.ts';
import type { GatewayContext } from './context.ts';
import { SUBGRAPH_UNAVAILABLE, SubgraphUnavailable } from './errors.ts';
import { errorsAtFetchedFields, type FetchFailure } from './fetch-errors.ts';
import { InFlightCalls } from './in-flight.ts';
import { HttpConnection, type HttpAnswer } from '@tauliah/core';
import type { OneSubgraphAnswers } from './one-subgraph.ts';
import { maxAgeOf, type ResponseCache } from './response-cache.ts';

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  /** How long a call may take before it is abandoned and counted as a failure. */
  timeoutMs: number;
  /** Presented to the subgraph: only the gateway may call `_entities`. */
  gatewaySecret: string;
  breaker: CircuitBreaker;
  /** For calls made outside a request (none today); a request's calls log with its request id. */
  log: Logger;
  /** Identical query calls in flight, shared by every subgraph's data source; none shared unless enabled. */
  inFlight?: InFlightCalls;
  /** Answers kept by the gateway: a write through this subgraph ends those made with it. */
  responseCache?: ResponseCache;
  /** Answers a request's fetch already got on the short way (one-subgraph.ts), handed back instead of asking again. */
  answered?: Pick<OneSubgraphAnswers, 'replayed'>;
}

type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

/**
 * How the gateway calls one subgraph: over pooled keep-alive connections
 * (core's http-connection.ts) with the subgraph's own timeout, the caller's
 * token passed on unchanged (subgraphs authorise every field themselves) with
 * the request id, all behind the subgraph's circuit breaker.
 *
 * A call that fails, or is refused while the circuit is open, is answered as
 * the subgraph would have answered had each of its fields failed: a coded
 * SUBGRAPH_UNAVAILABLE error at each field's path, so the gateway still
 * returns what the other subgraphs answered. Nothing about the subgraph's
 * address or the failure's cause reaches the client; the log has them.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  readonly name: string;
  readonly url: string;
  readonly breaker: CircuitBreaker;
  readonly #connection: HttpConnection;

  constructor(private readonly options: SubgraphDataSourceOptions) {
    this.name = options.name;
    this.url = options.url;
    this.breaker = options.breaker;
    this.#connection = new HttpConnection(options.url);
  }

  /** Closes the connections to the subgraph (the gateway stopping). */
  close(): Promise<void> {
    return this.#connection.close();
  }

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const incoming = 'incomingRequestContext' in options ? options.context : undefined;
    const replayed = incoming && this.options.answered?.replayed(incoming, this.name, options.request.query);
    if (replayed) return replayed;
    const log = incoming?.log ?? this.options.log;
    incoming?.subgraphsAsked.add(this.name);
    const unavailable = (failure: FetchFailure = new SubgraphUnavailable(this.name).toJSON()): GatewayGraphQLResponse => {
      keptFor(options, 0);
      const code = failure.extensions?.code;
      recordSubgraphError(this.name, typeof code === 'string' ? code : SUBGRAPH_UNAVAILABLE);
      return { errors: errorsAtFetchedFields(documentOf(options), options.request.variables, failure) };
    };

    if (!this.breaker.admits()) return unavailable();
    const { request } = options;
    // Serialised once, straight onto the connection (and, for a shared call, its key).
    const payload = JSON.stringify({ query: request.query, operationName: request.operationName, variables: request.variables, extensions: request.extensions });
    const call = this.#call(options, payload);
    let status: number;
    let body: unknown;
    let answer: HttpAnswer;
    try {
      answer = await call.answer;
      status = answer.status;
      body = parseJson(answer.text);
    } catch (error) {
      if (call.made) this.breaker.failed();
      log.warn({ err: error, subgraph: this.name, timeoutMs: this.options.timeoutMs, circuit: this.breaker.state }, 'subgraph did not answer');
      return unavailable();
    }

    if (isGraphQLBody(body) && !(status >= 500 && !speaksForItself(body))) {
      if (call.made) this.breaker.succeeded();
      keptFor(options, maxAgeOf(status === 200 ? answer.cacheControl : undefined));
      for (const error of body.errors ?? []) {
        if (typeof error.extensions?.code === 'string') recordSubgraphError(this.name, error.extensions.code);
      }
      return { data: body.data ?? undefined, errors: body.errors, extensions: body.extensions };
    }
    // Not a GraphQL answer, or a 5xx with neither data nor a coded error of its own: a proxy's 502, a crash.
    if (status === 401 || status === 403 || status === 429) {
      if (call.made) this.breaker.succeeded();
      return unavailable(status === 429 ? undefined : refusal(status));
    }
    if (call.made) this.breaker.failed();
    log.warn({ subgraph: this.name, status, circuit: this.breaker.state }, 'subgraph answered as a broken server does');
    return unavailable();
  }

  /**
   * The call that answers this fetch: one of its own, or, for a query while
   * sharing is on, an identical one already in flight (in-flight.ts).
   */
  #call(options: GraphQLDataSourceProcessOptions<GatewayContext>, payload: string): { answer: Promise<HttpAnswer>; made: boolean } {
    const make = () =>
      inClientSpan('subgraph fetch', { 'peer.service': this.name, 'url.full': this.url }, () => {
        const headers = this.headersFor(options);
        injectTraceContext(headers);
        return this.#connection.post(headers, payload, this.options.timeoutMs);
      });
    if (!('incomingRequestContext' in options)) return { answer: make(), made: true };
    if (options.incomingRequestContext.operation?.operation !== OperationTypeNode.QUERY) return this.#write(make);
    const inFlight = this.options.inFlight;
    if (!inFlight?.enabled) return { answer: make(), made: true };
    // Headers of the fetch's own (none today) would make it a different call: it is not shared.
    if (options.request.http?.headers && [...options.request.http.headers].length > 0) return { answer: make(), made: true };
    return inFlight.share(`${this.name}\u0000${options.context.authorization ?? ''}\u0000${payload}`, make);
  }

  /**
   * A fetch of a mutation: a write to this subgraph. Whatever it changes is
   * read afresh by every request after it, at its start and again at its end
   * (a read that began before it may end after it): calls in flight are no
   * longer joined, and answers kept with this subgraph are no longer served.
   */
  #write(make: () => Promise<HttpAnswer>): { answer: Promise<HttpAnswer>; made: boolean } {
    const written = () => {
      this.options.inFlight?.forgetAll();
      this.options.responseCache?.written(this.name);
    };
    written();
    const answer = make();
    answer.then(written, written);
    return { answer, made: true };
  }

  private headersFor(options: GraphQLDataSourceProcessOptions<GatewayContext>): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of options.request.http?.headers ?? []) headers[name] = value;
    headers['content-type'] = 'application/json';
    headers[GATEWAY_HEADER] = this.options.gatewaySecret;
    // Schema loading and health checks run without a request context; the gateway uses neither.
    if (!('incomingRequestContext' in options)) return headers;
    const { requestId, authorization } = options.context;
    if (requestId) headers['x-request-id'] = requestId;
    if (authorization) headers.authorization = authorization;
    return headers;
  }
}

/**
 * Restricts how long the request's answer may be kept to `maxAge` seconds, as
 * a fetch's answer allows (its subgraph's Cache-Control; 0 for none, for an
 * error status, or for a subgraph that did not answer).
 */
function keptFor(options: GraphQLDataSourceProcessOptions<GatewayContext>, maxAge: number): void {
  if (!('incomingRequestContext' in options)) return;
  // The gateway interface types the policy loosely; it is Apollo Server's CachePolicy.
  const policy = options.incomingRequestContext.overallCachePolicy as { restrict(hint: { maxAge: number }): void };
  policy.restrict({ maxAge });
}

/** The fetch's operation: the query planner keeps its parsed form only if asked to, for every plan it caches. */
function documentOf(options: GraphQLDataSourceProcessOptions<GatewayContext>): DocumentNode | undefined {
  if ('document' in options && options.document) return options.document;
  try {
    return options.request.query ? parse(options.request.query) : undefined;
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isGraphQLBody(body: unknown): body is GraphQLBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const { data, errors } = body as Record<string, unknown>;
  return (data !== undefined && (data === null || typeof data === 'object')) || Array.isArray(errors);
}

/**
 * Whether a subgraph that answered 5xx still answered for itself: with data,
 * or with a coded error other than an internal one (SUBGRAPH_UNAVAILABLE
 * because a subgraph it reads through the gateway is down, its own database
 * being unreachable). A 5xx of that kind proves it alive and is not counted
 * against its circuit, or one subgraph's outage would open another's.
 */
function speaksForItself(body: GraphQLBody): boolean {
  if (body.data) return true;
  return (body.errors ?? []).some((error) => {
    const code = error.extensions?.code;
    return typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR';
  });
}

/** A 401 or 403 without a GraphQL body: the subgraph refused the token or the gateway itself. */
function refusal(status: 401 | 403): FetchFailure {
  const error: GraphQLError = status === 401 ? new Unauthenticated() : new Forbidden();
  return { message: error.message, extensions: { code: error.extensions.code } };
}
