import { secretSetting, type BaseConfig } from '@tauliah/core';
import { DEFAULT_MAX_DOCUMENT_BYTES, DEFAULT_MAX_RECORD_BYTES } from '@tauliah/credentials-vc';
import { z } from 'zod';

/** What the credentials service reads besides core's settings. */
export const credentialsSettings = z.object({
  /** Encrypts credential issuers' private signing keys at rest (AES-256-GCM). */
  CREDENTIAL_KEY_ENCRYPTION_KEY: secretSetting('embedded-development-credential-key-encryption-key-not-for-production'),
  /** The most a document handed to public verification may weigh, in bytes of its JSON (or of the JWT). */
  VERIFY_DOCUMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(DEFAULT_MAX_DOCUMENT_BYTES),
  /** The same for a learner record (a CLR 2.0 ClrCredential), which embeds every credential it holds. */
  VERIFY_RECORD_MAX_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(DEFAULT_MAX_RECORD_BYTES),
  /**
   * The secret the platform's own Ed25519 signing key is derived from (SHA-256 of it is the seed): it signs
   * learner records (CLR 2.0), as the platform, not as any provider. Rotating it changes the platform's key;
   * records signed before no longer verify, and learners export theirs again.
   */
  PLATFORM_SIGNING_SEED: secretSetting('embedded-development-platform-signing-seed-not-for-production'),
});

export type CredentialsConfig = BaseConfig & z.infer<typeof credentialsSettings>;
