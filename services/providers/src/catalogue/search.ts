import { arrayLiteral, BadInput, BoundValues, builtOnceByKeys, builtOncePerShape, decodeCursor, isUuid, rowFromJson, totalCountWhen, type Database } from '@tauliah/core';
import type { PgSelect, SelectedFields } from 'drizzle-orm/pg-core';
import { and, asc, count, eq, gte, ilike, inArray, isNotNull, isNull, lte, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { course, courseSkill, provider, skill, type CourseRow, type ProviderRow, type tables } from '../db/schema.ts';
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

/** Past the cursor `after` in course order; its code and id are values or placeholders. */
export function afterCursor(after: { code: unknown; id: unknown } | null): SQL | undefined {
  return after ? sql`(${course.code}, ${course.id}) > (${after.code}::text, ${after.id}::uuid)` : undefined;
}

/** ILIKE treats % and _ as wildcards; a learner searching "C_" means the characters. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The SQL conditions of a validated catalogue filter, its values bound in `values` (visibility is added by the caller). */
function filterConditions(db: Database<typeof tables>, filter: ValidCourseFilter, values: BoundValues): SQL[] {
  // Listed, not an array: a single status is `status = $1`, which walks the catalogue's index in order.
  const statuses = (filter.statuses ?? ['PUBLISHED']).map((status, i) => values.bind(`status${i}`, status));
  const conditions: Array<SQL | undefined> = [inArray(course.status, statuses)];
  if (filter.text) {
    const pattern = values.bind('pattern', likePattern(filter.text));
    conditions.push(or(ilike(course.title, pattern), ilike(course.code, pattern), ilike(course.description, pattern)));
  }
  if (filter.skillCodes) {
    const codes = values.bind('skillCodes', arrayLiteral(filter.skillCodes));
    const teaching = db.select({ courseId: courseSkill.courseId }).from(courseSkill).where(sql`${courseSkill.skillCode} = any(${codes}::text[])`);
    conditions.push(inArray(course.id, teaching));
  }
  if (filter.mqfLevelMin != null) conditions.push(gte(course.mqfLevel, values.bind('mqfLevelMin', filter.mqfLevelMin)));
  if (filter.mqfLevelMax != null) conditions.push(lte(course.mqfLevel, values.bind('mqfLevelMax', filter.mqfLevelMax)));
  if (filter.providerId) conditions.push(eq(course.providerId, values.bind('providerId', filter.providerId)));
  if (filter.deliveryMode) conditions.push(eq(course.deliveryMode, values.bind('deliveryMode', filter.deliveryMode)));
  if (filter.feeMinSen != null) conditions.push(gte(course.feeSen, values.bind('feeMinSen', filter.feeMinSen)));
  if (filter.feeMaxSen != null) conditions.push(lte(course.feeSen, values.bind('feeMaxSen', filter.feeMaxSen)));
  if (filter.creditBearing != null) {
    values.mark(filter.creditBearing ? 'credit-bearing' : 'not-credit-bearing');
    conditions.push(filter.creditBearing ? isNotNull(course.credits) : isNull(course.credits));
  }
  return conditions.filter((c): c is SQL => c !== undefined);
}

/** Each course's skills in the provider's order, as skill rows in JSON (skillsOfCourse's answer, inside the page's statement). */
const skillsOfEachCourse = sql<Array<Record<string, unknown>>>`(select coalesce(json_agg(s order by cs.position), '[]') from ${courseSkill} cs join ${skill} s on s.code = cs.skill_code where cs.course_id = ${course.id})`;

/** The page statement of one shape: `where` over the courses, past `after`, `limit` rows, with what is read of each (the count of all pages, its provider, its skills as JSON rows). */
function pageStatement(db: Database<typeof tables>, where: SQL, after: { code: Placeholder; id: Placeholder } | null, limit: Placeholder, read: CatalogueRead) {
  const fields = {
    course,
    total: read.total ? sql<number>`(select count(*) from ${course} where ${where})`.mapWith(Number) : sql<null>`null`,
    skills: read.skills ? skillsOfEachCourse : sql<null>`null`,
  };
  const onPage = <Q extends PgSelect>(query: Q) => query.where(and(where, afterCursor(after))).orderBy(...courseOrder).limit(limit).prepare('catalogue_page');
  return read.providers
    ? onPage(db.select({ ...fields, provider }).from(course).leftJoin(provider, eq(provider.id, course.providerId)).$dynamic())
    : onPage(db.select({ ...fields, provider: sql<ProviderRow | null>`null` }).from(course).$dynamic());
}

/** The public's catalogue statements, built once per shape (up to 256 shapes; a filter combines up to ten conditions). */
const publicPageStatement = builtOncePerShape<Database<typeof tables>, ReturnType<typeof pageStatement>>(256);

/** What the client reads of a catalogue page besides its courses. */
export interface CatalogueRead {
  /** The count of the courses on all pages. */
  total: boolean;
  /** Each course's provider. */
  providers: boolean;
  /** Each course's skills. */
  skills: boolean;
}

/**
 * One page of the catalogue the viewer may see (`visible`), filtered, in one
 * statement with what the client reads of it: with `total`, a count of the
 * courses on all pages (a subquery PostgreSQL runs once); with `providers`
 * and `skills`, each course's provider and skills, for their loaders to hold
 * before the page's courses ask them. An empty page after a cursor says
 * nothing of the others, and they are counted apart. Without `total`, the
 * count runs only if read. The public's statements are built once per shape
 * (which conditions the filter has, and what is read); other viewers' name
 * them, and are built for the request.
 */
export async function cataloguePage(db: Database<typeof tables>, visible: SQL, filter: ValidCourseFilter, page: CoursePageRequest, read: CatalogueRead) {
  const values = new BoundValues();
  const where = and(visible, ...filterConditions(db, filter, values))!;
  const after = page.after && { code: values.bind('afterCode', page.after.code), id: values.bind('afterId', page.after.id) };
  const limit = values.bind('limit', page.limit + 1);
  values.mark(`${read.total ? 'total' : 'no-total'} ${read.providers ? 'providers' : 'no-providers'} ${read.skills ? 'skills' : 'no-skills'}`);
  const build = () => pageStatement(db, where, after, limit, read);
  const statement = visible === publishedCourses ? publicPageStatement(db, values.shape, build) : build();
  const found = await statement.execute(values.values);
  const countAll = async () => (await db.select({ total: count() }).from(course).where(where).prepare('catalogue_count').execute(values.values))[0]?.total ?? 0;
  const rows = found.map((row) => row.course);
  const providers = found.flatMap((row) => (row.provider ? [row.provider] : []));
  const skills = new Map(found.flatMap((row) => (row.skills ? [[row.course.id, row.skills.map((json) => rowFromJson(skill, json))] as const] : [])));
  const answer = { rows, providers, skills };
  if (!read.total) return { ...answer, total: totalCountWhen(false, countAll) };
  if (rows.length === 0 && page.after) return { ...answer, total: countAll };
  return { ...answer, total: () => Promise.resolve(found[0]?.total ?? 0) };
}

/**
 * The same page (limit and cursor) of courses for many groups at once, e.g.
 * the first 10 courses of each of 50 providers: one statement whatever the
 * number of groups, ranking each group's courses with a window function;
 * `withProviders`, with each course's provider in it. The commonest of
 * them, a first page of published courses (the public's, and every job
 * role's skills'), is a statement built once per kind of group.
 */
export async function coursePagesByGroup(
  db: Database<typeof tables>,
  group: 'provider' | 'skill',
  keys: readonly string[],
  visible: SQL,
  page: CoursePageRequest,
  withProviders: boolean,
): Promise<{ pages: Map<string, CourseRow[]>; providers: ProviderRow[] }> {
  const pages = new Map<string, CourseRow[]>(keys.map((key) => [key, []]));
  const providers: ProviderRow[] = [];
  if (keys.length === 0) return { pages, providers };
  const rows =
    visible === publishedCourses && page.after === null
      ? await firstPublishedPages[group][withProviders ? 'withProviders' : 'alone'](db, keys, { limit: page.limit + 1 })
      : await rankedPages(db, group, and(inArray(groupColumn(group), [...keys]), visible, afterCursor(page.after))!, sql`${page.limit + 1}`, withProviders);
  for (const row of rows) {
    pages.get(row.groupKey)?.push(row.course);
    if (row.provider) providers.push(row.provider);
  }
  return { pages, providers };
}

/** Up to `limit` courses of each group matching `where`, in course order, ranked within their group; `withProviders`, each with its provider. */
function rankedPages(db: Database<typeof tables>, group: 'provider' | 'skill', where: SQL, limit: SQL, withProviders: boolean) {
  const groupKey = groupColumn(group);
  const ranked = coursesOf(db, group, {
    courseId: sql<string>`${course.id}`.as('course_id'),
    groupKey: sql<string>`${groupKey}`.as('group_key'),
    rank: sql<number>`row_number() over (partition by ${groupKey} order by ${course.code}, ${course.id})`.as('rank'),
  })
    .where(where)
    .as('ranked');
  const fields = { groupKey: ranked.groupKey, course };
  const ranks = eq(course.id, ranked.courseId);
  const order = [ranked.groupKey, ...courseOrder];
  if (withProviders) {
    return db
      .select({ ...fields, provider })
      .from(ranked)
      .innerJoin(course, ranks)
      .leftJoin(provider, eq(provider.id, course.providerId))
      .where(lte(ranked.rank, limit))
      .orderBy(...order);
  }
  return db
    .select({ ...fields, provider: sql<ProviderRow | null>`null` })
    .from(ranked)
    .innerJoin(course, ranks)
    .where(lte(ranked.rank, limit))
    .orderBy(...order);
}

/** A first page of published courses per group, for the groups in `keys` and up to `limit` each (with their providers or without): built once per kind of group. */
const firstPublishedPagesOf = (group: 'provider' | 'skill', withProviders: boolean) =>
  builtOnceByKeys(groupColumn(group), group === 'provider' ? 'uuid' : 'text', (db: Database<typeof tables>, inGroups, shape) =>
    rankedPages(db, group, and(inGroups, publishedCourses)!, sql`${sql.placeholder('limit')}`, withProviders).prepare(
      `first_published_course_pages_by_${group}${withProviders ? '_with_providers' : ''}_${shape}`,
    ),
  );
const firstPublishedPages = {
  provider: { alone: firstPublishedPagesOf('provider', false), withProviders: firstPublishedPagesOf('provider', true) },
  skill: { alone: firstPublishedPagesOf('skill', false), withProviders: firstPublishedPagesOf('skill', true) },
};

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
