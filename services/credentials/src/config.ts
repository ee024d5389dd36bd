import { secretSetting, type BaseConfig } from '@tauliah/core';
import { DEFAULT_MAX_DOCUMENT_BYTES } from '@tauliah/credentials-vc';
import { z } from 'zod';

/** What the credentials service reads besides core's settings. */
export const credentialsSettings = z.object({
  /** Encrypts credential issuers' private signing keys at rest (AES-256-GCM). */
  CREDENTIAL_KEY_ENCRYPTION_KEY: secretSetting('embedded-development-credential-key-encryption-key-not-for-production'),
  /** The most a document handed to public verification may weigh, in bytes of its JSON (or of the JWT). */
  VERIFY_DOCUMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(DEFAULT_MAX_DOCUMENT_BYTES),
});

export type CredentialsConfig = BaseConfig & z.infer<typeof credentialsSettings>;
