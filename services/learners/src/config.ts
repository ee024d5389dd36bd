import { secretSetting, type BaseConfig } from '@tauliah/core';
import { z } from 'zod';

/** What the learners service reads besides core's settings. */
export const learnersSettings = z.object({
  /** Keys the HMAC under which identifiers such as the NRIC are stored; never the raw number. */
  PII_HASH_KEY: secretSetting('embedded-development-pii-hash-key-not-for-production'),
});

export type LearnersConfig = BaseConfig & z.infer<typeof learnersSettings>;
