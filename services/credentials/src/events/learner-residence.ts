import type { Database, EventData, EventEnvelope, learnerResidenceEvent } from '@tauliah/core';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { learnerResidence, talentProof, type tables } from '../db/schema.ts';

type ResidenceEvent = EventEnvelope<EventData<typeof learnerResidenceEvent>>;

/** The durable consumer's name on the broker. */
export const RESIDENCE_CONSUMER = 'credentials-learner-residence';

/**
 * Applies the state a learner lets employers find them by (null while they do
 * not share it), in one transaction: the stored state and every talent proof
 * of that learner (talent_proof_state_idx keeps serving the state filter). An
 * event no newer than the stored one (a redelivery, or one overtaken by a
 * later change) changes nothing. Returns whether it changed anything.
 */
export async function applyResidence(db: Database<typeof tables>, event: ResidenceEvent): Promise<boolean> {
  const { learnerId, state } = event.data;
  return db.transaction(async (tx) => {
    // The upsert locks the learner's row, which proof rebuilds lock too (talent/proofs.ts): one waits for the other.
    const applied = await tx
      .insert(learnerResidence)
      .values({ learnerId, state, version: event.version })
      .onConflictDoUpdate({
        target: learnerResidence.learnerId,
        set: { state, version: event.version, updatedAt: sql`now()` },
        setWhere: sql`${learnerResidence.version} < ${event.version}`,
      })
      .returning({ learnerId: learnerResidence.learnerId });
    if (applied.length === 0) return false;
    await tx
      .update(talentProof)
      .set({ holderState: state })
      .where(and(eq(talentProof.holderId, learnerId), sql`${talentProof.holderState} is distinct from ${state}`));
    return true;
  });
}

/** Which of these learners the learners service's events announced (it announces every learner it registers). */
export async function learnersKnownFromEvents(db: Database<typeof tables>, learnerIds: string[]): Promise<Set<string>> {
  if (learnerIds.length === 0) return new Set();
  const rows = await db.select({ learnerId: learnerResidence.learnerId }).from(learnerResidence).where(inArray(learnerResidence.learnerId, learnerIds));
  return new Set(rows.map((r) => r.learnerId));
}
