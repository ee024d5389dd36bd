import type { Database, EventData, EventEnvelope, providerStandingEvent } from '@tauliah/core';
import { and, eq, lt } from 'drizzle-orm';
import { issuer, type tables } from '../db/schema.ts';

type ProviderStandingEvent = EventEnvelope<EventData<typeof providerStandingEvent>>;

/** The durable consumer's name on the broker. */
export const PROVIDER_STANDING_CONSUMER = 'credentials-provider-standing';

/**
 * Keeps an issuer's standing as the providers service announced it: from a
 * suspension on, it fails the issuer check for anything not on record before
 * then (what it issued in good standing stays valid); reinstated, it passes
 * again. An event no newer than the last applied for the issuer changes
 * nothing. A provider that has never issued has no issuer row and nothing to
 * change: its first issuance reads its standing live.
 */
export async function applyProviderStanding(db: Database<typeof tables>, event: ProviderStandingEvent): Promise<void> {
  const { providerId, inGoodStanding, changedAt } = event.data;
  await db
    .update(issuer)
    .set({ inGoodStanding, suspendedAt: inGoodStanding ? null : new Date(changedAt), standingVersion: event.version, updatedAt: new Date() })
    .where(and(eq(issuer.providerId, providerId), lt(issuer.standingVersion, event.version)));
}
