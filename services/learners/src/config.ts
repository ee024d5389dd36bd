import { secretSetting, type BaseConfig } from '@tauliah/core';
import { z } from 'zod';

/** What the learners service reads besides core's settings. */
export const learnersSettings = z.object({
  /** Keys the HMAC under which identifiers such as the NRIC are stored; never the raw number. */
  PII_HASH_KEY: secretSetting('embedded-development-pii-hash-key-not-for-production'),
  /**
   * Encrypts (AES-256-GCM) what the masked NRIC needs, its last four digits, so
   * no part of the number is kept in clear. Changing it makes the masked NRIC of
   * every learner unreadable: keep it as long as the data.
   */
  PII_ENCRYPTION_KEY: secretSetting('embedded-development-pii-encryption-key-not-for-production'),
  /**
   * How many contact requests one employer (its staff and partner systems
   * together) may send in any 24 hours: a learner who opted in to being found
   * must not be flooded, nor every learner messaged by one employer in a day.
   */
  CONTACT_REQUESTS_PER_EMPLOYER_PER_DAY: z.coerce.number().int().min(1).max(100_000).default(50),
  /**
   * How long recommendations keep the public catalogue they are made of (the
   * published courses teaching a skill, a pathway's stages, courses by id),
   * read as the public and shared by every learner: a course published,
   * changed or retired reaches recommendations at most this much later.
   * 0 reads it for every request.
   */
  GUIDANCE_CATALOGUE_TTL_SECONDS: z.coerce.number().int().min(0).max(3_600).default(30),
  /** How many entries (a skill's courses, a pathway, an interest set, a course) that catalogue keeps at most; the oldest go first. */
  GUIDANCE_CATALOGUE_MAX_ENTRIES: z.coerce.number().int().min(1).max(1_000_000).default(5_000),
});

export type LearnersConfig = BaseConfig & z.infer<typeof learnersSettings>;
