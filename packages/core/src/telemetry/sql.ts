import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { PgPreparedQuery } from 'drizzle-orm/pg-core';
import { statementSent } from './metrics.ts';
import { activeTracer, ATTRIBUTE } from './tracing.ts';

/**
 * Every SQL statement drizzle runs, on either driver and inside transactions,
 * passes through one method of its prepared query: `queryWithCache(sql,
 * params, run)`. Wrapping it once observes them all: each statement counted in
 * flight and timed (metrics), and, while tracing is on, a client span under
 * the request's span with the statement's text. The text is drizzle's, with
 * `$1` placeholders: parameters (a learner's data) are never recorded.
 *
 * A drizzle instance is tied to its service by its logger object (each
 * service's `StatementCounter`): `attributeStatements` names it.
 */
type QueryWithCache = (this: PreparedQueryInternals, queryString: string, params: unknown[], run: () => Promise<unknown>) => Promise<unknown>;
interface PreparedQueryInternals {
  logger?: object;
}

const services = new WeakMap<object, string>();
let installed = false;

/** Statements of the drizzle instance whose logger is `logger` count as `service`'s. */
export function attributeStatements(logger: object, service: string): void {
  services.set(logger, service);
}

/** Whether drizzle still has the method observed here (a drizzle upgrade that renames it fails the telemetry tests). */
export function sqlObservable(): boolean {
  return typeof (PgPreparedQuery.prototype as unknown as { queryWithCache?: unknown }).queryWithCache === 'function';
}

/** Wraps drizzle's statement path once per process. */
export function observeSqlStatements(): void {
  if (installed || !sqlObservable()) return;
  installed = true;
  // drizzle's prepared query at its one internal seam: `queryWithCache` is not in its public types.
  const prototype = PgPreparedQuery.prototype as unknown as { queryWithCache: QueryWithCache };
  const original = prototype.queryWithCache;
  prototype.queryWithCache = function observed(queryString, params, run) {
    const service = (this.logger && services.get(this.logger)) ?? 'unknown';
    const statement = statementKind(queryString);
    const answered = statementSent(service, statement);
    const tracer = activeTracer();
    // Only under a request's span: a background worker's polling would otherwise start a trace every few hundred ms.
    const span =
      tracer && trace.getActiveSpan()
        ? tracer.startSpan(statement === 'other' ? 'SQL' : statement.toUpperCase(), {
            kind: SpanKind.CLIENT,
            attributes: {
              'db.system.name': 'postgresql',
              'db.operation.name': statement,
              'db.query.text': queryString.slice(0, 4_000),
              [ATTRIBUTE.service]: service,
            },
          })
        : undefined;
    return original.call(this, queryString, params, run).then(
      (result) => {
        answered('ok');
        span?.end();
        return result;
      },
      (error: unknown) => {
        answered('error');
        if (span) {
          const code = sqlState(error);
          if (code) span.setAttribute('db.response.status_code', code);
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        }
        throw error;
      },
    );
  };
}

const KINDS = new Set(['select', 'insert', 'update', 'delete', 'with']);

/** The statement's first keyword when it is one of the common ones, else `other`. */
export function statementKind(queryString: string): string {
  const keyword = /^\s*\(?\s*([A-Za-z]+)/.exec(queryString)?.[1]?.toLowerCase();
  return keyword && KINDS.has(keyword) ? keyword : 'other';
}

/** The SQLSTATE of a database error, looking through drizzle's wrapping error. */
function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
