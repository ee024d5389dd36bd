import { anyUuid, NotFound, todayInMalaysia, type Database } from '@tauliah/core';
import DataLoader from 'dataloader';
import { and, asc, desc } from 'drizzle-orm';
import { employment, type EmployerRow, type tables } from '../db/schema.ts';
import { countingOn } from './dates.ts';
import { toEmployer, type Employer } from '../graph/employer.ts';

/** One learner's question for funding eligibility: their current employer, with its facts or (all funding `@requires`) its id alone. */
export interface EligibilityEmployerAsk {
  learnerId: string;
  /** The selection names fields of the employer beyond `id`: its row must be read. */
  withFacts: boolean;
}

/** The employer a learner's counting record names (records.ts, countingRecord). */
export interface CountingEmployment {
  learnerId: string;
  employerId: string;
}

/** Where the batch reads: each statement runs once for the whole batch. */
export interface EligibilityEmployerSources {
  /** Each learner's counting employment on `today` (at most one per learner: the latest started, dates.ts countsOn). */
  countingEmployments(learnerIds: readonly string[], today: string): Promise<CountingEmployment[]>;
  /** Employer rows in the order asked, null where none. */
  employers(ids: readonly string[]): Promise<Array<EmployerRow | null | Error>>;
}

/**
 * The learners of one request whose employer funding asks for (a funder's
 * 10,000 in one `_entities` fetch) are answered together: today read once,
 * one statement choosing every learner's counting record, and the employer
 * rows read in one round only when fields beyond `id` are asked. Learners
 * employed by the same employer share one answer; nothing is awaited per
 * learner.
 */
export function eligibilityEmployers(sources: EligibilityEmployerSources): DataLoader<EligibilityEmployerAsk, Employer | Pick<Employer, 'id'> | null> {
  return new DataLoader(
    async (asks) => {
      const today = todayInMalaysia();
      const learnerIds = [...new Set(asks.map((ask) => ask.learnerId))];
      const employerOf = new Map<string, string>();
      for (const record of await sources.countingEmployments(learnerIds, today)) employerOf.set(record.learnerId, record.employerId);

      const withFacts = [...new Set(asks.flatMap((ask) => (ask.withFacts ? (employerOf.get(ask.learnerId) ?? []) : [])))];
      const rows = withFacts.length > 0 ? await sources.employers(withFacts) : [];
      const full = new Map<string, Employer | Error>();
      rows.forEach((row, i) => {
        const id = withFacts[i]!;
        // The foreign key says the employer exists; a missing row is NOT_FOUND, as employerBehind answers.
        full.set(id, row instanceof Error ? row : row ? toEmployer(row) : new NotFound('Employer', id));
      });
      const bare = new Map<string, Pick<Employer, 'id'>>();

      return asks.map((ask) => {
        const employerId = employerOf.get(ask.learnerId);
        if (employerId === undefined) return null;
        if (ask.withFacts) return full.get(employerId)!;
        let reference = bare.get(employerId);
        if (!reference) bare.set(employerId, (reference = { id: employerId }));
        return reference;
      });
    },
    { cache: false, maxBatchSize: 10_000 },
  );
}

/**
 * Each learner's counting employment on `today`, in one statement: the
 * records that count (dates.ts), the latest started first, as countingRecord
 * picks (a notice period can overlap the next employment).
 */
export const countingEmploymentsIn =
  (db: Database<typeof tables>) =>
  (learnerIds: readonly string[], today: string): Promise<CountingEmployment[]> =>
    db
      .selectDistinctOn([employment.learnerId], { learnerId: employment.learnerId, employerId: employment.employerId })
      .from(employment)
      .where(and(anyUuid(employment.learnerId, learnerIds), countingOn(today)))
      .orderBy(asc(employment.learnerId), desc(employment.since), asc(employment.id));
