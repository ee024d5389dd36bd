import type { Transaction } from '@tauliah/core';
import { z } from 'zod';
import { consentGrant, type ConsentGrantRow, type tables } from '../db/schema.ts';
import { announceConsentGranted } from './announce.ts';

/** The longest a consent may last: two years (and a day for a leap year). */
export const MAX_CONSENT_DAYS = 731;

const DAY_MS = 86_400_000;

/** When a consent lapses: in the future, at most two years ahead. */
export const consentExpiry = z
  .date({ invalid_type_error: 'must be a date and time' })
  .refine((d) => d.getTime() > Date.now(), 'must be in the future')
  .refine((d) => d.getTime() <= Date.now() + MAX_CONSENT_DAYS * DAY_MS, 'must be at most two years ahead');

export interface NewConsent {
  learnerId: string;
  granteeKind: 'EMPLOYER' | 'FUNDER' | 'PROVIDER';
  granteeId: string;
  scopes: string[];
  expiresAt: Date;
}

/**
 * Stores a new grant and announces it (consent.granted) in the caller's
 * transaction: the one way a consent comes to be, whether the learner grants
 * it directly (grantConsent) or by accepting an employer's contact request,
 * so the grantee hears of both alike.
 */
export async function recordConsentGrant(tx: Transaction<typeof tables>, consent: NewConsent): Promise<ConsentGrantRow> {
  const [granted] = await tx.insert(consentGrant).values(consent).returning();
  await announceConsentGranted(tx, granted!);
  return granted!;
}
