import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { ForbiddenDestination, pinnedLookup, resolveDestination, UnresolvableDestination, type DestinationPolicy, type Resolver, type VettedDestination } from './destination.ts';
import { signWebhook } from './signing.ts';

/** Tells receivers (and their firewalls and logs) who is calling; the number moves if the request format ever does. */
export const WEBHOOK_USER_AGENT = 'Tauliah-Webhooks/1';

/**
 * Why an attempt failed, for the deliveries record and the retry decision:
 * TIMEOUT (no complete answer in time), CONNECTION (refused, reset, TLS),
 * DNS (the name did not resolve), FORBIDDEN_DESTINATION (it resolved to a
 * non-public address), HTTP_STATUS (an answer other than 2xx, redirects included).
 */
export type DeliveryErrorKind = 'TIMEOUT' | 'CONNECTION' | 'DNS' | 'FORBIDDEN_DESTINATION' | 'HTTP_STATUS';

export interface WebhookAttemptOptions {
  url: string;
  /** The event's id: sent as `webhook-id`, the same on every attempt, so receivers apply an event once. */
  id: string;
  /** The JSON sent, exactly as signed. */
  body: string;
  /** The endpoint's active secrets (activeSigningSecrets): each adds a signature. */
  secrets: readonly string[];
  policy: DestinationPolicy;
  /** The whole attempt, DNS to the last byte read: a receiver that hangs ties up no worker for longer. */
  timeoutMs: number;
  /** Response bytes read at most; the rest is not read, and what was read is dropped. */
  maxResponseBytes: number;
  /** The clock the `webhook-timestamp` is taken from. */
  now?: () => Date;
  resolve?: Resolver;
}

export interface WebhookAttempt {
  /** A 2xx answer: the receiver has the event (the Standard Webhooks rule; nothing else counts). */
  ok: boolean;
  /** The receiver's HTTP status, when it answered at all. */
  status?: number;
  /** From the start of the attempt to the receiver's status line (or the failure). */
  latencyMs: number;
  /** The `webhook-timestamp` sent. */
  timestamp: number;
  error?: { kind: DeliveryErrorKind; message: string };
  /** A `Retry-After` the receiver sent with a failure (429, 503), in milliseconds. */
  retryAfterMs?: number;
  /** Response body bytes read (at most maxResponseBytes). */
  responseBytes: number;
  /** The body was not read to its end (past maxResponseBytes, or still coming at the deadline). The status still decides `ok`. */
  responseTruncated: boolean;
}

class DeadlinePassed extends Error {}

/** Settles with `work`, or rejects when `signal` aborts first (a DNS lookup cannot itself be cancelled). */
function beforeDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const abort = () => reject(new DeadlinePassed());
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** Seconds or an HTTP date, as milliseconds from now; nonsense is ignored. */
function retryAfterMsOf(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1_000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

interface Answer {
  status: number;
  latencyMs: number;
  retryAfter?: string;
  responseBytes: number;
  responseTruncated: boolean;
}

/**
 * One POST to the vetted addresses. No agent: every attempt opens its own
 * connection to the addresses vetted for it, where a pooled socket would
 * outlive the check. node:http follows no redirects, so a 3xx is an answer
 * like any other.
 */
function post(destination: VettedDestination, headers: Record<string, string>, body: string, options: { signal: AbortSignal; maxResponseBytes: number; started: number }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const transport = destination.url.protocol === 'https:' ? https : http;
    let answered = false;
    const request = transport.request(
      destination.url,
      { method: 'POST', headers, agent: false, lookup: pinnedLookup(destination.addresses), signal: options.signal },
      (response: IncomingMessage) => {
        answered = true;
        const latencyMs = Math.round(performance.now() - options.started);
        let responseBytes = 0;
        // Not complete: cut at the size cap, or by the deadline while the body was still coming.
        const finish = () =>
          resolve({ status: response.statusCode ?? 0, latencyMs, retryAfter: response.headers['retry-after'], responseBytes, responseTruncated: !response.complete });
        // A failure after the status line changes nothing: the receiver has answered.
        response.on('error', () => {});
        response.on('close', finish);
        if (Number(response.headers['content-length'] ?? 0) > options.maxResponseBytes) {
          response.destroy();
          return;
        }
        response.on('data', (chunk: Buffer) => {
          responseBytes += chunk.length;
          if (responseBytes > options.maxResponseBytes) {
            responseBytes = options.maxResponseBytes;
            response.destroy();
          }
        });
      },
    );
    // Once the receiver has answered, the request's own errors (the deadline cutting the body) settle nothing: the response does.
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    request.end(body);
  });
}

/**
 * Makes one delivery attempt of one event to one endpoint, as the Standard
 * Webhooks specification describes it: a signed JSON POST, successful on a
 * 2xx and failed on anything else. The destination is vetted now (resolved
 * and checked against the SSRF rules) and the connection pinned to what was
 * vetted. Never throws for anything the receiver or the network does: the
 * outcome is a value for the deliveries record and the retry schedule.
 */
export async function attemptWebhookDelivery(options: WebhookAttemptOptions): Promise<WebhookAttempt> {
  const started = performance.now();
  const now = options.now?.() ?? new Date();
  const timestamp = Math.floor(now.getTime() / 1000);
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(options.body)),
    'user-agent': WEBHOOK_USER_AGENT,
    'webhook-id': options.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook({ id: options.id, timestamp, body: options.body }, options.secrets),
  };
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  const failed = (kind: DeliveryErrorKind, message: string, status?: number): WebhookAttempt => ({
    ok: false,
    status,
    latencyMs: Math.round(performance.now() - started),
    timestamp,
    error: { kind, message },
    responseBytes: 0,
    responseTruncated: false,
  });
  try {
    const destination = await beforeDeadline(resolveDestination(options.url, options.policy, options.resolve), deadline.signal);
    const answer = await post(destination, headers, options.body, { signal: deadline.signal, maxResponseBytes: options.maxResponseBytes, started });
    const ok = answer.status >= 200 && answer.status < 300;
    const result: WebhookAttempt = {
      ok,
      status: answer.status,
      latencyMs: answer.latencyMs,
      timestamp,
      responseBytes: answer.responseBytes,
      responseTruncated: answer.responseTruncated,
    };
    if (ok) return result;
    const redirect = answer.status >= 300 && answer.status < 400;
    const message = redirect
      ? `The receiver answered ${answer.status}, a redirect; redirects are not followed, register the URL it points to instead.`
      : `The receiver answered ${answer.status}; only a 2xx counts as delivered.`;
    return { ...result, error: { kind: 'HTTP_STATUS', message }, retryAfterMs: retryAfterMsOf(answer.retryAfter, now) };
  } catch (error) {
    if (deadline.signal.aborted || (error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
      return failed('TIMEOUT', `No complete answer within ${options.timeoutMs} ms.`);
    }
    if (error instanceof ForbiddenDestination) return failed('FORBIDDEN_DESTINATION', error.message);
    if (error instanceof UnresolvableDestination) return failed('DNS', error.message);
    const code = (error as NodeJS.ErrnoException).code;
    return failed('CONNECTION', `The connection failed${code ? ` (${code})` : ''}: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}
