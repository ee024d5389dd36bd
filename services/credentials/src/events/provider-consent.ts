import type { consentGrantedEvent, consentRevokedEvent, Database, EventData, EventEnvelope } from '@tauliah/core';
import { sql } from 'drizzle-orm';
import { providerConsent, type tables } from '../db/schema.ts';

type GrantedEvent = EventEnvelope<EventData<typeof consentGrantedEvent>>;
type RevokedEvent = EventEnvelope<EventData<typeof consentRevokedEvent>>;

/** The durable consumers' names on the broker. */
export const CONSENT_GRANTED_CONSUMER = 'credentials-consent-granted';
export const CONSENT_REVOKED_CONSUMER = 'credentials-consent-revoked';

/**
 * Keeps a consent a learner granted a provider (other grantees are not kept:
 * only a provider's exit awards depend on what it may read). The two events
 * reach separate consumers in any order: a revocation that arrived first
 * stays, the grant only filling in its scopes and expiry. Returns whether the
 * consent concerns a provider (and so the learner's awards).
 */
export async function applyConsentGranted(db: Database<typeof tables>, event: GrantedEvent): Promise<boolean> {
  const { consentId, learnerId, granteeKind, granteeId, scopes, expiresAt } = event.data;
  if (granteeKind !== 'PROVIDER') return false;
  await db
    .insert(providerConsent)
    .values({ consentId, learnerId, providerId: granteeId, scopes, expiresAt: new Date(expiresAt) })
    .onConflictDoUpdate({ target: providerConsent.consentId, set: { scopes, expiresAt: new Date(expiresAt) } });
  return true;
}

/** Records that a learner revoked a provider's consent: from then on the provider's awards count only what it reads without it. */
export async function applyConsentRevoked(db: Database<typeof tables>, event: RevokedEvent): Promise<boolean> {
  const { consentId, learnerId, granteeKind, granteeId } = event.data;
  if (granteeKind !== 'PROVIDER') return false;
  const revokedAt = new Date(event.occurredAt);
  await db
    .insert(providerConsent)
    .values({ consentId, learnerId, providerId: granteeId, scopes: [], revokedAt })
    .onConflictDoUpdate({ target: providerConsent.consentId, set: { revokedAt: sql`coalesce(${providerConsent.revokedAt}, excluded.revoked_at)` } });
  return true;
}
