import { describe, expect, it } from 'vitest';
import { baseConfigSchema, ConfigError, createLogger, openEventTransport, parseConfig, SERVICE_NAMES, subgraphConfigSchema } from '../src/index.ts';

const problemsOf = (attempt: () => unknown): string => {
  try {
    attempt();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  return '';
};

const production = { NODE_ENV: 'production', JWKS_URL: 'https://id.example.my/jwks', GATEWAY_SECRET: 'g'.repeat(32), PII_HASH_KEY: 'p'.repeat(32), PII_ENCRYPTION_KEY: 'e'.repeat(32), CREDENTIAL_KEY_ENCRYPTION_KEY: 'k'.repeat(32) };

describe('the event broker settings', () => {
  it('takes one NATS URL or a comma-separated cluster, and names what is wrong with anything else', () => {
    expect(parseConfig(baseConfigSchema, { NATS_URL: 'nats://127.0.0.1:4222' }).NATS_URL).toBe('nats://127.0.0.1:4222');
    expect(parseConfig(baseConfigSchema, { NATS_URL: 'nats://a:4222, tls://b:4222' }).NATS_URL).toBe('nats://a:4222, tls://b:4222');
    expect(parseConfig(baseConfigSchema, { NATS_URL: '' }).NATS_URL).toBeUndefined();
    expect(problemsOf(() => parseConfig(baseConfigSchema, { NATS_URL: 'http://127.0.0.1:4222' }))).toMatch(/NATS_URL: must be a nats:\/\/ URL/);
    expect(parseConfig(baseConfigSchema, {}).NATS_NAMESPACE).toBe('tauliah');
    expect(problemsOf(() => parseConfig(baseConfigSchema, { NATS_NAMESPACE: 'a.b' }))).toMatch(/NATS_NAMESPACE/);
  });

  it('requires NATS in production for every service, all of which exchange events, and not for the gateway', () => {
    for (const service of SERVICE_NAMES) {
      // Providers also needs the key that seals webhook secrets, credentials the platform's signing seed: given here, so only NATS_URL is missing.
      const given =
        service === 'providers'
          ? { ...production, WEBHOOK_SECRET_ENCRYPTION_KEY: 'w'.repeat(32) }
          : service === 'credentials'
            ? { ...production, PLATFORM_SIGNING_SEED: 'p'.repeat(32) }
            : production;
      expect(problemsOf(() => parseConfig(subgraphConfigSchema(service), given, service))).toMatch(/NATS_URL: is required in production/);
      expect(problemsOf(() => parseConfig(subgraphConfigSchema(service), { ...given, NATS_URL: 'nats://nats:4222' }, service))).toBe('');
    }
    expect(problemsOf(() => parseConfig(baseConfigSchema, production, 'gateway'))).toBe('');
  });

  it('opens NATS JetStream when NATS_URL is set, and the in-process broker otherwise', async () => {
    const log = createLogger({ level: 'silent' });
    const embedded = openEventTransport(parseConfig(baseConfigSchema, {}), log);
    const networked = openEventTransport(parseConfig(baseConfigSchema, { NATS_URL: 'nats://127.0.0.1:1' }), log);
    expect([embedded.kind, networked.kind]).toEqual(['in-process', 'jetstream']);
    await Promise.all([embedded.close(), networked.close()]);
  });
});
