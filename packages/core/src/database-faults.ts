import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * Why a database call failed when the request itself was fine, and how long a
 * partner should wait before retrying it:
 * - `unreachable`: no connection (refused, reset, closed, the server shutting
 *   down, restarting or full) — a restart or failover takes seconds;
 * - `timeout`: no answer in time (the statement timeout, a lock wait, the pool
 *   giving no connection within the acquire timeout);
 * - `contention`: a concurrent transaction won (serialization failure, deadlock).
 */
export interface DatabaseFault {
  kind: 'unreachable' | 'timeout' | 'contention';
  retryAfterSeconds: number;
  /** Partner-facing: what happened and what to do; nothing internal. */
  message: string;
}

const FAULTS: Record<DatabaseFault['kind'], DatabaseFault> = {
  unreachable: {
    kind: 'unreachable',
    retryAfterSeconds: 5,
    message: 'The database is unavailable just now (restarting or failing over); nothing is wrong with the request. Retry it in a few seconds.',
  },
  timeout: {
    kind: 'timeout',
    retryAfterSeconds: 5,
    message: 'The database did not answer in time; nothing is wrong with the request. Retry it in a few seconds, or ask for less at once if it keeps happening.',
  },
  contention: {
    kind: 'contention',
    retryAfterSeconds: 1,
    message: 'The request collided with a concurrent change of the same data and was undone. Retry it.',
  },
};

/** The postgres.js (4.x) codes of a connection lost, never made, or ended under the query. */
const DRIVER_UNREACHABLE = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CANCEL_UNANSWERED']);
const DRIVER_TIMEOUT = new Set(['CONNECT_TIMEOUT', 'QUEUE_TIMEOUT', 'QUERY_TIMEOUT']);
/** Node's socket errors: the server gone, or the network to it. */
const SOCKET_UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN']);
/**
 * SQLSTATEs: 57P01 admin shutdown ("terminating connection due to administrator
 * command"), 57P02 crash shutdown, 57P03 cannot connect now (starting up,
 * shutting down, in recovery), 53300 too many connections, 25P03 idle in
 * transaction timeout; the whole of class 08 (connection exception).
 */
const SQLSTATE_UNREACHABLE = new Set(['57P01', '57P02', '57P03', '53300', '25P03']);
/** 57014 query canceled (statement_timeout), 55P03 lock not available (lock_timeout). */
const SQLSTATE_TIMEOUT = new Set(['57014', '55P03']);
/** 40001 serialization failure, 40P01 deadlock detected. */
const SQLSTATE_CONTENTION = new Set(['40001', '40P01']);

function faultOfCode(code: string): DatabaseFault | undefined {
  if (DRIVER_UNREACHABLE.has(code) || SOCKET_UNREACHABLE.has(code) || SQLSTATE_UNREACHABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return FAULTS.unreachable;
  if (DRIVER_TIMEOUT.has(code) || SQLSTATE_TIMEOUT.has(code)) return FAULTS.timeout;
  if (SQLSTATE_CONTENTION.has(code)) return FAULTS.contention;
  return undefined;
}

/**
 * The database fault behind an error, if that is what it is. Looks down the
 * chain a resolver's error travels (GraphQL's `originalError`, drizzle's
 * `cause`, a wrapper's `cause`) for a driver, socket or SQLSTATE code.
 */
export function databaseFaultOf(error: unknown): DatabaseFault | undefined {
  const seen = new Set<unknown>();
  for (let e: unknown = error; typeof e === 'object' && e !== null && !seen.has(e); ) {
    seen.add(e);
    const { code, errors } = e as { code?: unknown; errors?: unknown };
    if (typeof code === 'string') {
      const fault = faultOfCode(code);
      if (fault) return fault;
    }
    // A connection to a host with several addresses fails with an AggregateError of socket errors.
    if (Array.isArray(errors)) {
      const inner = errors.map(databaseFaultOf).find(Boolean);
      if (inner) return inner;
    }
    const { originalError, cause } = e as { originalError?: unknown; cause?: unknown };
    e = originalError ?? cause;
  }
  return undefined;
}

export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

/**
 * Answers HTTP 503 with `Retry-After` when a response carries a
 * SERVICE_UNAVAILABLE error (the error formatter turned a database fault into
 * one), so a partner, a load balancer and the gateway all see "retry later"
 * rather than a 200 or a 500. Errors thrown while the context is built (the
 * staff gate reading the database) skip the response hooks: those are marked
 * as the error Apollo answers with, which takes its status from them.
 */
export function serviceUnavailablePlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async contextCreationDidFail({ error }) {
      const fault = databaseFaultOf(error);
      // Apollo answers a failed context with the thrown error itself, reading its status from `extensions.http`.
      if (fault && !('extensions' in error)) Object.assign(error, { extensions: unavailableExtensions(fault) });
    },
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
          const unavailable = errors?.find((e) => e.extensions?.code === SERVICE_UNAVAILABLE);
          if (!unavailable) return;
          const seconds = Number(unavailable.extensions?.retryAfterSeconds) || FAULTS.unreachable.retryAfterSeconds;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(seconds));
        },
      };
    },
  };
}

/** The extensions of a SERVICE_UNAVAILABLE error: its code, when to retry, and the HTTP head Apollo answers with. */
export function unavailableExtensions(fault: Pick<DatabaseFault, 'retryAfterSeconds'>): Record<string, unknown> {
  return {
    code: SERVICE_UNAVAILABLE,
    retryAfterSeconds: fault.retryAfterSeconds,
    http: { status: 503, headers: new Map([['retry-after', String(fault.retryAfterSeconds)]]) },
  };
}
