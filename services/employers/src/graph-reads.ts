import { BadInput, readEach, readOnce, type InternalGraph } from '@tauliah/core';

/** Courses as the caller sees them in the catalogue: unknown and unpublished ones are absent to it. */
export const VISIBLE_COURSES = readEach<{ id: string }>({
  what: 'the courses',
  field: 'course',
  argument: 'id',
  argumentType: 'ID!',
  selection: 'id',
});

/** Refuses codes the providers' skills taxonomy does not know (read whole, as the caller: it is public and small). */
export async function assertSkillsExist(graph: InternalGraph, codes: string[]): Promise<void> {
  const { skills } = await readOnce<{ skills: Array<{ code: string }> }>(graph, 'the skills taxonomy', '{ skills { code } }');
  const known = new Set(skills.map((s) => s.code));
  const unknown = codes.filter((code) => !known.has(code));
  if (unknown.length > 0) {
    throw new BadInput(`input.requiredSkills: unknown skill ${unknown.join(', ')}: use a code of the skills taxonomy.`, { field: 'input.requiredSkills', unknown });
  }
}
