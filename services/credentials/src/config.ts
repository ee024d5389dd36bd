import { secretSetting, type BaseConfig } from '@tauliah/core';
import { z } from 'zod';

/** What the credentials service reads besides core's settings. */
export const credentialsSettings = z.object({
  /** Encrypts credential issuers' private signing keys at rest (AES-256-GCM). */
  CREDENTIAL_KEY_ENCRYPTION_KEY: secretSetting('embedded-development-credential-key-encryption-key-not-for-production'),
});

export type CredentialsConfig = BaseConfig & z.infer<typeof credentialsSettings>;
