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
  const { skills } = await readOnce<{ skills: Array<{ code: string; successor: { code: string } | null }> }>(
    graph,
    'the skills taxonomy',
    '{ skills(includeRetired: true) { code successor { code } } }',
  );
  const byCode = new Map(skills.map((s) => [s.code, s]));
  const unknown = codes.filter((code) => !byCode.has(code));
  if (unknown.length > 0) {
    throw new BadInput(`input.requiredSkills: unknown skill ${unknown.join(', ')}: use a code of the skills taxonomy.`, { field: 'input.requiredSkills', unknown });
  }
  const retired = codes.flatMap((code) => {
    const successor = byCode.get(code)!.successor;
    return successor ? [{ code, successor: successor.code }] : [];
  });
  if (retired.length > 0) {
    const named = retired.map((r) => `${r.code} (use ${r.successor})`).join(', ');
    throw new BadInput(`input.requiredSkills: retired skill ${named}: a job role requires skills in use.`, { field: 'input.requiredSkills', retired });
  }
}
