import { resultRows, type Database, type EventData, type EventEnvelope, type skillRetiredEvent } from '@tauliah/core';
import { sql } from 'drizzle-orm';
import { skillSuccession, type tables } from '../db/schema.ts';

type SkillRetiredEvent = EventEnvelope<EventData<typeof skillRetiredEvent>>;

/** The durable consumer's name on the broker. */
export const SKILL_RETIRED_CONSUMER = 'credentials-skill-retired';

export interface SuccessionApplied {
  /** False for an event no newer than the one stored for its code (a redelivery, or one overtaken). */
  applied: boolean;
  /** Retired codes whose chain of successors runs through this one into a loop (bad data): each counts only as itself. */
  looping: string[];
}

/**
 * Where each retired code's chain of successors ends, worked out again for the
 * whole table from the successions stored: A for B and B for C makes A count
 * as C, whatever order the events came in. A chain that comes back to a code
 * it passed (A for B, B for A) stops there, and every code whose chain does
 * so counts only as itself: a loop merges no skills and never runs forever.
 * The taxonomy's retirements are few (thousands at most) and rare, so the
 * whole table costs less to resolve than to reason about which part changed.
 */
const resolveChains = (retiredCode: string) => sql`
  with recursive walk(code, reached, passed, looped) as (
    select code, successor_code, array[code], successor_code = code
    from credentials.skill_succession
    union all
    select w.code, s.successor_code, w.passed || w.reached, s.successor_code = any(w.passed || w.reached)
    from walk w
    join credentials.skill_succession s on s.code = w.reached
    where not w.looped
  ),
  resolved as (
    select w.code, bool_or(w.looped) as looped,
           case when bool_or(w.looped) then w.code else max(w.reached) filter (where s.code is null) end as current_code
    from walk w
    left join credentials.skill_succession s on s.code = w.reached
    group by w.code
  ),
  changed as (
    update credentials.skill_succession t
    set current_code = r.current_code, updated_at = now()
    from resolved r
    where r.code = t.code and t.current_code <> r.current_code
  )
  select r.code from resolved r
  where r.looped and exists (select 1 from walk w where w.code = r.code and (w.code = ${retiredCode} or w.reached = ${retiredCode}))
  order by r.code`;

/**
 * Records that a skill was retired in favour of another, in one transaction:
 * the succession (for any code, known here or not: a credential may name it
 * later) and where every chain of successors now ends. An event no newer than
 * the one stored for its code (a redelivery, or one a later retirement of the
 * same code overtook) changes nothing. Transactions applying retirements take
 * turns (the table lock), so two chains resolved at once cannot each miss the
 * other's link; searches and gaps keep reading meanwhile.
 */
export async function applySkillRetired(db: Database<typeof tables>, event: SkillRetiredEvent): Promise<SuccessionApplied> {
  const { code, successorCode } = event.data;
  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table credentials.skill_succession in share row exclusive mode`);
    const applied = await tx
      .insert(skillSuccession)
      .values({ code, successorCode, currentCode: successorCode, version: event.version, retiredAt: new Date(event.occurredAt) })
      .onConflictDoUpdate({
        target: skillSuccession.code,
        set: { successorCode, version: event.version, retiredAt: new Date(event.occurredAt), updatedAt: sql`now()` },
        setWhere: sql`${skillSuccession.version} < ${event.version}`,
      })
      .returning({ code: skillSuccession.code });
    if (applied.length === 0) return { applied: false, looping: [] };
    const looping = resultRows<{ code: string }>(await tx.execute(resolveChains(code))).map((r) => r.code);
    return { applied: true, looping };
  });
}
