import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

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
  /** Throws when the process cannot serve (database unreachable, say); answers /readyz. */
  ready?: () => Promise<void>;
  /** Plain HTTP routes besides /graphql; return true when handled. */
  routes?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
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

/**
 * Serves an Apollo Server over Node's HTTP server: POST/GET /graphql,
 * /healthz (the process is alive), /readyz (it can serve: dependencies up),
 * a body size limit answered with 413, and a shutdown that drains in-flight
 * requests instead of cutting them off.
 */
export async function startGraphHttpServer<TContext extends BaseContext>(
  options: GraphHttpServerOptions<TContext>,
  listen: { port: number; host: string },
): Promise<RunningServer> {
  const { apollo, log, name } = options;
  await apollo.start();
  let inFlight = 0;
  let stopping = false;
  let drained: (() => void) | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = requestIdFrom(req);
    res.setHeader('x-request-id', requestId);
    const url = new URL(req.url ?? '/', 'http://localhost');

    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok', service: name });
    if (url.pathname === '/readyz') {
      if (stopping) return sendJson(res, 503, { status: 'stopping', service: name });
      try {
        await options.ready?.();
        return sendJson(res, 200, { status: 'ready', service: name });
      } catch (error) {
        log.warn({ err: error }, 'not ready');
        return sendJson(res, 503, { status: 'unavailable', service: name });
      }
    }
    if (options.routes && (await options.routes(req, res, url))) return;
    if (url.pathname !== '/graphql' && url.pathname !== '/') {
      return sendError(res, 404, 'NOT_FOUND', `No route ${url.pathname}. The GraphQL endpoint is /graphql.`);
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      return sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET or POST on /graphql.', { allow: 'GET, POST' });
    }

    let raw: string;
    const limit = options.trustedBodyLimit?.isTrusted(req) ? options.trustedBodyLimit.bytes : options.maxBodyBytes;
    try {
      raw = (await readBody(req, limit)).toString('utf8');
    } catch (error) {
      if (error instanceof BodyTooLarge) return refuseOversizedBody(req, res, limit);
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
        return sendError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON.');
      }
    }

    const requestLog = log.child({ requestId });
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method, headers, search: url.search, body },
      context: () => options.context({ req, requestId, log: requestLog }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const server: Server = createServer((req, res) => {
    inFlight += 1;
    handle(req, res)
      .catch((error: unknown) => {
        log.error({ err: error }, 'request failed');
        if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
        else res.end();
      })
      .finally(() => {
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
