import { BadInput, decodeCursor, isUuid, toConnection, type Connection, type Database } from '@tauliah/core';
import { sql, type SQL } from 'drizzle-orm';
import type { tables } from '../db/schema.ts';
import { resultRows } from '../signing/documents.ts';

/** Skills per search: each is one bit of an int mask. */
export const MAX_TALENT_SKILLS = 20;

export interface TalentQuery {
  skills: string[];
  /** ALL: a candidate must prove every skill; ANY: at least one. */
  match: 'ALL' | 'ANY';
  minLevel: number | null;
  state: string | null;
  issuedAfter: Date | null;
}

export interface TalentRow {
  holderId: string;
  matched: number;
  /** The latest issuance among the proofs, as Postgres prints it (exact to the microsecond, for the cursor). */
  latest: string;
  /** Bit i set: the candidate proves skills[i]. */
  mask: number;
  credentialIds: string[];
  total: number;
}

/** A cursor is (skills matched, latest proof, learner id) of the last candidate seen, all descending. */
function afterCursor(after: string | null | undefined): SQL {
  const key = decodeCursor(after, ['number', 'string', 'string']);
  if (!key) return sql`true`;
  const [matched, latest, holderId] = key as [number, string, string];
  if (!isUuid(holderId) || Number.isNaN(Date.parse(latest))) {
    throw new BadInput('after is not a cursor from this list: pass the endCursor of the previous page.', { field: 'after' });
  }
  return sql`(matched, latest, holder_id) < (${matched}, ${latest}::timestamptz, ${holderId}::uuid)`;
}

/** The proofs that count now: expiry and issuer standing change without a write, so they are checked here. */
function counting(query: TalentQuery, skills: SQL): SQL {
  return sql`p.skill_code = any(${skills})
    and p.level >= ${query.minLevel ?? 0}
    and (p.expires_at is null or p.expires_at > now())
    and p.issuer_id <> all(array(select provider_id from credentials.issuer where not in_good_standing))
    ${query.state ? sql`and p.holder_state = ${query.state}` : sql``}
    ${query.issuedAfter ? sql`and p.issued_at >= ${query.issuedAfter.toISOString()}::timestamptz` : sql``}`;
}

/**
 * One page of candidates and the total, in ONE statement. ALL of several skills
 * first intersects the skills' posting lists in talent_holder_skills_idx (GIN)
 * and reads only those learners' proofs (talent_proof_holder_idx); ANY, and a
 * single skill, read one range of talent_proof_search_idx (skill, level >=
 * minLevel) per skill from the index alone. Proofs are folded per learner in
 * one hash aggregate into a bit mask of the skills proved (no per-group sorts),
 * ranked by how many bits are set, then by the latest proof. Only the page's
 * learners have their proving credentials listed (talent_proof_holder_idx).
 */
export async function searchTalent(db: Database<typeof tables>, query: TalentQuery, limit: number, after: string | null | undefined): Promise<Connection<TalentRow>> {
  const skills = sql`array[${sql.join(query.skills.map((s) => sql`${s}`), sql`, `)}]::text[]`;
  const bit = sql`bit_or(1 << (array_position(${skills}, p.skill_code) - 1))`;
  const proves = query.match === 'ALL' ? sql`${bit} = ${2 ** query.skills.length - 1}` : sql`true`;
  const rows = resultRows<TalentRow>(
    await db.execute(sql`
      with candidate as (
        select p.holder_id, ${bit} as mask, max(p.issued_at) as latest
        from credentials.talent_proof p
        where ${counting(query, skills)}
          ${query.match === 'ALL' && query.skills.length > 1 ? sql`and p.holder_id in (select holder_id from credentials.talent_holder where skills @> ${skills})` : sql``}
        group by p.holder_id
        having ${proves}
      ), ranked as (
        select holder_id, mask, bit_count(mask::bit(32))::int as matched, latest from candidate
      ), page as (
        select * from ranked
        where ${afterCursor(after)}
        order by matched desc, latest desc, holder_id desc
        limit ${limit + 1}
      )
      select page.holder_id as "holderId", page.matched, page.latest::text as latest, page.mask,
             array(select p.credential_id from credentials.talent_proof p where p.holder_id = page.holder_id and ${counting(query, skills)}) as "credentialIds",
             (select count(*) from candidate)::int as total
      from page
      order by page.matched desc, page.latest desc, page.holder_id desc`),
  );
  const total = rows[0]?.total ?? (after ? (await searchTalent(db, query, 1, null)).totalCount : 0);
  return toConnection(rows, limit, total, (r) => [r.matched, r.latest, r.holderId], (r) => r);
}

/** The requested skills a candidate proves, from its mask. */
export const skillsOfMask = (skills: string[], mask: number) => skills.filter((_, i) => (mask & (1 << i)) !== 0);
