import { BadInput, decodeCursor, isUuid, toConnection, totalCountWhen, type Connection, type Database } from '@tauliah/core';
import { and, asc, count, eq, exists, inArray, sql, type SQL } from 'drizzle-orm';
import { employer, jobRole, jobRoleSearchDocument, jobRoleSkill, type JobRoleRow, type tables } from '../db/schema.ts';
import type { JobRoleFilterValues } from '../graph/job-role.inputs.ts';

/** The published roles matching a filter, as SQL conditions (each one served by an index). */
function conditionsFor(db: Database<typeof tables>, filter: JobRoleFilterValues): SQL[] {
  const conditions: SQL[] = [eq(jobRole.published, true)];
  if (filter.text) conditions.push(sql`${jobRoleSearchDocument(jobRole)} @@ websearch_to_tsquery('english', ${filter.text})`);
  if (filter.skillCode) {
    const requires = db
      .select({ one: sql`1` })
      .from(jobRoleSkill)
      .where(and(eq(jobRoleSkill.jobRoleId, jobRole.id), eq(jobRoleSkill.skillCode, filter.skillCode)));
    conditions.push(exists(requires));
  }
  if (filter.employerId) conditions.push(eq(jobRole.employerId, filter.employerId));
  if (filter.state) {
    conditions.push(inArray(jobRole.employerId, db.select({ id: employer.id }).from(employer).where(eq(employer.state, filter.state))));
  }
  return conditions;
}

/** A cursor is the (title, id) of the last role seen: the order is stable when roles are added or renamed elsewhere. */
function afterCursor(after: string | null | undefined): SQL | undefined {
  const key = decodeCursor(after, ['string', 'string']);
  if (!key) return undefined;
  const [title, id] = key;
  if (!isUuid(id)) throw new BadInput('after is not a cursor from this list: pass the endCursor of the previous page.', { field: 'after' });
  return sql`(${jobRole.title}, ${jobRole.id}) > (${title}, ${id}::uuid)`;
}

/**
 * One page of published job roles and, when `withTotal`, beside it the
 * number that match: two statements whatever the page size, or one (a total
 * read although not asked for is counted when read).
 */
export async function searchJobRoles(
  db: Database<typeof tables>,
  filter: JobRoleFilterValues,
  limit: number,
  after: string | null | undefined,
  withTotal: boolean,
): Promise<Connection<JobRoleRow, Promise<number>>> {
  const conditions = conditionsFor(db, filter);
  const cursor = afterCursor(after);
  const total = totalCountWhen(withTotal, async () => (await db.select({ count: count() }).from(jobRole).where(and(...conditions)))[0]?.count ?? 0);
  const rows = await db
    .select()
    .from(jobRole)
    .where(and(...conditions, cursor))
    .orderBy(asc(jobRole.title), asc(jobRole.id))
    .limit(limit + 1);
  return toConnection(rows, limit, total, (row) => [row.title, row.id], (row) => row);
}
