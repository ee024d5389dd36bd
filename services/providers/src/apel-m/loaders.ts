import { rowLoader, rowsLoader, type Database, anyUuid } from '@tauliah/core';
import type DataLoader from 'dataloader';
import { and, asc, count, desc, eq, getTableColumns, lte, sql, type SQL } from 'drizzle-orm';
import { apelMApplication, apelMApplicationEvent, type ApelMApplicationRow, type tables } from '../db/schema.ts';

type Db = Database<typeof tables>;

/** An application as listed, with its submission time to the microsecond (UTC), the list's cursor. */
export type ListedApelMApplication = ApelMApplicationRow & { at: string };

/** One page of each pathway's applications: oldest first (the queue to decide), optionally of one status, after a cursor. */
export interface ApelMPageRequest {
  limit: number;
  after: readonly [string, string] | null;
  status: string | null;
}

const createdAtText = sql<string>`to_char(${apelMApplication.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

/**
 * The APEL.M capability's DataLoaders, made per request beside the service's
 * own: applications by id and by learner, their histories, and pages of each
 * pathway's applications, each one statement per batch however many a
 * response lists.
 */
export function apelMLoaders({ db }: { db: Db }) {
  const pages = new Map<string, DataLoader<string, ListedApelMApplication[]>>();
  const counts = new Map<string, DataLoader<string, { pathwayId: string; n: number } | null>>();
  return {
    application: rowLoader((ids: readonly string[]) => db.select().from(apelMApplication).where(anyUuid(apelMApplication.id, ids)), (row) => row.id),
    /** Each learner's applications, newest first. */
    applicationsOfLearner: rowsLoader(
      (learnerIds: readonly string[]) =>
        db
          .select()
          .from(apelMApplication)
          .where(anyUuid(apelMApplication.learnerId, learnerIds))
          .orderBy(desc(apelMApplication.createdAt), desc(apelMApplication.id)),
      (row) => row.learnerId,
    ),
    /** Each application's changes of state, first to last. */
    historyOf: rowsLoader(
      (applicationIds: readonly string[]) =>
        db
          .select()
          .from(apelMApplicationEvent)
          .where(anyUuid(apelMApplicationEvent.applicationId, applicationIds))
          .orderBy(asc(apelMApplicationEvent.at), asc(apelMApplicationEvent.id)),
      (row) => row.applicationId,
    ),
    pathwayPage(request: ApelMPageRequest): DataLoader<string, ListedApelMApplication[]> {
      const shape = JSON.stringify(request);
      let loader = pages.get(shape);
      if (!loader) pages.set(shape, (loader = pathwayPages(db, request)));
      return loader;
    },
    pathwayCount(status: string | null): DataLoader<string, { pathwayId: string; n: number } | null> {
      const shape = status ?? '';
      let loader = counts.get(shape);
      if (!loader) {
        loader = rowLoader(
          (pathwayIds: readonly string[]) =>
            db
              .select({ pathwayId: apelMApplication.pathwayId, n: count() })
              .from(apelMApplication)
              .where(and(anyUuid(apelMApplication.pathwayId, pathwayIds), status ? eq(apelMApplication.status, status) : undefined))
              .groupBy(apelMApplication.pathwayId),
          (row) => row.pathwayId,
        );
        counts.set(shape, loader);
      }
      return loader;
    },
  };
}

export type ApelMLoaders = ReturnType<typeof apelMLoaders>;

/**
 * One page of each pathway's applications, `limit + 1` rows (the extra says
 * there is a next page): a window function numbers each pathway's rows, so a
 * response listing the applications of many pathways costs one statement.
 */
function pathwayPages(db: Db, { limit, after, status }: ApelMPageRequest): DataLoader<string, ListedApelMApplication[]> {
  return rowsLoader(
    async (pathwayIds: readonly string[]) => {
      const conditions: SQL[] = [anyUuid(apelMApplication.pathwayId, pathwayIds)];
      if (status) conditions.push(eq(apelMApplication.status, status));
      if (after) conditions.push(sql`(${apelMApplication.createdAt}, ${apelMApplication.id}) > (${after[0]}::timestamp at time zone 'UTC', ${after[1]}::uuid)`);
      const numbered = db
        .select({
          ...getTableColumns(apelMApplication),
          at: createdAtText.as('at'),
          position: sql<number>`row_number() over (partition by ${apelMApplication.pathwayId} order by ${apelMApplication.createdAt}, ${apelMApplication.id})`.as('position'),
        })
        .from(apelMApplication)
        .where(and(...conditions))
        .as('numbered');
      const rows = await db.select().from(numbered).where(lte(numbered.position, limit + 1)).orderBy(asc(numbered.position));
      return rows.map(({ position: _position, ...row }) => row);
    },
    (row) => row.pathwayId,
  );
}
