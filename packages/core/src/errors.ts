import { GraphQLError, type GraphQLFormattedError } from 'graphql';

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
  | 'SUBGRAPH_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

abstract class CodedError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extra: Record<string, unknown> = {}, httpStatus?: number) {
    super(message, {
      extensions: { code, ...extra, ...(httpStatus ? { http: { status: httpStatus } } : {}) },
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
  'SUBGRAPH_UNAVAILABLE',
  'PAYLOAD_TOO_LARGE',
  'QUERY_TOO_LARGE',
  'RATE_LIMITED',
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
 * Apollo `formatError`: keeps coded, partner-facing errors; masks anything
 * else (a bug, a database error) as INTERNAL_SERVER_ERROR, so no stack trace,
 * SQL or internals leave the server. `requestLogPlugin` logs the detail under
 * the request id.
 */
export function createErrorFormatter() {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
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
    // Errors from subgraphs arrive at the gateway already formatted; their code is kept.
    if (PUBLIC_CODES.has(code)) {
      return { ...formatted, extensions: pickSafeExtensions(formatted.extensions) };
    }
    return {
      message: 'Internal server error. The request id in the x-request-id response header identifies it in our logs.',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/** Drops stack traces and anything else a library attached that partners must not see. */
function pickSafeExtensions(extensions: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!extensions) return {};
  const { stacktrace: _stack, exception: _exception, http: _http, serviceName: _service, ...rest } = extensions;
  return rest;
}
