import { z } from 'zod';

/**
 * The settings of traces and metrics, which every process reads (core's
 * config merges them into its base schema). Tracing is off unless
 * OTEL_EXPORTER_OTLP_ENDPOINT is set; /metrics is open unless METRICS_TOKEN is.
 */
export const telemetrySettings = z.object({
  /** An OTLP/HTTP collector's base URL (`http://otel-collector:4318`); spans go to `<url>/v1/traces` as JSON. Unset: no tracing at all. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .url()
    .refine((v) => /^https?:\/\//.test(v), { message: 'must be an http:// or https:// URL' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** The share of new traces recorded, 0 to 1 (default 1); a request arriving with a sampled `traceparent` is always recorded. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  /**
   * When set, /metrics answers only a scraper presenting `Authorization: Bearer <token>`
   * (401 otherwise). Unset, /metrics is open: it carries no personal data, only traffic figures.
   */
  METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

export type TelemetrySettings = z.infer<typeof telemetrySettings>;
