import { ConfigError, secretSetting, webhookDeliverySettings, webhookSettings, type BaseConfig, type WebhookDeliverySettings } from '@tauliah/core';
import { z } from 'zod';

const DEVELOPMENT_KEY = 'embedded-development-webhook-secret-encryption-key-not-for-production';

/**
 * What the providers service reads besides core's settings: how webhooks are
 * delivered (core's webhook settings: timeout, response cap, retry schedule,
 * the 5-day rule, loopback) and the key that seals endpoints' signing secrets.
 */
export const providersSettings = webhookSettings.extend({
  /**
   * Encrypts (AES-256-GCM) the endpoints' signing secrets at rest. They must be
   * read back to sign, so they cannot be hashed; changing the key makes every
   * stored secret unreadable: keep it as long as the endpoints, or rotate theirs.
   */
  WEBHOOK_SECRET_ENCRYPTION_KEY: secretSetting(DEVELOPMENT_KEY),
});

export type ProvidersSettings = z.infer<typeof providersSettings>;
export type ProvidersConfig = BaseConfig & ProvidersSettings;

/** Everything the webhooks capability needs from the configuration. */
export interface WebhookConfig extends WebhookDeliverySettings {
  secretKey: string;
}

const known = new WeakMap<object, WebhookConfig>();

/**
 * The webhook configuration of this process, from its validated config.
 * A process running the providers service alone validates providersSettings
 * with core's; one running every service (`tauliah up`, tests) validates the
 * settings of the services its CLI lists, and while providers' are not among
 * them its config carries none: the defaults apply there. Production refuses
 * loopback, plain http, a retry schedule under a day and the development
 * encryption key (ConfigError, every problem listed).
 */
export function webhookConfigOf(config: BaseConfig): WebhookConfig {
  let found = known.get(config);
  if (found) return found;
  const given = config as BaseConfig & Partial<ProvidersSettings>;
  const settings: ProvidersSettings = given.WEBHOOK_TIMEOUT_MS === undefined ? providersSettings.parse({}) : (given as ProvidersSettings);
  if (config.NODE_ENV === 'production' && settings.WEBHOOK_SECRET_ENCRYPTION_KEY === DEVELOPMENT_KEY) {
    throw new ConfigError(['WEBHOOK_SECRET_ENCRYPTION_KEY: must be set to a secret in production: it encrypts the webhook endpoints\' signing secrets at rest']);
  }
  found = { ...webhookDeliverySettings({ ...settings, NODE_ENV: config.NODE_ENV }), secretKey: settings.WEBHOOK_SECRET_ENCRYPTION_KEY };
  known.set(config, found);
  return found;
}
