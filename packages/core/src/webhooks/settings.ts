import { z } from 'zod';
import { ConfigError, type BaseConfig } from '../config.ts';
import type { DestinationPolicy } from './destination.ts';
import { DEFAULT_DISABLE_AFTER_MS, DEFAULT_RETRY_SCHEDULE, minimumRetrySpanMs, parseRetrySchedule, type RetrySchedule } from './schedule.ts';

const HOUR_MS = 3_600_000;
/** Production retries an event for at least a day (the issue's promise to partners); tests and development may go shorter. */
const PRODUCTION_MIN_RETRY_SPAN_MS = 24 * HOUR_MS;

/**
 * The settings of webhook delivery, for the process that delivers them to
 * merge into its schema (as a service's `settings`).
 */
export const webhookSettings = z.object({
  /** One attempt, DNS to the last byte read. The Standard Webhooks specification suggests 15 to 30 s. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** Response bytes read at most; receivers have nothing to tell us beyond their status. */
  WEBHOOK_MAX_RESPONSE_BYTES: z.coerce.number().int().min(0).max(1_048_576).default(65_536),
  /**
   * The pauses between attempts, comma-separated (`0,5s,5m,30m,2h,5h,10h,10h;jitter=0.2`,
   * the default), or `exponential:base=5s,factor=2,cap=10h,for=27h,jitter=full|decorrelated`.
   */
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .optional()
    .transform((text, context): RetrySchedule => {
      if (text === undefined || text.trim() === '') return DEFAULT_RETRY_SCHEDULE;
      try {
        return parseRetrySchedule(text);
      } catch (error) {
        context.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** An endpoint whose deliveries have all failed for this long is disabled; default 120 (5 days). */
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().positive().max(24 * 90).default(DEFAULT_DISABLE_AFTER_MS / HOUR_MS),
  /**
   * How long finished deliveries (delivered, or failed for good) and their
   * attempts are kept, queryable, redeliverable and replayable; then deleted.
   * Default 30 days: longer than the retries (27 h) and the 5-day rule.
   */
  WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(7, 'must be at least 7: deliveries stay queryable past the retries and the 5-day rule').max(3_650).default(30),
  /**
   * Whether receivers on this machine (loopback) may be registered and
   * delivered to. Unset, it is on everywhere but production, so a developer
   * tries webhooks against a receiver on their own machine; production refuses it.
   */
  WEBHOOK_ALLOW_LOOPBACK: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .transform((value) => value === 'true' || value === '1')
    .optional(),
});

export type WebhookSettings = z.infer<typeof webhookSettings>;

/** What a delivering process passes to checkWebhookUrl, attemptWebhookDelivery and the schedule. */
export interface WebhookDeliverySettings {
  policy: DestinationPolicy;
  timeoutMs: number;
  maxResponseBytes: number;
  schedule: RetrySchedule;
  disableAfterMs: number;
  /** Finished deliveries older than this are deleted. */
  retentionMs: number;
}

/**
 * The delivery settings for this environment. Production requires https and
 * refuses loopback and a retry schedule shorter than a day: these are
 * promises to partners and a safety rule, not tuning, so a production
 * process with them set otherwise does not start (ConfigError, every problem listed).
 */
export function webhookDeliverySettings(config: Pick<BaseConfig, 'NODE_ENV'> & WebhookSettings): WebhookDeliverySettings {
  const production = config.NODE_ENV === 'production';
  if (production) {
    const problems: string[] = [];
    if (config.WEBHOOK_ALLOW_LOOPBACK) problems.push('WEBHOOK_ALLOW_LOOPBACK: cannot be true in production, where webhooks go only to public addresses');
    if (minimumRetrySpanMs(config.WEBHOOK_RETRY_SCHEDULE) < PRODUCTION_MIN_RETRY_SPAN_MS) {
      problems.push('WEBHOOK_RETRY_SCHEDULE: must retry for at least 24 h in production (its pauses after the first add up to less)');
    }
    if (problems.length > 0) throw new ConfigError(problems);
  }
  return {
    policy: { allowLoopback: production ? false : (config.WEBHOOK_ALLOW_LOOPBACK ?? true), requireHttps: production },
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    maxResponseBytes: config.WEBHOOK_MAX_RESPONSE_BYTES,
    schedule: config.WEBHOOK_RETRY_SCHEDULE,
    disableAfterMs: Math.round(config.WEBHOOK_DISABLE_AFTER_HOURS * HOUR_MS),
    retentionMs: config.WEBHOOK_RETENTION_DAYS * 24 * HOUR_MS,
  };
}
