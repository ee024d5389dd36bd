import { NotFound, type Database } from '@tauliah/core';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { enrolment, type EnrolmentRow, type tables } from '../db/schema.ts';
import { announceEnrolmentEnded } from './announce.ts';

/** Who ends an enrolment: its learner, or the provider it is with (its staff or partner system). */
export type EndedBy = { learnerId: string; subject: string } | { providerId: string; subject: string };

/**
 * Ends an enrolment and announces it in the same transaction: from its commit
 * the provider reads only what the learner consented to (policy.ts), and
 * credentials drops the enrolment it keeps. Ending one already ended answers
 * it as it is; one that is not the caller's is NOT_FOUND, like one that does
 * not exist.
 */
export async function endEnrolment(db: Database<typeof tables>, enrolmentId: string, by: EndedBy): Promise<EnrolmentRow> {
  const whose: SQL = 'learnerId' in by ? eq(enrolment.learnerId, by.learnerId) : eq(enrolment.providerId, by.providerId);
  return db.transaction(async (tx) => {
    const [ended] = await tx
      .update(enrolment)
      .set({ status: 'ENDED', endedAt: sql`now()`, endedBySubject: by.subject })
      .where(and(eq(enrolment.id, enrolmentId), whose, eq(enrolment.status, 'ACTIVE')))
      .returning();
    if (ended) {
      await announceEnrolmentEnded(tx, ended);
      return ended;
    }
    const [existing] = await tx.select().from(enrolment).where(and(eq(enrolment.id, enrolmentId), whose));
    if (!existing) throw new NotFound('Enrolment', enrolmentId);
    return existing;
  });
}
