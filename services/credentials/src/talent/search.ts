import { BadInput, decodeCursor, isUuid, resultRows, sqlArray, toConnection, type Connection, type Database } from '@tauliah/core';
import { sql, type SQL } from 'drizzle-orm';
import type { tables } from '../db/schema.ts';

/** Skills per search: each is one bit of an int mask. */
export const MAX_TALENT_SKILLS = 20;

/** A requested skill in use, and every code a credential may name to prove it (itself and the codes retired for it). */
export interface TalentSkill {
  code: string;
  provenBy: string[];
}

export interface TalentQuery {
  /** Distinct skills in use (talent/successions.ts): no code proves two of them. */
  skills: TalentSkill[];
  /** ALL: a candidate must prove every skill; ANY: at least one. */
  match: 'ALL' | 'ANY';
  minLevel: number | null;
  state: string | null;
  issuedAfter: Date | null;
}

export interface TalentRow {
  holderId: string;
  /** Every candidate's number, when the page came from the tier that holds them all. */
  total?: number;
  matched: number;
  /** The latest issuance among the proofs, as Postgres prints it (exact to the microsecond, for the cursor). */
  latest: string;
  /** Bit i set: the candidate proves skills[i]. */
  mask: number;
  credentialIds: string[];
}

type Cursor = { matched: number; latest: string; holderId: string };

/** A cursor is (skills matched, latest proof, learner id) of the last candidate seen, all descending. */
function parseCursor(after: string | null | undefined): Cursor | null {
  const key = decodeCursor(after, ['number', 'string', 'string']);
  if (!key) return null;
  const [matched, latest, holderId] = key as [number, string, string];
  if (!isUuid(holderId) || Number.isNaN(Date.parse(latest))) {
    throw new BadInput('after is not a cursor from this list: pass the endCursor of the previous page.', { field: 'after' });
  }
  return { matched, latest, holderId };
}

/**
 * The codes a search matches, each with the bit of the requested skill it
 * proves: a credential naming a retired code proves the skill it was retired
 * for, so a proof's bit is looked up by its code, not by its position among
 * the requested skills. The codes of two requested skills never overlap
 * (each names the skill in use it stands for), so one bit per code suffices.
 */
interface Matching {
  codes: SQL;
  bits: SQL;
}

function matching(query: TalentQuery): Matching {
  const codes = query.skills.flatMap((skill) => skill.provenBy);
  const bits = query.skills.flatMap((skill, i) => skill.provenBy.map(() => 1 << i));
  // Bits are integers computed here, never input: written as a literal array so both drivers read them alike.
  return { codes: sqlArray(codes, 'text'), bits: sql.raw(`('{${bits.join(',')}}'::int[])`) };
}

/**
 * Learners in talent_holder who prove every one of these skills: all the
 * codes of skills with one code at once (@>), then any code of each skill
 * that has several (&&); both are answered by talent_holder_skills_idx.
 */
function provesEvery(skills: TalentSkill[]): SQL {
  const single = skills.filter((skill) => skill.provenBy.length === 1).map((skill) => skill.code);
  const several = skills.filter((skill) => skill.provenBy.length > 1).map((skill) => sql`skills && ${sqlArray(skill.provenBy, 'text')}`);
  return sql.join([...(single.length > 0 ? [sql`skills @> ${sqlArray(single, 'text')}`] : []), ...several], sql` and `);
}

/**
 * The proofs that count now: expiry and issuer standing change without a write, so they are checked here.
 * A suspended issuer's proofs issued before its suspension still count (a hash anti-join over the few issuers not in good standing).
 */
function counting(query: TalentQuery, codes: SQL): SQL {
  return sql`p.skill_code = any(${codes})
    and p.level >= ${query.minLevel ?? 0}
    and (p.expires_at is null or p.expires_at > now())
    and not exists (select 1 from credentials.issuer i where i.provider_id = p.issuer_id and not i.in_good_standing and p.issued_at >= coalesce(i.suspended_at, '-infinity'))
    ${query.state ? sql`and p.holder_state = ${query.state}` : sql``}
    ${query.issuedAfter ? sql`and p.issued_at >= ${query.issuedAfter.toISOString()}::timestamptz` : sql``}`;
}

/**
 * Candidates as (holder, mask of the requested skills proved, latest proof),
 * keeping those who prove at least `least` of the skills.
 * - All of them: first intersect the skills' posting lists in
 *   talent_holder_skills_idx (GIN), so that only those learners' proofs are
 *   read (talent_proof_holder_idx): a few dozen at national scale.
 * - All but one (three or more skills): the union of the k intersections that
 *   leave one skill out, again from the GIN index: a few thousand.
 * - At least one: one range of talent_proof_search_idx (skill, level >=
 *   minLevel) per skill, from the index alone: every holder of every skill.
 * talent_holder is a superset by design (expiry, standing, level, state and
 * date are checked on the proofs), so each narrowing loses no one. Proofs fold
 * per learner in one hash aggregate (no per-group sorts).
 */
function candidates(query: TalentQuery, match: Matching, least: number): SQL {
  const k = query.skills.length;
  const bit = sql`bit_or(${match.bits}[array_position(${match.codes}, p.skill_code)])`;
  let narrowing = sql``;
  if (least === k && k > 1) {
    narrowing = sql`and p.holder_id in (select holder_id from credentials.talent_holder where ${provesEvery(query.skills)})`;
  } else if (least === k - 1 && least > 1) {
    const allButOne = query.skills.map((_, out) => sql`(${provesEvery(query.skills.filter((__, i) => i !== out))})`);
    narrowing = sql`and p.holder_id in (select holder_id from credentials.talent_holder where ${sql.join(allButOne, sql` or `)})`;
  }
  return sql`
    select p.holder_id, ${bit} as mask, max(p.issued_at) as latest
    from credentials.talent_proof p
    where ${counting(query, match.codes)} ${narrowing}
    group by p.holder_id
    ${least === k ? sql`having ${bit} = ${2 ** k - 1}` : least > 1 ? sql`having bit_count(${bit}::bit(32)) >= ${least}` : sql``}`;
}

/**
 * One page of candidates ranked by skills matched, then the latest proof, with
 * the page's proving credentials, and, for the tier that holds every
 * candidate, their number (the statement has folded them all anyway): one statement.
 */
async function pageOf(db: Database<typeof tables>, query: TalentQuery, match: Matching, least: number, limit: number, after: Cursor | null, counted: boolean) {
  const cursor = after ? sql`(matched, latest, holder_id) < (${after.matched}, ${after.latest}::timestamptz, ${after.holderId}::uuid)` : sql`true`;
  return resultRows<TalentRow>(
    await db.execute(sql`
      with candidate as (${candidates(query, match, least)}),
      ranked as (select holder_id, mask, bit_count(mask::bit(32))::int as matched, latest from candidate),
      page as (
        select * from ranked
        where ${cursor}
        order by matched desc, latest desc, holder_id desc
        limit ${limit + 1}
      )
      select page.holder_id as "holderId", page.matched, page.latest::text as latest, page.mask,
             array(select p.credential_id from credentials.talent_proof p where p.holder_id = page.holder_id and ${counting(query, match.codes)}) as "credentialIds"
             ${counted ? sql`, (select count(*) from candidate)::int as total` : sql``}
      from page
      order by page.matched desc, page.latest desc, page.holder_id desc`),
  );
}

async function countOf(db: Database<typeof tables>, query: TalentQuery, match: Matching, least: number): Promise<number> {
  const [row] = resultRows<{ total: number }>(await db.execute(sql`select count(*)::int as total from (${candidates(query, match, least)}) c`));
  return row?.total ?? 0;
}

/**
 * One page of candidates. ALL is one statement over the learners who prove
 * every skill. ANY ranks by coverage, so it walks down tiers, each one
 * statement, and stops at the first that fills the page: those who prove
 * every skill, then (with three or more skills) those who prove all but one,
 * and only then every holder of any of the skills, a statement that grows with
 * their popularity. A cursor skips the tiers it is already past. The count
 * comes with the page when the page's tier holds every candidate (ALL, and ANY
 * once it folds everyone); otherwise it is its own statement, run only when the
 * client asks for totalCount.
 */
export async function searchTalent(db: Database<typeof tables>, query: TalentQuery, limit: number, after: string | null | undefined): Promise<Connection<TalentRow, Promise<number>>> {
  const match = matching(query);
  const cursor = parseCursor(after);
  const k = query.skills.length;
  const tiers = query.match === 'ALL' || k === 1 ? [k] : [...new Set([k, Math.max(k - 1, 1), 1])];
  const everyone = tiers.at(-1)!;
  let rows: TalentRow[] = [];
  for (const least of tiers) {
    // Past the cursor, nobody is left who proves more skills than its candidate did.
    if (cursor && cursor.matched < least && least !== everyone) continue;
    rows = await pageOf(db, query, match, least, limit, cursor, least === everyone);
    if (rows.length > limit) break;
  }
  // No rows means the last tier, which holds everyone, ran and found nobody: without a cursor, there is nobody to count.
  const total = rows.length === 0 && !cursor ? 0 : rows[0]?.total;
  return toConnection(rows, limit, async () => total ?? countOf(db, query, match, everyone), (r) => [r.matched, r.latest, r.holderId], (r) => r);
}

/** The requested skills (in use) a candidate proves, from its mask. */
export const skillsOfMask = (skills: TalentSkill[], mask: number) => skills.filter((_, i) => (mask & (1 << i)) !== 0).map((skill) => skill.code);
