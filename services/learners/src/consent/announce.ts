import { consentGrantedEvent, consentRevokedEvent, recordEvent, type Database } from '@tauliah/core';
import { outbox, type ConsentGrantRow } from '../db/schema.ts';

/*
 * A consent is one grant: a row with its own id, scopes and expiry. A new
 * grant to an organisation the learner already consented to is a second
 * grant beside the first, never a change to it (both count until each expires
 * or is revoked; policy.ts reads their union). So a grant is announced as one
 * consent.granted of its own, and the earlier grant, unchanged, as nothing.
 *
 * A consent that reaches its expiry ends without a write (policy.ts compares
 * expires_at with the time of each read), so no event marks it: consent.granted
 * carries expiresAt, and whoever keeps a copy lets it lapse at that time.
 */

type ConsentFacts = Pick<ConsentGrantRow, 'id' | 'learnerId' | 'granteeKind' | 'granteeId'>;

const factsOf = (grant: ConsentFacts) => ({
  consentId: grant.id,
  learnerId: grant.learnerId,
  granteeKind: grant.granteeKind as 'PROVIDER' | 'EMPLOYER' | 'FUNDER',
  granteeId: grant.granteeId,
});

/** Announces a new grant (consent.granted) in the transaction that stored it: the grantee hears which scopes, until when. */
export function announceConsentGranted(tx: Pick<Database, 'insert'>, grant: ConsentGrantRow): Promise<void> {
  return recordEvent(tx, outbox, consentGrantedEvent, { ...factsOf(grant), scopes: grant.scopes, expiresAt: grant.expiresAt.toISOString() });
}

/** Announces a revocation (consent.revoked) in the transaction that revoked the grant; revoking it again announces nothing. */
export function announceConsentRevoked(tx: Pick<Database, 'insert'>, grant: ConsentFacts): Promise<void> {
  return recordEvent(tx, outbox, consentRevokedEvent, factsOf(grant));
}
