import { BadInput } from '@tauliah/core';
import { z } from 'zod';
import { skillCode } from '../graph/talent-headline.ts';
import type { Loaders } from '../loaders.ts';

/** How many skills a learner may declare an interest in (the column's CHECK holds it too). */
export const MAX_INTERESTS = 10;

export const interestsSchema = z
  .array(skillCode)
  .max(MAX_INTERESTS, `may name at most ${MAX_INTERESTS} skills`)
  .transform((codes) => [...new Set(codes)]);

/**
 * The skill codes a learner chose, checked against the taxonomy (read through
 * the graph from providers, one request for all): each must name a skill in
 * use. A retired skill is refused with the skill that replaced it, so the
 * learner chooses what courses teach now.
 */
export async function checkInterests(loaders: Pick<Loaders, 'skill'>, codes: string[]): Promise<string[]> {
  const skills = await loaders.skill.loadMany(codes);
  const unknown: string[] = [];
  const retired: string[] = [];
  skills.forEach((skill, i) => {
    if (skill instanceof Error) throw skill;
    if (!skill) unknown.push(codes[i]!);
    else if (skill.retiredAt) retired.push(`${skill.code} (retired in favour of ${skill.successor?.code ?? 'another skill'})`);
  });
  if (unknown.length > 0) {
    throw new BadInput(`Unknown skill code${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}. Choose from the skills taxonomy (the skills query).`, { field: 'skillCodes' });
  }
  if (retired.length > 0) throw new BadInput(`Retired skill${retired.length === 1 ? '' : 's'}: ${retired.join(', ')}. Choose the skill in use instead.`, { field: 'skillCodes' });
  return codes;
}
