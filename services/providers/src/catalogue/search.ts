import { BadInput, builtOnceByKeys, decodeCursor, isUuid, totalCountWhen, type Database } from '@tauliah/core';
import type { SelectedFields } from 'drizzle-orm/pg-core';
import { and, asc, count, eq, gte, ilike, inArray, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { course, courseSkill, type CourseRow, type tables } from '../db/schema.ts';
import type { ValidCourseFilter } from '../graph/course.inputs.ts';
import { publishedCourses } from '../policy.ts';

/**
 * Course lists in one stable order, code then id (codes repeat across
 * providers), paged by keyset: a cursor is the (code, id) of the last row seen.
 */
export interface CoursePageRequest {
  limit: number;
  after: CourseCursor | null;
}

export interface CourseCursor {
  code: string;
  id: string;
}

/** Decodes `after`; a cursor this list did not hand out is BAD_USER_INPUT, never a database error. */
export function decodeCourseCursor(after: string | null | undefined): CourseCursor | null {
  const key = decodeCursor(after, ['string', 'string']);
  if (!key) return null;
  const [code, id] = key as [string, string];
  if (!isUuid(id) || code.length === 0 || code.length > 100) {
    throw new BadInput('after is not a cursor from this list: pass the endCursor of the previous page.', { field: 'after' });
  }
  return { code, id };
}

export const courseOrder = [asc(course.code), asc(course.id)];

export function afterCursor(after: CourseCursor | null): SQL | undefined {
  return after ? sql`(${course.code}, ${course.id}) > (${after.code}::text, ${after.id}::uuid)` : undefined;
}

/** ILIKE treats % and _ as wildcards; a learner searching "C_" means the characters. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The SQL conditions of a validated catalogue filter (visibility is added by the caller). */
export function filterConditions(db: Database<typeof tables>, filter: ValidCourseFilter): SQL[] {
  const conditions: Array<SQL | undefined> = [inArray(course.status, filter.statuses ?? ['PUBLISHED'])];
  if (filter.text) {
    const pattern = likePattern(filter.text);
    conditions.push(or(ilike(course.title, pattern), ilike(course.code, pattern), ilike(course.description, pattern)));
  }
  if (filter.skillCodes) {
    const teaching = db.select({ courseId: courseSkill.courseId }).from(courseSkill).where(inArray(courseSkill.skillCode, filter.skillCodes));
    conditions.push(inArray(course.id, teaching));
  }
  if (filter.mqfLevelMin != null) conditions.push(gte(course.mqfLevel, filter.mqfLevelMin));
  if (filter.mqfLevelMax != null) conditions.push(lte(course.mqfLevel, filter.mqfLevelMax));
  if (filter.providerId) conditions.push(eq(course.providerId, filter.providerId));
  if (filter.deliveryMode) conditions.push(eq(course.deliveryMode, filter.deliveryMode));
  if (filter.feeMinSen != null) conditions.push(gte(course.feeSen, filter.feeMinSen));
  if (filter.feeMaxSen != null) conditions.push(lte(course.feeSen, filter.feeMaxSen));
  if (filter.creditBearing != null) conditions.push(filter.creditBearing ? isNotNull(course.credits) : isNull(course.credits));
  return conditions.filter((c): c is SQL => c !== undefined);
}

/**
 * One page of the catalogue and a count of the courses on all pages. When
 * `withTotal`, the count rides in the page's own statement, a subquery
 * PostgreSQL runs once: one round trip. An empty page after a cursor says
 * nothing of the others, and they are counted apart. Otherwise the count
 * runs only if read.
 */
export async function cataloguePage(db: Database<typeof tables>, where: SQL, page: CoursePageRequest, withTotal: boolean) {
  const countAll = async () => (await db.select({ total: count() }).from(course).where(where))[0]?.total ?? 0;
  const onPage = and(where, afterCursor(page.after));
  if (!withTotal) {
    const rows = await db.select().from(course).where(onPage).orderBy(...courseOrder).limit(page.limit + 1);
    return { rows, total: totalCountWhen(false, countAll) };
  }
  const counted = await db
    .select({ course, total: sql<number>`(select count(*) from ${course} where ${where})`.mapWith(Number) })
    .from(course)
    .where(onPage)
    .orderBy(...courseOrder)
    .limit(page.limit + 1);
  const rows = counted.map((row) => row.course);
  if (rows.length === 0 && page.after) return { rows, total: countAll };
  return { rows, total: () => Promise.resolve(counted[0]?.total ?? 0) };
}

/**
 * The same page (limit and cursor) of courses for many groups at once, e.g.
 * the first 10 courses of each of 50 providers: one statement whatever the
 * number of groups, ranking each group's courses with a window function. The
 * commonest of them, a first page of published courses (the public's, and
 * every job role's skills'), is a statement built once per kind of group.
 */
export async function coursePagesByGroup(
  db: Database<typeof tables>,
  group: 'provider' | 'skill',
  keys: readonly string[],
  visible: SQL,
  page: CoursePageRequest,
): Promise<Map<string, CourseRow[]>> {
  const pages = new Map<string, CourseRow[]>(keys.map((key) => [key, []]));
  if (keys.length === 0) return pages;
  const rows =
    visible === publishedCourses && page.after === null
      ? await firstPublishedPages[group](db, keys, { limit: page.limit + 1 })
      : await rankedPages(db, group, and(inArray(groupColumn(group), [...keys]), visible, afterCursor(page.after))!, sql`${page.limit + 1}`);
  for (const row of rows) pages.get(row.groupKey)?.push(row.course);
  return pages;
}

/** Up to `limit` courses of each group matching `where`, in course order, ranked within their group. */
function rankedPages(db: Database<typeof tables>, group: 'provider' | 'skill', where: SQL, limit: SQL) {
  const groupKey = groupColumn(group);
  const ranked = coursesOf(db, group, {
    courseId: sql<string>`${course.id}`.as('course_id'),
    groupKey: sql<string>`${groupKey}`.as('group_key'),
    rank: sql<number>`row_number() over (partition by ${groupKey} order by ${course.code}, ${course.id})`.as('rank'),
  })
    .where(where)
    .as('ranked');
  return db
    .select({ groupKey: ranked.groupKey, course })
    .from(ranked)
    .innerJoin(course, eq(course.id, ranked.courseId))
    .where(lte(ranked.rank, limit))
    .orderBy(ranked.groupKey, ...courseOrder);
}

/** A first page of published courses per group, for the groups in `keys` and up to `limit` each: built once per kind of group. */
const firstPublishedPagesOf = (group: 'provider' | 'skill') =>
  builtOnceByKeys(groupColumn(group), group === 'provider' ? 'uuid' : 'text', (db: Database<typeof tables>, inGroups, shape) =>
    rankedPages(db, group, and(inGroups, publishedCourses)!, sql`${sql.placeholder('limit')}`).prepare(`first_published_course_pages_by_${group}_${shape}`),
  );
const firstPublishedPages = { provider: firstPublishedPagesOf('provider'), skill: firstPublishedPagesOf('skill') };

/** How many visible courses each group has on all its pages: one statement for every group. */
export async function courseTotalsByGroup(db: Database<typeof tables>, group: 'provider' | 'skill', keys: readonly string[], visible: SQL): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const groupKey = groupColumn(group);
  const totals = await coursesOf(db, group, { groupKey: sql<string>`${groupKey}`, total: count() })
    .where(and(inArray(groupKey, [...keys]), visible))
    .groupBy(groupKey);
  return new Map(totals.map(({ groupKey: key, total }) => [key, total]));
}

function groupColumn(group: 'provider' | 'skill') {
  return group === 'provider' ? course.providerId : courseSkill.skillCode;
}

/** Courses with their group column at hand: skill groups reach courses through the join table. */
function coursesOf<F extends SelectedFields>(db: Database<typeof tables>, group: 'provider' | 'skill', fields: F) {
  const query = db.select(fields).from(course).$dynamic();
  return group === 'skill' ? query.innerJoin(courseSkill, eq(courseSkill.courseId, course.id)) : query;
}
