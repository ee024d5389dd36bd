import type { Database, Logger } from '@tauliah/core';
import { and, eq, isNotNull } from 'drizzle-orm';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { learner, type tables } from '../db/schema.ts';

/**
 * The NRIC as stored: an HMAC of its digits under the learners' PII_HASH_KEY,
 * which finds a second registration of one person without keeping the number.
 */
export function hashNric(digits: string, key: string): string {
  return createHmac('sha256', key).update(digits).digest('hex');
}

/**
 * The date of birth already gives an NRIC's first six digits, so its last four
 * are never kept in clear: the masked form (••••••-••-1234) is decrypted from
 * them sealed with AES-256-GCM under PII_ENCRYPTION_KEY, which only the
 * learners service holds. A random IV per value; the learner's id is the
 * associated data, so a sealed value copied to another learner's row does not
 * open there.
 */
const VERSION = 'v1';

/** 32 bytes for AES-256 from the setting (at least 32 characters), for this use only. */
const keys = new Map<string, Buffer>();
const keyOf = (secret: string): Buffer => {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'tauliah learners: NRIC last four digits', 32))));
  return key;
};

export function sealNricLast4(last4: string, learnerId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  cipher.setAAD(Buffer.from(learnerId));
  const ciphertext = Buffer.concat([cipher.update(last4, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

/** The last four digits, or an error when the value was not sealed for this learner under this key. */
export function openNricLast4(sealed: string, learnerId: string, secret: string): string {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || !ciphertext) throw new Error('Unrecognised sealed NRIC format.');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(learnerId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}

/** The NRIC as the learner and administrators see it: its last four digits only. */
export function maskedNric(row: { id: string; nricLast4Sealed: string | null; nricLast4: string | null }, secret: string): string | null {
  // A row an older release wrote and the start-up has not sealed yet still shows its masked form.
  const last4 = row.nricLast4Sealed ? openNricLast4(row.nricLast4Sealed, row.id, secret) : row.nricLast4;
  return last4 ? `••••••-••-${last4}` : null;
}

/**
 * Seals the last four digits an older release kept in clear and clears them,
 * in one transaction, at start-up. Idempotent: a second run (or a second
 * replica) finds nothing in clear; a row is cleared only where it still holds
 * the value sealed, so a racing run never loses one.
 */
export async function sealClearNrics(db: Database<typeof tables>, secret: string, log: Logger): Promise<number> {
  const sealed = await db.transaction(async (tx) => {
    const rows = await tx.select({ id: learner.id, nricLast4: learner.nricLast4 }).from(learner).where(isNotNull(learner.nricLast4)).for('update');
    for (const row of rows) {
      await tx
        .update(learner)
        .set({ nricLast4Sealed: sealNricLast4(row.nricLast4!, row.id, secret), nricLast4: null })
        .where(and(eq(learner.id, row.id), eq(learner.nricLast4, row.nricLast4!)));
    }
    return rows.length;
  });
  if (sealed > 0) log.info({ sealed }, "sealed learners' NRIC digits an older release kept in clear");
  return sealed;
}
