import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { recordDroppedLogLine } from './telemetry/metrics.ts';

export type { Logger };

/**
 * Standard output, shared by every logger of the process and written
 * asynchronously: a line is handed to the kernel with the others waiting
 * (one write for many lines under load) while the request goes on, instead
 * of one blocking write per line that stalls the server whenever the log's
 * reader (a container runtime, a terminal) lags. Pino writes what is pending
 * when the process exits, crashes included; only a kill -9 loses the last
 * lines. A reader that stops reading altogether costs at most
 * MAX_PENDING_LOG_BYTES of memory: lines past it are dropped, and counted.
 */
const MAX_PENDING_LOG_BYTES = 16 * 1_048_576;
let stdout: DestinationStream | undefined;
function sharedStdout(): DestinationStream {
  if (!stdout) {
    const destination = pino.destination({ dest: 1, sync: false, maxLength: MAX_PENDING_LOG_BYTES });
    destination.on('drop', () => recordDroppedLogLine());
    stdout = destination;
  }
  return stdout;
}

/** The ISO time of a line, formatted once per millisecond however many lines share it. */
let isoMillis = -1;
let isoTime = '';
function timestamp(): string {
  const now = Date.now();
  if (now !== isoMillis) {
    isoMillis = now;
    isoTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return isoTime;
}

/** One JSON logger per process; services and requests get children of it. */
export function createLogger(
  options: {
    level?: string;
    name?: string;
    /** Where the lines go: standard output unless given (tests read the lines from a stream). */
    destination?: DestinationStream;
  } = {},
): Logger {
  const config: LoggerOptions = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    base: options.name ? { service: options.name } : {},
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'authorization', '*.nric', 'nric'],
      censor: '[redacted]',
    },
    timestamp,
    serializers: { err: safeError },
    formatters: {
      // An error logged under any other key gets the same treatment as `err`.
      log: (object) => {
        let safe: Record<string, unknown> | undefined;
        for (const key in object) {
          const value = object[key];
          if (value instanceof Error) (safe ??= { ...object })[key] = safeError(value);
        }
        return safe ?? object;
      },
    },
    hooks: {
      // pino takes a line's message from the error's own when none is given: give the safe one instead.
      logMethod(args, method) {
        const [first, second] = args as unknown[];
        if (typeof second !== 'string') {
          if (first instanceof Error) return method.call(this, { err: first }, safeMessage(first.message));
          const err = (first as { err?: unknown } | null)?.err;
          if (err instanceof Error) return method.call(this, first as object, safeMessage(err.message));
        }
        return method.apply(this, args);
      },
    },
  };
  return pino(config, options.destination ?? sharedStdout());
}

/**
 * What a log line keeps of an error: no personal data. Database errors carry
 * the values of the failed statement: postgres.js its `parameters`, PGlite its
 * `params`, drizzle's wrapping error `params` and a message ending in them,
 * PostgreSQL the offending key or row in `detail` ("Key (email)=(...) already
 * exists") and sometimes in `where`, `hint` or the message itself
 * (`invalid input syntax for type date: "..."`). So the error is rebuilt from
 * an allow-list: its class, its message without parameters or quoted values,
 * the SQLSTATE or system code, the names of the constraint, table, column,
 * schema and type involved, its stack frames, and the same of its causes.
 * Anything else an error carries is left out.
 */
export function safeError(error: unknown, depth = 0): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const e = error as Record<string, unknown>;
  const type = typeof e.type === 'string' ? e.type : typeOf(error);
  const message = typeof e.message === 'string' ? safeMessage(e.message) : undefined;
  const safe: Record<string, unknown> = { type, message };
  const pick = (key: string, ...names: string[]) => {
    for (const name of names) {
      const value = e[name];
      if (typeof value === 'string' || typeof value === 'number') {
        safe[key] = value;
        return;
      }
    }
  };
  pick('code', 'code');
  pick('severity', 'severity');
  pick('constraint', 'constraint', 'constraint_name');
  pick('schema', 'schema', 'schema_name');
  pick('table', 'table', 'table_name');
  pick('column', 'column', 'column_name');
  pick('dataType', 'dataType', 'data_type_name');
  pick('routine', 'routine');
  pick('errno', 'errno');
  pick('syscall', 'syscall');
  pick('status', 'status', 'statusCode');
  if (typeof e.stack === 'string') safe.stack = safeStack(e.stack, type, message);
  if (depth < 5) {
    if (e.cause !== undefined) safe.cause = safeError(e.cause, depth + 1);
    if (Array.isArray(e.errors)) safe.errors = e.errors.slice(0, 10).map((inner) => safeError(inner, depth + 1));
  }
  return safe;
}

/** The error's class; PGlite's minified one (named "O", its `name` the protocol's "error") as DatabaseError. */
function typeOf(error: object): string {
  const constructorName = error.constructor?.name ?? 'Object';
  if (constructorName.length > 2) return constructorName;
  const { name, code } = error as { name?: unknown; code?: unknown };
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return 'DatabaseError';
  return typeof name === 'string' && name ? name : constructorName;
}

/**
 * An error message without the values it may quote: drizzle's
 * `Failed query: <sql>\nparams: <values>` loses its params (the SQL, with $1
 * placeholders, stays); a quoted value after a colon or "value" (PostgreSQL's
 * `invalid input syntax for type date: "..."`, `value "..." is out of range`)
 * becomes "[redacted]". Quoted names (`unique constraint "learners_email_key"`)
 * stay.
 */
export function safeMessage(message: string): string {
  return message
    .replace(/\n?\s*params: [\s\S]*$/, '')
    .replace(/(:\s*|\bvalue\s+)"(?:[^"]|"")*"/g, '$1"[redacted]"')
    .replace(/(:\s*|\bvalue\s+)'(?:[^']|'')*'/g, "$1'[redacted]'");
}

/** The stack frames, under the safe message: a stack starts by repeating the message, parameters and all. */
function safeStack(stack: string, type: string, message: string | undefined): string {
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return [`${type}: ${message ?? ''}`, ...frames].join('\n');
}
