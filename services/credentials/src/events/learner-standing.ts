import type { Database, EventData, EventEnvelope, learnerEnrolledEvent, learnerEnrolmentEndedEvent, learnerPreferencesEvent } from '@tauliah/core';
import { inArray, sql } from 'drizzle-orm';
import { learnerEnrolment, learnerPreference, type tables } from '../db/schema.ts';

type PreferencesEvent = EventEnvelope<EventData<typeof learnerPreferencesEvent>>;
type EnrolledEvent = EventEnvelope<EventData<typeof learnerEnrolledEvent>>;
type EnrolmentEndedEvent = EventEnvelope<EventData<typeof learnerEnrolmentEndedEvent>>;

/** The durable consumers' names on the broker. */
export const PREFERENCES_CONSUMER = 'credentials-learner-preferences';
export const ENROLMENT_CONSUMER = 'credentials-learner-enrolment';
export const ENROLMENT_ENDED_CONSUMER = 'credentials-learner-enrolment-ended';

/**
 * Keeps the visibility a learner chose for their new credentials. An event no
 * newer than the stored one (a redelivery, or one overtaken by a later
 * change) changes nothing. Returns whether it changed anything.
 */
export async function applyPreferences(db: Database<typeof tables>, event: PreferencesEvent): Promise<boolean> {
  const { learnerId, credentialVisibility } = event.data;
  const applied = await db
    .insert(learnerPreference)
    .values({ learnerId, credentialVisibility, version: event.version })
    .onConflictDoUpdate({
      target: learnerPreference.learnerId,
      set: { credentialVisibility, version: event.version, updatedAt: sql`now()` },
      setWhere: sql`${learnerPreference.version} < ${event.version}`,
    })
    .returning({ learnerId: learnerPreference.learnerId });
  return applied.length > 0;
}

/**
 * Records that a learner is enrolled with a provider, again too after an
 * enrolment there ended. The enrolment and its ending arrive through separate
 * consumers, in any order: an event no newer than the last one applied to the
 * pair (a redelivery, or an enrolment its ending overtook) changes nothing.
 * Returns whether it changed anything.
 */
export async function applyEnrolment(db: Database<typeof tables>, event: EnrolledEvent): Promise<boolean> {
  const { learnerId, providerId } = event.data;
  const applied = await db
    .insert(learnerEnrolment)
    .values({ learnerId, providerId, version: event.version })
    .onConflictDoUpdate({
      target: [learnerEnrolment.learnerId, learnerEnrolment.providerId],
      set: { version: event.version, endedAt: null },
      setWhere: sql`${learnerEnrolment.version} < ${event.version}`,
    })
    .returning({ learnerId: learnerEnrolment.learnerId });
  return applied.length > 0;
}

/**
 * Records that a learner's enrolment with a provider ended: from then on the
 * provider reads their progress only with their consent. The row stays,
 * marked ended at this event's version, so an older "enrolled" arriving late
 * cannot revive it; an event no newer than the last one applied changes
 * nothing. Returns whether it changed anything.
 */
export async function applyEnrolmentEnded(db: Database<typeof tables>, event: EnrolmentEndedEvent): Promise<boolean> {
  const { learnerId, providerId } = event.data;
  const endedAt = new Date(event.occurredAt);
  const applied = await db
    .insert(learnerEnrolment)
    .values({ learnerId, providerId, version: event.version, endedAt })
    .onConflictDoUpdate({
      target: [learnerEnrolment.learnerId, learnerEnrolment.providerId],
      set: { version: event.version, endedAt },
      setWhere: sql`${learnerEnrolment.version} < ${event.version}`,
    })
    .returning({ learnerId: learnerEnrolment.learnerId });
  return applied.length > 0;
}

/** The visibility each of these learners chose for new credentials; a learner not in the map gets PRIVATE. */
export async function chosenVisibility(db: Pick<Database<typeof tables>, 'select'>, learnerIds: string[]): Promise<Map<string, 'PRIVATE' | 'EMPLOYERS' | 'PUBLIC'>> {
  if (learnerIds.length === 0) return new Map();
  const rows = await db
    .select({ learnerId: learnerPreference.learnerId, visibility: learnerPreference.credentialVisibility })
    .from(learnerPreference)
    .where(inArray(learnerPreference.learnerId, learnerIds));
  return new Map(rows.map((r) => [r.learnerId, r.visibility]));
}
