import { and, eq, gte, isNull, or, type SQL } from 'drizzle-orm';
import { employment, type EmploymentRow } from '../db/schema.ts';


/** A YYYY-MM-DD date `days` later (or earlier, when negative). */
export function addDays(date: string, days: number): string {
  const moved = new Date(`${date}T00:00:00Z`);
  moved.setUTCDate(moved.getUTCDate() + days);
  return moved.toISOString().slice(0, 10);
}

/**
 * How far ahead an end date may be recorded: three months, the longest
 * notice period Malaysian contracts usually set (the Employment Act 1955,
 * s. 12, asks four to eight weeks). Further ahead it is a plan, not a record.
 */
export const MAX_DAYS_AHEAD_OF_END = 92;

/**
 * The employment lasts today: not declined, and no end date or one not yet
 * passed (the last day itself still counts). ISO dates compare as strings.
 */
export const lastsOn = (record: Pick<EmploymentRow, 'until' | 'declinedAt'>, today: string): boolean =>
  record.declinedAt === null && (record.until === null || record.until >= today);

/** The record that makes an employer the learner's current one: confirmed by the learner and lasting today. */
export const countsOn = (record: Pick<EmploymentRow, 'until' | 'declinedAt' | 'confirmedByLearner'>, today: string): boolean =>
  record.confirmedByLearner && lastsOn(record, today);

/** countsOn as a condition on employment rows, for a batch chosen in one statement. */
export const countingOn = (today: string): SQL =>
  and(eq(employment.confirmedByLearner, true), isNull(employment.declinedAt), or(isNull(employment.until), gte(employment.until, today)))!;
