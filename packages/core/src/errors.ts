import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { databaseFaultOf, SERVICE_UNAVAILABLE, unavailableExtensions } from './database-faults.ts';

// Database faults are answered through these errors: one import for both.

/**
 * The error codes a partner can rely on. Resolvers throw these classes and
 * nothing else; anything else is an internal fault and is masked.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'CONSENT_REQUIRED'
  | 'TOO_COMPLEX'
  | 'RATE_LIMITED'
  | 'SUBGRAPH_UNAVAILABLE'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

abstract class CodedError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extra: Record<string, unknown> = {}, httpStatus?: number, httpHeaders?: Map<string, string>) {
    super(message, {
      extensions: { code, ...extra, ...(httpStatus ? { http: { status: httpStatus, ...(httpHeaders ? { headers: httpHeaders } : {}) } } : {}) },
    });
  }
}

export class BadInput extends CodedError {
  constructor(message: string, extra: { field?: string; [key: string]: unknown } = {}) {
    super(message, 'BAD_USER_INPUT', extra);
  }
}
export class Unauthenticated extends CodedError {
  /** `httpStatus` 401 for a rejected token (the whole request fails); a field needing sign-in stays a field error. */
  constructor(message = 'Sign in first: this needs a valid bearer token in the Authorization header.', httpStatus?: number) {
    super(message, 'UNAUTHENTICATED', {}, httpStatus);
  }
}
export class Forbidden extends CodedError {
  /** `httpStatus` for a refusal of the whole request, thrown while its context is built. */
  constructor(message = 'You are not allowed to do this.', httpStatus?: number) {
    super(message, 'FORBIDDEN', {}, httpStatus);
  }
}
export class NotFound extends CodedError {
  constructor(entity: string, id: string) {
    super(`${entity} ${id} does not exist.`, 'NOT_FOUND', { entity, id });
  }
}
export class Conflict extends CodedError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(message, 'CONFLICT', extra);
  }
}
export class ConsentRequired extends CodedError {
  constructor(message = 'The learner has not granted you consent to this data.') {
    super(message, 'CONSENT_REQUIRED');
  }
}
/** A service this answer depends on did not answer; the request may be retried. */
export class Unavailable extends CodedError {
  constructor(message: string) {
    super(message, 'SUBGRAPH_UNAVAILABLE', {}, 503);
  }
}
/**
 * This service cannot answer just now (its database is restarting, say); the
 * same request succeeds later. Answered with HTTP 503 and `Retry-After`.
 */
export class ServiceUnavailable extends GraphQLError {
  constructor(message: string, retryAfterSeconds = 5) {
    super(message, { extensions: unavailableExtensions({ retryAfterSeconds }) });
  }
}
/**
 * Past a budget: RATE_LIMITED with when to try again (`retryAfterSeconds`).
 * A coded answer like a CONFLICT: retrying at once gets the same, after
 * retryAfterSeconds it may succeed. The gateway refuses a whole request so
 * (`wholeRequest`: HTTP 429 with Retry-After, before anything is asked); a
 * service refuses one mutation (an employer's contact requests per day) as a
 * field error, with its limit in `extra` extensions.
 */
export class RateLimited extends CodedError {
  constructor(message: string, retryAfterSeconds: number, options: { extra?: Record<string, unknown>; wholeRequest?: boolean } = {}) {
    super(
      `${message} Try again in ${retryAfterSeconds} s.`,
      'RATE_LIMITED',
      { retryAfterSeconds, ...options.extra },
      options.wholeRequest ? 429 : undefined,
      options.wholeRequest ? new Map([['retry-after', String(retryAfterSeconds)]]) : undefined,
    );
  }
}
export class TooComplex extends CodedError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(message, 'TOO_COMPLEX', extra, 400);
  }
}

/** Codes whose messages are written for partners and may leave the server as they are. */
const PUBLIC_CODES = new Set<string>([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'CONSENT_REQUIRED',
  'TOO_COMPLEX',
  'RATE_LIMITED',
  'SUBGRAPH_UNAVAILABLE',
  SERVICE_UNAVAILABLE,
  'PAYLOAD_TOO_LARGE',
  'QUERY_TOO_LARGE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export const isPublicCode = (code: string): boolean => PUBLIC_CODES.has(code) || code in RENAMED_CODES;

/** Where a library reports the same thing under its own code, speak ours. */
const RENAMED_CODES: Record<string, { code: ErrorCode; message?: string }> = {
  UNAUTHORIZED: { code: 'FORBIDDEN', message: 'You are not allowed to read or change this.' },
  ARGUMENT_VALIDATION_ERROR: { code: 'BAD_USER_INPUT' },
};

/**
 * The failure of a write that carried an idempotency key, around whatever went
 * wrong. The partner's next step is the same whatever it was: retry with the
 * same key, which answers what the first attempt did if it was recorded and
 * does it otherwise. A coded error inside keeps its code (and HTTP status).
 */
export class KeyedWriteFailed extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'KeyedWriteFailed';
  }

  /** Read by GraphQL when it wraps this error: the code of a coded error inside. */
  get extensions(): Record<string, unknown> | undefined {
    return this.cause instanceof GraphQLError ? this.cause.extensions : undefined;
  }
}

/**
 * A coded answer about the request itself (CONFLICT, BAD_USER_INPUT, NOT_FOUND...):
 * retrying it unchanged gets the same answer. Anything else (a fault, a service
 * unavailable) may go differently next time.
 */
export function isFinalAnswer(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  const code = error.extensions.code;
  return typeof code === 'string' && PUBLIC_CODES.has(code) && !RETRYABLE_CODES.has(code);
}

const SAME_KEY = ' Retry with the same idempotencyKey: what the first attempt recorded is answered, never done twice.';
/** Coded errors that mean "try again later": under a key, their message adds that the retry keeps the key. */
const RETRYABLE_CODES = new Set<string>(['SUBGRAPH_UNAVAILABLE', SERVICE_UNAVAILABLE]);

/**
 * Apollo `formatError`: keeps coded, partner-facing errors; answers a database
 * fault (found down the original error's cause chain: the database
 * unreachable, restarting, timing out) as SERVICE_UNAVAILABLE with when to
 * retry; masks anything else (a bug) as INTERNAL_SERVER_ERROR, so no stack
 * trace, SQL or internals leave the server. Under an idempotency key, every
 * error that is not a final answer says to retry with the same key.
 * `requestLogPlugin` logs the detail under the request id.
 */
export function createErrorFormatter() {
  return (formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError => {
    const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : '';
    const renamed = RENAMED_CODES[code];
    if (renamed) {
      return {
        message: renamed.message ?? formatted.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { ...pickSafeExtensions(formatted.extensions), code: renamed.code },
      };
    }
    const keyed = hasInChain(error, KeyedWriteFailed);
    const sameKey = (message: string) => (keyed ? message + SAME_KEY : message);
    const sameKeyExtension = keyed ? { retryWithSameIdempotencyKey: true } : {};
    // Errors from subgraphs arrive at the gateway already formatted; their code is kept.
    if (PUBLIC_CODES.has(code)) {
      const kept = { ...formatted, extensions: pickSafeExtensions(formatted.extensions) };
      return keyed && RETRYABLE_CODES.has(code) ? { ...kept, message: sameKey(kept.message), extensions: { ...kept.extensions, ...sameKeyExtension } } : kept;
    }
    const fault = databaseFaultOf(error);
    if (fault) {
      const unavailable = new ServiceUnavailable(sameKey(fault.message), fault.retryAfterSeconds);
      return {
        message: unavailable.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { ...pickSafeExtensions(unavailable.extensions), ...sameKeyExtension },
      };
    }
    return {
      message: sameKey('Internal server error. The request id in the x-request-id response header identifies it in our logs.'),
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...sameKeyExtension },
    };
  };
}

function hasInChain(error: unknown, type: abstract new (...args: never[]) => Error): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; typeof e === 'object' && e !== null && !seen.has(e); ) {
    if (e instanceof type) return true;
    seen.add(e);
    const { originalError, cause } = e as { originalError?: unknown; cause?: unknown };
    e = originalError ?? cause;
  }
  return false;
}

/** Drops stack traces and anything else a library attached that partners must not see. */
function pickSafeExtensions(extensions: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!extensions) return {};
  const { stacktrace: _stack, exception: _exception, http: _http, serviceName: _service, ...rest } = extensions;
  return rest;
}
