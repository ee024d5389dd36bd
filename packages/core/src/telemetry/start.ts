import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { TelemetrySettings } from './settings.ts';
import { startTracing, type Tracing } from './tracing.ts';

export interface Telemetry {
  /** Exports the spans pending now (nothing while tracing is off). */
  flush(): Promise<void>;
  /** Exports what is pending and stops tracing; call after the servers have drained. */
  stop(): Promise<void>;
}

let metricsToken: Buffer | undefined;

/**
 * Sets up this process's traces and metrics from its settings, once, before
 * its servers start: tracing only where OTEL_EXPORTER_OTLP_ENDPOINT is set,
 * and the token /metrics asks for where METRICS_TOKEN is.
 */
export async function startTelemetry(
  settings: Partial<TelemetrySettings>,
  options: {
    /** The process: a service's name, `gateway`, or `tauliah` for the whole graph in one process. */
    service: string;
    log: Logger;
  },
): Promise<Telemetry> {
  metricsToken = settings.METRICS_TOKEN ? Buffer.from(settings.METRICS_TOKEN) : undefined;
  let tracing: Tracing | undefined;
  if (settings.OTEL_EXPORTER_OTLP_ENDPOINT) {
    tracing = await startTracing({
      endpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: options.service,
      sampleRatio: settings.OTEL_TRACES_SAMPLER_ARG ?? 1,
      log: options.log,
    });
  }
  return {
    flush: async () => tracing?.flush(),
    async stop() {
      metricsToken = undefined;
      await tracing?.stop();
    },
  };
}

/** Whether a scrape may read /metrics: always while no METRICS_TOKEN is set, else only with that bearer token. */
export function metricsScrapeAllowed(authorization: string | undefined): boolean {
  if (!metricsToken) return true;
  const presented = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
  if (!presented) return false;
  const given = Buffer.from(presented);
  return given.length === metricsToken.length && timingSafeEqual(given, metricsToken);
}
