import { RateLimited, type Transaction } from '@tauliah/core';
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import { contactRequest, type tables } from '../db/schema.ts';
import { RATE_WINDOW_HOURS } from './rules.ts';

/**
 * Lets one more contact request of this employer through, or throws
 * RATE_LIMITED: at most `perDay` in any rolling 24 hours, its staff and
 * partner systems together. Guarded in the database: a transaction-scoped
 * lock per employer makes its concurrent requests count one after another,
 * each seeing the ones committed before it, so no burst gets past the limit.
 * One indexed statement (contact_request_employer_idx) reads at most `perDay`
 * entries: the window is full when it holds a perDay-th newest request, and
 * room opens when that one leaves the window.
 */
export async function admitContactRequest(tx: Transaction<typeof tables>, employerId: string, perDay: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`learners.contact-requests:${employerId}`}, 0))`);
  const window = sql`(now() - ${sql.raw(`interval '${RATE_WINDOW_HOURS} hours'`)})`;
  const [oldestCounted] = await tx
    .select({ retryAfterSeconds: sql<number>`greatest(1, ceil(extract(epoch from (${contactRequest.createdAt} - ${window}))))::int` })
    .from(contactRequest)
    .where(and(eq(contactRequest.employerId, employerId), gt(contactRequest.createdAt, window)))
    .orderBy(desc(contactRequest.createdAt))
    .offset(perDay - 1)
    .limit(1);
  if (oldestCounted) {
    throw new RateLimited(`Your employer has sent ${perDay} contact requests in the last ${RATE_WINDOW_HOURS} hours, the most it may.`, oldestCounted.retryAfterSeconds, {
      extra: { limit: perDay, windowHours: RATE_WINDOW_HOURS },
    });
  }
}
