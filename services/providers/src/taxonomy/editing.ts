import { BadInput, Conflict, isUniqueViolation, NotFound, recordEvent, skillRetiredEvent, type Database } from '@tauliah/core';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { outbox, skill, type SkillRow, type tables } from '../db/schema.ts';
import type { ValidSkill } from '../graph/skill.inputs.ts';

type Db = Database<typeof tables>;

/**
 * The skills taxonomy as platform administrators keep it: skills are added,
 * renamed or re-described, and retired in favour of a successor in use.
 * Codes are never reused: credentials, job roles and events name skills by
 * code for good.
 */

export async function addSkill(db: Db, code: string, valid: ValidSkill): Promise<SkillRow> {
  try {
    const [row] = await db.insert(skill).values({ code, ...referenceValues(valid), name: valid.name, description: valid.description }).returning();
    return row!;
  } catch (error) {
    if (!isUniqueViolation(error, 'skill_pkey')) throw error;
    throw new Conflict(`The taxonomy already has a skill ${code} (codes are never reused, even once retired): choose another code, or change that skill with updateSkill.`, {
      field: 'input.code',
    });
  }
}

/** Renames, re-describes or re-references a skill in use; a retired skill is frozen, as credentials and events name it. */
export async function updateSkill(db: Db, existing: SkillRow, valid: ValidSkill): Promise<SkillRow> {
  const [row] = await db
    .update(skill)
    .set({ name: valid.name, description: valid.description, ...referenceValues(valid) })
    .where(and(eq(skill.code, existing.code), isNull(skill.retiredAt)))
    .returning();
  if (!row) throw retiredAlready(existing.code);
  return row;
}

export function retiredAlready(code: string): Conflict {
  return new Conflict(`Skill ${code} is retired, and a retired skill no longer changes.`);
}

/**
 * Retires a skill in favour of a successor in use, and records skill.retired
 * in the same transaction. Both rows are locked, in code order, before they
 * are checked, so two retirements naming each other cannot both pass (no
 * cycle): the second finds its successor retired. Retiring again in favour of
 * the same successor answers the skill; another successor is a CONFLICT.
 */
export async function retireSkill(db: Db, code: string, successorCode: string): Promise<SkillRow> {
  if (code === successorCode) throw new BadInput('successorCode must name another skill than the one retired.', { field: 'successorCode' });
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(skill)
      .where(inArray(skill.code, [code, successorCode]))
      .orderBy(asc(skill.code))
      .for('update');
    const retiring = rows.find((row) => row.code === code);
    const successor = rows.find((row) => row.code === successorCode);
    if (!retiring) throw new NotFound('Skill', code);
    if (retiring.successorCode !== null) {
      if (retiring.successorCode === successorCode) return retiring;
      throw new Conflict(`Skill ${code} was already retired in favour of ${retiring.successorCode}; a retirement is not changed.`, { successorCode: retiring.successorCode });
    }
    if (!successor) throw new BadInput(`successorCode ${successorCode} names no skill of the taxonomy: add it first, or name another.`, { field: 'successorCode' });
    if (successor.successorCode !== null) {
      throw new BadInput(`successorCode ${successorCode} is itself retired (in favour of ${successor.successorCode}): name a skill in use.`, {
        field: 'successorCode',
      });
    }
    const [retired] = await tx.update(skill).set({ retiredAt: sql`now()`, successorCode }).where(eq(skill.code, code)).returning();
    await recordEvent(tx, outbox, skillRetiredEvent, { code, successorCode });
    return retired!;
  });
}

const referenceValues = (valid: ValidSkill) => ({ framework: valid.framework ?? null, frameworkReference: valid.frameworkReference ?? null });
