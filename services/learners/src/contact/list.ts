import { BadInput, decodeCursor, isUuid, toConnection, type Connection, type Database } from '@tauliah/core';
import { and, count, desc, eq, gt, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { contactRequest, type ContactRequestRow, type tables } from '../db/schema.ts';
import { ContactRequestStatus, toContactRequest, type ContactRequest } from '../graph/contact-request.ts';

type Db = Database<typeof tables>;

/** Lists run newest first, by the exact creation time (microseconds, UTC) and id: the cursor. */
const createdAtText = sql<string>`to_char(${contactRequest.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/u;

/** A page of requests as fetched: each row with its cursor time. */
export interface ListedRow {
  request: ContactRequestRow;
  at: string;
}

/** The status as readers see it (toContactRequest): a PENDING request past its expiry is EXPIRED. */
export function statusIs(status: ContactRequestStatus | null): SQL | undefined {
  const now = sql`now()`;
  switch (status) {
    case null:
      return undefined;
    case ContactRequestStatus.PENDING:
      return and(eq(contactRequest.status, 'PENDING'), gt(contactRequest.expiresAt, now));
    case ContactRequestStatus.EXPIRED:
      return or(eq(contactRequest.status, 'EXPIRED'), and(eq(contactRequest.status, 'PENDING'), lte(contactRequest.expiresAt, now)));
    default:
      return eq(contactRequest.status, status);
  }
}

/** Where the page after `after` starts (older than the cursor's request). */
export function olderThan(after: string | null): SQL | undefined {
  const key = decodeCursor(after, ['string', 'string']) as [string, string] | null;
  if (!key) return undefined;
  const [at, id] = key;
  if (!CURSOR_TIME.test(at) || !isUuid(id)) throw new BadInput('after is not a cursor from this list: pass the endCursor of the previous page.', { field: 'after' });
  return sql`(${contactRequest.createdAt}, ${contactRequest.id}) < (${at}::timestamp at time zone 'UTC', ${id}::uuid)`;
}

export const toPage = (rows: ListedRow[], limit: number, total: () => Promise<number>): Connection<ContactRequest, Promise<number>> =>
  toConnection(
    rows,
    limit,
    total,
    (row) => [row.at, row.request.id],
    (row) => toContactRequest(row.request),
  );

/** The requests an employer sent (its staff and partner systems alike), newest first: one statement, and one more only for totalCount. */
export async function employerContactRequests(
  db: Db,
  employerId: string,
  { status, limit, after }: { status: ContactRequestStatus | null; limit: number; after: string | null },
): Promise<Connection<ContactRequest, Promise<number>>> {
  const matching = and(eq(contactRequest.employerId, employerId), statusIs(status));
  const rows = await db
    .select({ request: contactRequest, at: createdAtText })
    .from(contactRequest)
    .where(and(matching, olderThan(after)))
    .orderBy(desc(contactRequest.createdAt), desc(contactRequest.id))
    .limit(limit + 1);
  return toPage(rows, limit, async () => (await db.select({ n: count() }).from(contactRequest).where(matching))[0]?.n ?? 0);
}

/**
 * The first `limit + 1` requests to each of many learners, newest first, in
 * one statement however many learners (a window per learner): what a request
 * for several learners' contactRequests pages costs.
 */
export async function learnersContactRequests(
  db: Db,
  learnerIds: readonly string[],
  { status, limit, after }: { status: ContactRequestStatus | null; limit: number; after: string | null },
): Promise<ListedRow[]> {
  const ranked = db.$with('ranked').as(
    db
      .select({
        id: contactRequest.id,
        rank: sql<number>`row_number() over (partition by ${contactRequest.learnerId} order by ${contactRequest.createdAt} desc, ${contactRequest.id} desc)`.as('rank'),
      })
      .from(contactRequest)
      .where(and(inArray(contactRequest.learnerId, [...learnerIds]), statusIs(status), olderThan(after))),
  );
  return db
    .with(ranked)
    .select({ request: contactRequest, at: createdAtText })
    .from(contactRequest)
    .innerJoin(ranked, eq(ranked.id, contactRequest.id))
    .where(lte(ranked.rank, limit + 1))
    .orderBy(desc(contactRequest.createdAt), desc(contactRequest.id));
}

/** How many requests to each of many learners match the filter, in one statement: run only when totalCount is selected. */
export async function countLearnersContactRequests(db: Db, learnerIds: readonly string[], status: ContactRequestStatus | null): Promise<Array<{ learnerId: string; n: number }>> {
  return db
    .select({ learnerId: contactRequest.learnerId, n: count() })
    .from(contactRequest)
    .where(and(inArray(contactRequest.learnerId, [...learnerIds]), statusIs(status)))
    .groupBy(contactRequest.learnerId);
}
