import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** One JSON logger per process; services and requests get children of it. */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  const config: LoggerOptions = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    base: options.name ? { service: options.name } : {},
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'authorization', '*.nric', 'nric'],
      censor: '[redacted]',
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return pino(config);
}
