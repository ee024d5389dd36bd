import { rowLoader, rowsLoader, type Database, anyUuid } from '@tauliah/core';
import type DataLoader from 'dataloader';
import { and, count, desc, eq, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { employer, employment, type EmploymentRow, type tables } from '../db/schema.ts';

type Reader = Pick<Database<typeof tables>, 'select'>;

/** Which of an employer's records a list shows: those lasting today, those that no longer do (ended or declined), or all. */
export interface EmploymentListFilter {
  current: boolean | null;
  /** Today in Malaysia: whether a record lasts depends on the day. */
  today: string;
}

/** The page after this (since, id), latest first. */
export type EmploymentCursor = readonly [since: string, id: string];

function lasting({ current, today }: EmploymentListFilter): SQL | undefined {
  if (current === null) return undefined;
  const lastsToday = and(isNull(employment.declinedAt), or(isNull(employment.until), sql`${employment.until} >= ${today}`));
  return current ? lastsToday : or(isNotNull(employment.declinedAt), lt(employment.until, today));
}

/**
 * Employer.employment, a page of each employer's records (latest first, by
 * since then id), for every employer of a response in one statement: a
 * lateral subquery per employer walks employment_employer_since_idx
 * backwards and stops after the page, however many people the employer has
 * recorded. Counts are a second loader, run only when `totalCount` is asked.
 */
export function employmentListLoaders(db: Reader) {
  const pages = new Map<string, DataLoader<string, EmploymentRow[]>>();
  const counts = new Map<string, DataLoader<string, { employerId: string; count: number } | null>>();

  const page = (filter: EmploymentListFilter, limit: number, after: EmploymentCursor | null) =>
    rowsLoader(
      async (ids: readonly string[]) => {
        const rows = db
          .select()
          .from(employment)
          .where(and(eq(employment.employerId, employer.id), lasting(filter), after ? sql`(${employment.since}, ${employment.id}) < (${after[0]}, ${after[1]}::uuid)` : undefined))
          .orderBy(desc(employment.since), desc(employment.id))
          .limit(limit + 1)
          .as('page');
        const found = await db
          .select({ page: rows._.selectedFields })
          .from(employer)
          .innerJoinLateral(rows, sql`true`)
          .where(anyUuid(employer.id, ids))
          .orderBy(employer.id, desc(rows.since), desc(rows.id));
        return found.map((r) => r.page);
      },
      (row) => row.employerId,
    );

  return {
    employmentPage(filter: EmploymentListFilter, limit: number, after: EmploymentCursor | null): DataLoader<string, EmploymentRow[]> {
      const shape = JSON.stringify([filter, limit, after]);
      let loader = pages.get(shape);
      if (!loader) pages.set(shape, (loader = page(filter, limit, after)));
      return loader;
    },
    employmentCount(filter: EmploymentListFilter): DataLoader<string, { employerId: string; count: number } | null> {
      const shape = JSON.stringify(filter);
      let loader = counts.get(shape);
      if (!loader) {
        loader = rowLoader(
          (ids: readonly string[]) =>
            db
              .select({ employerId: employment.employerId, count: count() })
              .from(employment)
              .where(and(anyUuid(employment.employerId, ids), lasting(filter)))
              .groupBy(employment.employerId),
          (row) => row.employerId,
        );
        counts.set(shape, loader);
      }
      return loader;
    },
  };
}
