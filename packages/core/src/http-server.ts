import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { exposeProcessMetrics, METRICS_CONTENT_TYPE, metricsText, operationLabel, recordGraphQLRequest, recordHttpRequest } from './telemetry/metrics.ts';
import { openOutcome, type RequestOutcome } from './telemetry/request-outcome.ts';
import { metricsScrapeAllowed } from './telemetry/start.ts';
import { endServerSpan, startServerSpan, withContext } from './telemetry/tracing.ts';

// Traces and metrics, which every server process sets up and exposes, with the server that serves them.

export interface GraphHttpServerOptions<TContext extends BaseContext> {
  name: string;
  apollo: ApolloServer<TContext>;
  log: Logger;
  maxBodyBytes: number;
  /**
   * A larger limit for trusted callers: the gateway sends a subgraph one
   * `_entities` request for a whole batch (10,000 learners is ~2 MB).
   */
  trustedBodyLimit?: { bytes: number; isTrusted(req: IncomingMessage): boolean };
  /** Builds the per-request context; may throw a coded error (an invalid token, say). */
  context: (request: { req: IncomingMessage; requestId: string; log: Logger }) => Promise<TContext>;
  /**
   * Answers /readyz: throws when the process cannot serve (database unreachable, say), 503; may
   * report itself degraded but serving (the gateway with a subgraph down), 200. `details` of the
   * answer, or of the error thrown, go into the body as they are: only what a probe may read.
   */
  ready?: () => Promise<void | Readiness>;
  /** Plain HTTP routes besides /graphql; return true when handled. */
  routes?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
}

/** What a process says of its readiness beyond "ready". */
export interface Readiness {
  degraded?: boolean;
  details?: unknown;
}

export interface RunningServer {
  name: string;
  url: string;
  port: number;
  /** Stops accepting connections, lets in-flight requests finish, then closes. */
  stop(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** An incoming request id is kept when it is well formed, so one id follows a request through the graph. */
export function requestIdFrom(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** A request body past its limit (declared, or as it streamed in). */
export class BodyTooLarge extends Error {}

/**
 * Reads the body up to `limit` bytes. Past the limit it stops keeping what
 * arrives but leaves the stream flowing, so the rest is read and discarded:
 * the client, still sending, then reads our 413 instead of a reset connection
 * (breaking out of `for await` would destroy the socket under it).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      reject(new BodyTooLarge());
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** How long the rest of a refused body is read and discarded before the connection is cut. */
const DISCARD_BODY_MS = 5_000;

/**
 * Answers 413 while the client may still be sending: the rest of the body is
 * read and thrown away (so the client reads the answer, not a reset), for at
 * most DISCARD_BODY_MS, after which a client still sending is disconnected.
 */
function refuseOversizedBody(req: IncomingMessage, res: ServerResponse, limit: number): void {
  sendError(res, 413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes.`);
  discardRestOfBody(req);
}

/**
 * After answering a body refused by `readBody`: the rest is read and thrown
 * away, so the client reads the answer rather than a reset, for at most
 * DISCARD_BODY_MS; a client still sending then is disconnected.
 */
export function discardRestOfBody(req: IncomingMessage): void {
  req.resume();
  if (req.complete) return;
  const cut = setTimeout(() => req.socket.destroy(), DISCARD_BODY_MS).unref();
  req.once('end', () => clearTimeout(cut));
  req.once('close', () => clearTimeout(cut));
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, headers);
}

/** The first error code of a GraphQL answer's body, or undefined when it has none. */
function firstErrorCode(body: string): string | undefined {
  try {
    const code = (JSON.parse(body) as { errors?: Array<{ extensions?: { code?: unknown } }> }).errors?.[0]?.extensions?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** What the server learns of one request as it answers it, for its metrics and span. */
interface Answer extends RequestOutcome {
  /** graphql, healthz, readyz, metrics, unmatched, or the first path segment of a route the service handled. */
  route: string;
  /** Whether it was a GraphQL request (not a page a service route served at /graphql, such as the explorer). */
  graphql?: boolean;
}

/** Where a path goes before any handler runs; `undefined` for the service's own routes, which may or may not take it. */
function fixedRoute(pathname: string): string | undefined {
  switch (pathname) {
    case '/graphql':
    case '/':
      return 'graphql';
    case '/healthz':
      return 'healthz';
    case '/readyz':
      return 'readyz';
    case '/metrics':
      return 'metrics';
    default:
      return undefined;
  }
}

/** The first path segment names a route of the service's own in metrics: `/credentials/<id>` counts as `credentials`, never its id. */
const firstSegment = (pathname: string): string => pathname.split('/', 2)[1] ?? '';

/**
 * Serves an Apollo Server over Node's HTTP server: POST/GET /graphql,
 * /healthz (the process is alive), /readyz (it can serve: dependencies up),
 * /metrics (the process's Prometheus metrics), a body size limit answered
 * with 413, and a shutdown that drains in-flight requests instead of cutting
 * them off. Every request is counted (route and status; GraphQL ones by
 * operation and outcome code, timed) and, while tracing is on, answered
 * inside a server span that continues the caller's trace.
 */
export async function startGraphHttpServer<TContext extends BaseContext>(
  options: GraphHttpServerOptions<TContext>,
  listen: { port: number; host: string },
): Promise<RunningServer> {
  const { apollo, log, name } = options;
  await apollo.start();
  exposeProcessMetrics();
  let inFlight = 0;
  let stopping = false;
  let drained: (() => void) | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL, requestId: string, answer: Answer): Promise<void> => {
    res.setHeader('x-request-id', requestId);
    const refuse = (status: number, code: string, message: string, headers?: Record<string, string>) => {
      answer.code = code;
      sendError(res, status, code, message, headers);
    };

    if (answer.route === 'healthz') return sendJson(res, 200, { status: 'ok', service: name });
    if (answer.route === 'readyz') {
      if (stopping) return sendJson(res, 503, { status: 'stopping', service: name });
      try {
        const readiness = (await options.ready?.()) ?? undefined;
        return sendJson(res, 200, { status: readiness?.degraded ? 'degraded' : 'ready', service: name, details: readiness?.details });
      } catch (error) {
        log.warn({ err: error }, 'not ready');
        return sendJson(res, 503, { status: 'unavailable', service: name, details: (error as { details?: unknown } | null)?.details });
      }
    }
    if (answer.route === 'metrics') return serveMetrics(req, res);
    if (answer.route !== 'graphql') {
      if (options.routes && (await options.routes(req, res, url))) {
        answer.route = firstSegment(url.pathname);
        return;
      }
      return refuse(404, 'NOT_FOUND', `No route ${url.pathname}. The GraphQL endpoint is /graphql.`);
    }
    // The service's routes see /graphql first too (the explorer answers browsers there).
    if (options.routes && (await options.routes(req, res, url))) return;
    answer.graphql = true;
    if (req.method !== 'GET' && req.method !== 'POST') {
      return refuse(405, 'METHOD_NOT_ALLOWED', 'Use GET or POST on /graphql.', { allow: 'GET, POST' });
    }

    let raw: string;
    const limit = options.trustedBodyLimit?.isTrusted(req) ? options.trustedBodyLimit.bytes : options.maxBodyBytes;
    try {
      raw = (await readBody(req, limit)).toString('utf8');
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        answer.code = 'PAYLOAD_TOO_LARGE';
        return refuseOversizedBody(req, res, limit);
      }
      throw error;
    }

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown = raw;
    if (raw.length > 0 && (headers.get('content-type') ?? '').toLowerCase().includes('json')) {
      try {
        body = JSON.parse(raw);
      } catch {
        return refuse(400, 'BAD_REQUEST', 'The request body is not valid JSON.');
      }
    }

    const requestLog = log.child({ requestId });
    const httpGraphQLRequest = { method: req.method, headers, search: url.search, body };
    openOutcome(httpGraphQLRequest, answer);
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: () => options.context({ req, requestId, log: requestLog }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      // Refused before any operation ran (a bad token, a limit): the code is only in the body.
      if (answer.code === undefined && res.statusCode >= 400) answer.code = firstErrorCode(response.body.string);
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const serveMetrics = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET') return sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET on /metrics.', { allow: 'GET' });
    if (!metricsScrapeAllowed(req.headers.authorization)) {
      return sendError(res, 401, 'UNAUTHENTICATED', 'The metrics need the scrape token: send Authorization: Bearer <METRICS_TOKEN>.', {
        'www-authenticate': 'Bearer',
      });
    }
    const text = await metricsText();
    res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
    res.end(text);
  };

  /** Counts the answered request, and ends its span. */
  const observe = (answer: Answer, started: number, status: number, span: ReturnType<typeof startServerSpan>): void => {
    recordHttpRequest(name, answer.route, status);
    if (answer.graphql) {
      const operation = operationLabel(name, answer.operationName, answer.operationType !== undefined);
      recordGraphQLRequest(name, operation, answer.code ?? (status < 400 ? 'OK' : `HTTP_${status}`), (performance.now() - started) / 1000);
    }
    if (span) {
      endServerSpan(span.span, {
        method: span.method,
        route: answer.route,
        status,
        operationType: answer.operationType,
        operationName: answer.operationName ?? undefined,
        code: answer.code,
      });
    }
  };

  const server: Server = createServer((req, res) => {
    inFlight += 1;
    const started = performance.now();
    const requestId = requestIdFrom(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const answer: Answer = { route: fixedRoute(url.pathname) ?? 'unmatched' };
    // Probes and scrapes come every few seconds: they are counted, not traced.
    const traced = answer.route !== 'healthz' && answer.route !== 'readyz' && answer.route !== 'metrics';
    const span = traced ? startServerSpan(name, req, requestId) : undefined;
    withContext(span?.context, () => handle(req, res, url, requestId, answer))
      .catch((error: unknown) => {
        log.error({ err: error }, 'request failed');
        answer.code = 'INTERNAL_SERVER_ERROR';
        if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
        else res.end();
      })
      .finally(() => {
        observe(answer, started, res.statusCode, span);
        inFlight -= 1;
        if (stopping && inFlight === 0) drained?.();
      });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;

  return {
    name,
    port,
    url: `http://${host}:${port}/graphql`,
    async stop() {
      if (stopping) return;
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref()),
        ]);
      }
      server.closeAllConnections();
      await closed;
      await apollo.stop();
    },
  };
}

/** Stops everything once on SIGTERM or SIGINT, then exits; a second signal exits at once. */
export function stopOnSignals(stop: () => Promise<void>, log: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
