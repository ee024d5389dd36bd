import { seal, unseal, type Database, type Logger, type SealingPurpose } from '@tauliah/core';
import { and, eq, isNotNull } from 'drizzle-orm';
import { createHmac } from 'node:crypto';
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
 * are never kept in clear: the masked form (••••••-••-1234) is opened from
 * them sealed (core's seal) under PII_ENCRYPTION_KEY, which only the learners
 * service holds, with a key derived for this use only. The learner's id is
 * the associated data, so a sealed value copied to another learner's row does
 * not open there.
 */
const NRIC_DIGITS: SealingPurpose = { what: 'NRIC digits', key: { hkdfInfo: 'tauliah learners: NRIC last four digits' } };

export function sealNricLast4(last4: string, learnerId: string, secret: string): string {
  return seal(secret, last4, { purpose: NRIC_DIGITS, boundTo: learnerId });
}

/** The last four digits; throws SealedValueUnreadable when the value was not sealed for this learner under this key. */
export function openNricLast4(sealed: string, learnerId: string, secret: string): string {
  return unseal(secret, sealed, { purpose: NRIC_DIGITS, boundTo: learnerId }).toString('utf8');
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
