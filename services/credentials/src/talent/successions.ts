import { resultRows, sqlArray, type Database } from '@tauliah/core';
import DataLoader from 'dataloader';
import { sql } from 'drizzle-orm';
import type { tables } from '../db/schema.ts';

/**
 * A skill as matching sees it once retirements are followed
 * (credentials.skill_succession, from the providers service's events).
 */
export interface SkillInUse {
  /** The code asked about. */
  code: string;
  /** The skill in use it stands for: the end of its chain of successors, or itself when not retired. */
  current: string;
  /** Every code a credential may name to prove it: the skill in use and each code retired in its favour, sorted. */
  provenBy: string[];
}

/**
 * Each code with the skill in use it stands for and every code that proves
 * that skill, in one small indexed statement (skill_succession_current_idx):
 * talent search and skills gaps expand the codes they match with it, so the
 * talent proofs keep the codes credentials were issued with and nothing is
 * rewritten when a skill retires.
 */
export async function skillsInUse(db: Pick<Database<typeof tables>, 'execute'>, codes: readonly string[]): Promise<Map<string, SkillInUse>> {
  const wanted = [...new Set(codes)];
  if (wanted.length === 0) return new Map();
  const rows = resultRows<{ code: string; current: string; retired: string[] }>(
    await db.execute(sql`
      select asked.code, asked.current,
             array(select o.code from credentials.skill_succession o where o.current_code = asked.current) as retired
      from (
        select r.code, coalesce(s.current_code, r.code) as current
        from unnest(${sqlArray(wanted, 'text')}) as r(code)
        left join credentials.skill_succession s on s.code = r.code
      ) asked`),
  );
  return new Map(rows.map((r) => [r.code, { code: r.code, current: r.current, provenBy: [...new Set([r.current, ...r.retired])].sort() }]));
}

/** skillsInUse per request: every code a response matches, in one statement. */
export function skillInUseLoader(db: Pick<Database<typeof tables>, 'execute'>): DataLoader<string, SkillInUse> {
  return new DataLoader<string, SkillInUse>(
    async (codes) => {
      const found = await skillsInUse(db, codes);
      return codes.map((code) => found.get(code) ?? { code, current: code, provenBy: [code] });
    },
    { maxBatchSize: 10_000 },
  );
}
