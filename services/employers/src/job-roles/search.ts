import { BadInput, BoundValues, builtOncePerShape, decodeCursor, isUuid, rowFromJson, toConnection, totalCountWhen, type Connection, type Database } from '@tauliah/core';
import { and, asc, count, eq, exists, inArray, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { employer, jobRole, jobRoleSearchDocument, jobRoleSkill, type JobRoleRow, type JobRoleSkillRow, type tables } from '../db/schema.ts';
import type { JobRoleFilterValues } from '../graph/job-role.inputs.ts';

type Db = Database<typeof tables>;

/** The published roles matching a filter, as SQL conditions (each one served by an index), their values bound in `values`. */
function conditionsFor(db: Db, filter: JobRoleFilterValues, values: BoundValues): SQL[] {
  const conditions: SQL[] = [eq(jobRole.published, true)];
  if (filter.text) conditions.push(sql`${jobRoleSearchDocument(jobRole)} @@ websearch_to_tsquery('english', ${values.bind('text', filter.text)})`);
  if (filter.skillCode) {
    const requires = db
      .select({ one: sql`1` })
      .from(jobRoleSkill)
      .where(and(eq(jobRoleSkill.jobRoleId, jobRole.id), eq(jobRoleSkill.skillCode, values.bind('skillCode', filter.skillCode))));
    conditions.push(exists(requires));
  }
  if (filter.employerId) conditions.push(eq(jobRole.employerId, values.bind('employerId', filter.employerId)));
  if (filter.state) {
    conditions.push(inArray(jobRole.employerId, db.select({ id: employer.id }).from(employer).where(eq(employer.state, values.bind('state', filter.state)))));
  }
  return conditions;
}

/** A cursor is the (title, id) of the last role seen: the order is stable when roles are added or renamed elsewhere. */
function afterCursor(after: string | null | undefined, values: BoundValues): SQL | undefined {
  const key = decodeCursor(after, ['string', 'string']);
  if (!key) return undefined;
  const [title, id] = key;
  if (!isUuid(id)) throw new BadInput('after is not a cursor from this list: pass the endCursor of the previous page.', { field: 'after' });
  return sql`(${jobRole.title}, ${jobRole.id}) > (${values.bind('afterTitle', title)}::text, ${values.bind('afterId', id)}::uuid)`;
}

/** Each role's required skills as rows in JSON (the requiredSkills loader's answer, inside the page's statement). */
const skillsOfEachRole = sql<Array<Record<string, unknown>> | null>`(select coalesce(json_agg(s order by s.skill_code), '[]') from ${jobRoleSkill} s where s.job_role_id = ${jobRole.id})`;

/** The page statement of one shape: the roles matching `where`, by title, `limit` rows, with their required skills if read. */
const pageStatement = (db: Db, where: SQL | undefined, limit: Placeholder, withSkills: boolean) =>
  db
    .select({ role: jobRole, requiredSkills: withSkills ? skillsOfEachRole : sql<Array<Record<string, unknown>> | null>`null` })
    .from(jobRole)
    .where(where)
    .orderBy(asc(jobRole.title), asc(jobRole.id))
    .limit(limit)
    .prepare('job_roles_page');

/** Job-role pages, built once per shape (which filters, a cursor or not, skills read or not). */
const jobRolePage = builtOncePerShape<Db, ReturnType<typeof pageStatement>>(64);

/**
 * One page of published job roles, in one statement with each role's
 * required skills when `requiredSkills` (for their loader to hold before the
 * roles ask) and, when `total`, beside it the number that match: two
 * statements whatever the page size, or one (a total read although not asked
 * for is counted when read). Statements are built once per shape.
 */
export async function searchJobRoles(
  db: Db,
  filter: JobRoleFilterValues,
  limit: number,
  after: string | null | undefined,
  read: { total: boolean; requiredSkills: boolean },
): Promise<{ page: Connection<JobRoleRow, Promise<number>>; requiredSkills: Map<string, JobRoleSkillRow[]> }> {
  const values = new BoundValues();
  const conditions = conditionsFor(db, filter, values);
  const where = and(...conditions, afterCursor(after, values));
  const rows = values.bind('limit', limit + 1);
  values.mark(read.requiredSkills ? 'required-skills' : 'no-required-skills');
  const total = totalCountWhen(read.total, async () => (await db.select({ count: count() }).from(jobRole).where(and(...conditions)).prepare('job_roles_count').execute(values.values))[0]?.count ?? 0);
  const found = await jobRolePage(db, values.shape, () => pageStatement(db, where, rows, read.requiredSkills)).execute(values.values);
  const requiredSkills = new Map(found.flatMap((row) => (row.requiredSkills ? [[row.role.id, row.requiredSkills.map((json) => rowFromJson(jobRoleSkill, json))] as const] : [])));
  const page = toConnection(
    found.map((row) => row.role),
    limit,
    total,
    (row) => [row.title, row.id],
    (row) => row,
  );
  return { page, requiredSkills };
}
