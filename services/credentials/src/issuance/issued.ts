import { BadInput, decodeCursor, isUuid, toConnection, type Connection, type Database } from '@tauliah/core';
import { and, count, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import { credential, credentialRecord, type CredentialRow, type tables } from '../db/schema.ts';

/** The effective statuses a reconciliation filters on (EXPIRED is derived from expires_at, as Credential.status reads it). */
export type EffectiveStatus = 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED';

export interface IssuedFilter {
  courseId: string | null;
  /** Any of these; null for every status. */
  statuses: EffectiveStatus[] | null;
  /** Issued at or after. */
  issuedAfter: Date | null;
  /** Issued before. */
  issuedBefore: Date | null;
}

/** A cursor is (issued at, id) of the last credential seen; the list runs newest first. */
function parseCursor(after: string | null | undefined): { issuedAt: string; id: string } | null {
  const key = decodeCursor(after, ['string', 'string']);
  if (!key) return null;
  const [issuedAt, id] = key as [string, string];
  if (!isUuid(id) || Number.isNaN(Date.parse(issuedAt))) {
    throw new BadInput('after is not a cursor from this list: pass the endCursor of the previous page.', { field: 'after' });
  }
  return { issuedAt, id };
}

/** Each effective status as a condition on the stored columns, at `now` (effectiveStatus in graph/credential.ts is the same rule). */
function statusCondition(status: EffectiveStatus, now: string): SQL {
  const current = sql`(${credential.expiresAt} is null or ${credential.expiresAt} > ${now}::timestamptz)`;
  switch (status) {
    case 'REVOKED':
      return eq(credential.status, 'REVOKED');
    case 'EXPIRED':
      return sql`(${credential.status} <> 'REVOKED' and ${credential.expiresAt} <= ${now}::timestamptz)`;
    default:
      return sql`(${eq(credential.status, status)} and ${current})`;
  }
}

/** issued_at exact to the microsecond, for the cursor (a JavaScript Date keeps milliseconds only). */
const exactIssuedAt = sql<string>`to_char(${credential.issuedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The credentials a provider issued, newest first, a page at a time: one
 * statement for the page over an index led by the issuer (credential_issuer_idx,
 * or its course and status companions), and one more for the count, run only
 * when the client selects totalCount. Renewed credentials are listed too:
 * each says what replaced it.
 */
export async function issuedBy(
  db: Database<typeof tables>,
  providerId: string,
  filter: IssuedFilter,
  limit: number,
  after: string | null | undefined,
): Promise<Connection<CredentialRow, Promise<number>>> {
  const cursor = parseCursor(after);
  const now = new Date().toISOString();
  const where = and(
    eq(credential.issuerId, providerId),
    filter.courseId ? eq(credential.courseId, filter.courseId) : undefined,
    filter.statuses ? or(...filter.statuses.map((s) => statusCondition(s, now))) : undefined,
    filter.issuedAfter ? gte(credential.issuedAt, filter.issuedAfter) : undefined,
    filter.issuedBefore ? lt(credential.issuedAt, filter.issuedBefore) : undefined,
  );
  const rows = await db
    .select({ ...credentialRecord, exactIssuedAt })
    .from(credential)
    .where(cursor ? and(where, sql`(${credential.issuedAt}, ${credential.id}) < (${cursor.issuedAt}::timestamptz, ${cursor.id}::uuid)`) : where)
    .orderBy(desc(credential.issuedAt), desc(credential.id))
    .limit(limit + 1);
  return toConnection(
    rows,
    limit,
    async () => (await db.select({ n: count() }).from(credential).where(where))[0]?.n ?? 0,
    (row) => [row.exactIssuedAt, row.id],
    ({ exactIssuedAt: _exact, ...row }) => row,
  );
}
