import { describe, expect, it } from 'vitest';
import { baseConfigSchema, ConfigError, parseConfig, subgraphSettings } from '../../src/index.ts';
import { DEFAULT_RETRY_SCHEDULE, SHORT_RETRY_SCHEDULE, webhookDeliverySettings, webhookSettings } from '../../src/webhooks/index.ts';

/** A subgraph's schema with the webhook settings added, the way runServiceProcess adds a service's own settings (by shape). */
const schema = baseConfigSchema.merge(subgraphSettings).extend(webhookSettings.shape);
const production = { NODE_ENV: 'production', JWKS_URL: 'https://id.example.my/jwks', GATEWAY_SECRET: 'g'.repeat(32), NATS_URL: 'nats://providers:secret@nats:4222', WEBHOOK_SECRET_ENCRYPTION_KEY: 'w'.repeat(32) };

const problemsOf = (attempt: () => unknown): string => {
  try {
    attempt();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  return '';
};

describe('webhook delivery settings', () => {
  it('default to a 15 s timeout, a 64 KiB answer, the 27-hour schedule, disabling after 5 days and keeping deliveries 30 days', () => {
    const settings = webhookDeliverySettings(parseConfig(schema, {}));
    expect(settings).toEqual({
      policy: { allowLoopback: true, requireHttps: false },
      timeoutMs: 15_000,
      maxResponseBytes: 65_536,
      schedule: DEFAULT_RETRY_SCHEDULE,
      disableAfterMs: 5 * 24 * 3_600_000,
      retentionMs: 30 * 24 * 3_600_000,
    });
  });

  it('allow loopback and http outside production, unless loopback is turned off', () => {
    expect(webhookDeliverySettings(parseConfig(schema, { NODE_ENV: 'test' })).policy).toEqual({ allowLoopback: true, requireHttps: false });
    expect(webhookDeliverySettings(parseConfig(schema, { WEBHOOK_ALLOW_LOOPBACK: 'false' })).policy).toEqual({ allowLoopback: false, requireHttps: false });
  });

  it('require https and refuse loopback in production', () => {
    expect(webhookDeliverySettings(parseConfig(schema, production, 'providers')).policy).toEqual({ allowLoopback: false, requireHttps: true });
    expect(webhookDeliverySettings(parseConfig(schema, { ...production, WEBHOOK_ALLOW_LOOPBACK: 'false' }, 'providers')).policy.allowLoopback).toBe(false);
  });

  it('stop a production process that would allow loopback or retry for less than a day, listing both', () => {
    const config = parseConfig(schema, { ...production, WEBHOOK_ALLOW_LOOPBACK: 'true', WEBHOOK_RETRY_SCHEDULE: '0,50ms,100ms,200ms' }, 'providers');
    const problems = problemsOf(() => webhookDeliverySettings(config));
    expect(problems).toMatch(/WEBHOOK_ALLOW_LOOPBACK: cannot be true in production/);
    expect(problems).toMatch(/WEBHOOK_RETRY_SCHEDULE: must retry for at least 24 h in production/);
    expect(problemsOf(() => webhookDeliverySettings(parseConfig(schema, { ...production, WEBHOOK_RETRY_SCHEDULE: 'exponential:base=5s,factor=2,cap=10h,for=24h' }, 'providers')))).toBe('');
  });

  it('take a short schedule and tighter limits for tests', () => {
    const settings = webhookDeliverySettings(
      parseConfig(schema, { NODE_ENV: 'test', WEBHOOK_RETRY_SCHEDULE: '0,50ms,100ms,200ms', WEBHOOK_TIMEOUT_MS: '500', WEBHOOK_MAX_RESPONSE_BYTES: '1024', WEBHOOK_DISABLE_AFTER_HOURS: '0.5' }),
    );
    expect(settings).toMatchObject({ schedule: SHORT_RETRY_SCHEDULE, timeoutMs: 500, maxResponseBytes: 1_024, disableAfterMs: 1_800_000 });
  });

  it('list every bad value at start-up, saying what is wrong', () => {
    const problems = problemsOf(() =>
      parseConfig(schema, { WEBHOOK_TIMEOUT_MS: '10', WEBHOOK_MAX_RESPONSE_BYTES: '-1', WEBHOOK_RETRY_SCHEDULE: '0,5 minutes', WEBHOOK_DISABLE_AFTER_HOURS: '0', WEBHOOK_ALLOW_LOOPBACK: 'yes' }),
    );
    expect(problems).toMatch(/WEBHOOK_TIMEOUT_MS: .*100/);
    expect(problems).toMatch(/WEBHOOK_MAX_RESPONSE_BYTES: /);
    expect(problems).toMatch(/WEBHOOK_RETRY_SCHEDULE: "5 minutes" is not a duration/);
    expect(problems).toMatch(/WEBHOOK_DISABLE_AFTER_HOURS: /);
    expect(problems).toMatch(/WEBHOOK_ALLOW_LOOPBACK: must be true or false/);
  });
});
