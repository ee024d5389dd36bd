import { graphLoader, rowLoader, rowsLoader, uuidKeys, type Database, type LoaderContext } from '@tauliah/core';
import { and, asc, count, desc, eq, getTableColumns, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { VISIBLE_COURSES } from './graph-reads.ts';
import { courseEndorsement, employer, employment, jobRole, jobRoleSkill, staffAccount, type StaffAccountRow, type tables } from './db/schema.ts';

/**
 * One page of each employer's staff accounts, by (name, subject): a window
 * function numbers every employer's accounts, so a response listing the staff
 * of many employers still costs one statement.
 */
function staffPagesLoader(db: Database<typeof tables>, limit: number, after: readonly [string, string] | null) {
  return rowsLoader(
    async (ids: readonly string[]) => {
      const conditions: SQL[] = [inArray(staffAccount.employerId, uuidKeys(ids))];
      if (after) conditions.push(sql`(${staffAccount.name}, ${staffAccount.subject}) > (${after[0]}, ${after[1]})`);
      const numbered = db
        .select({
          ...getTableColumns(staffAccount),
          position: sql<number>`row_number() over (partition by ${staffAccount.employerId} order by ${staffAccount.name}, ${staffAccount.subject})`.as('position'),
        })
        .from(staffAccount)
        .where(and(...conditions))
        .as('numbered');
      const rows = await db
        .select()
        .from(numbered)
        .where(lte(numbered.position, limit + 1))
        .orderBy(asc(numbered.employerId), asc(numbered.name), asc(numbered.subject));
      return rows.map(({ position: _position, ...row }): StaffAccountRow => row);
    },
    (row) => row.employerId,
  );
}

export function createLoaders({ db, viewer, graph }: LoaderContext<typeof tables>) {
  const staffPages = new Map<string, ReturnType<typeof staffPagesLoader>>();
  return {
    /** Courses as the viewer sees them in the catalogue (graph read, graph-reads.ts). */
    visibleCourse: graphLoader(graph, VISIBLE_COURSES),
    /** Staff accounts of each employer, `limit + 1` after the cursor; one loader per page shape asked in the request. */
    staffPage(limit: number, after: readonly [string, string] | null): ReturnType<typeof staffPagesLoader> {
      const shape = JSON.stringify([limit, after]);
      let loader = staffPages.get(shape);
      if (!loader) staffPages.set(shape, (loader = staffPagesLoader(db, limit, after)));
      return loader;
    },
    staffCount: rowLoader(
      (ids: readonly string[]) =>
        db
          .select({ employerId: staffAccount.employerId, count: count() })
          .from(staffAccount)
          .where(inArray(staffAccount.employerId, uuidKeys(ids)))
          .groupBy(staffAccount.employerId),
      (row) => row.employerId,
    ),
    employer: rowLoader((ids: readonly string[]) => db.select().from(employer).where(inArray(employer.id, uuidKeys(ids))), (row) => row.id),
    /** Employers with at least one published job role: the only ones the public may see. Signed-in viewers never need it. */
    publishedEmployer: rowLoader(
      async (ids: readonly string[]) =>
        viewer.kind === 'principal'
          ? []
          : db
              .selectDistinct({ employerId: jobRole.employerId })
              .from(jobRole)
              .where(and(eq(jobRole.published, true), inArray(jobRole.employerId, uuidKeys(ids)))),
      (row) => row.employerId,
    ),
    jobRole: rowLoader((ids: readonly string[]) => db.select().from(jobRole).where(inArray(jobRole.id, uuidKeys(ids))), (row) => row.id),
    /** Every job role of each employer, drafts included; callers filter by what the viewer may see. */
    jobRolesOfEmployer: rowsLoader(
      (ids: readonly string[]) =>
        db.select().from(jobRole).where(inArray(jobRole.employerId, uuidKeys(ids))).orderBy(asc(jobRole.title), asc(jobRole.id)),
      (row) => row.employerId,
    ),
    requiredSkills: rowsLoader(
      (ids: readonly string[]) =>
        db.select().from(jobRoleSkill).where(inArray(jobRoleSkill.jobRoleId, uuidKeys(ids))).orderBy(asc(jobRoleSkill.skillCode)),
      (row) => row.jobRoleId,
    ),
    /** Each course's endorsements, latest first: one statement for every course of a response. */
    endorsementsOfCourse: rowsLoader(
      (ids: readonly string[]) =>
        db
          .select()
          .from(courseEndorsement)
          .where(inArray(courseEndorsement.courseId, uuidKeys(ids)))
          .orderBy(asc(courseEndorsement.courseId), desc(courseEndorsement.createdAt), asc(courseEndorsement.employerId)),
      (row) => row.courseId,
    ),
    /** Each learner's employment records, latest first. */
    employmentOfLearner: rowsLoader(
      (ids: readonly string[]) =>
        db
          .select()
          .from(employment)
          .where(inArray(employment.learnerId, uuidKeys(ids)))
          .orderBy(desc(employment.since), asc(employment.id)),
      (row) => row.learnerId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
