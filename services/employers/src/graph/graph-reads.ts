import { BadInput, type InternalGraph } from '@tauliah/core';
import { GraphQLError } from 'graphql';

/**
 * The codes among these that the providers' skills taxonomy does not know,
 * read from the graph as the caller (one call; the taxonomy is public and small).
 */
export async function assertSkillsExist(graph: InternalGraph, codes: string[]): Promise<void> {
  const answer = await graph.query<{ skills: Array<{ code: string }> }>('{ skills { code } }');
  if (!answer.data || answer.errors.length > 0) {
    throw new GraphQLError(`Reading the skills taxonomy failed: ${answer.errors.map((e) => e.message).join('; ')}`);
  }
  const known = new Set(answer.data.skills.map((s) => s.code));
  const unknown = codes.filter((code) => !known.has(code));
  if (unknown.length > 0) {
    throw new BadInput(`input.requiredSkills: unknown skill ${unknown.join(', ')}: use a code of the skills taxonomy.`, { field: 'input.requiredSkills', unknown });
  }
}

/** Whether the caller can see this course in the catalogue (unknown and unpublished courses are NOT_FOUND to it). */
export async function courseVisible(graph: InternalGraph, courseId: string): Promise<boolean> {
  const answer = await graph.query<{ course: { id: string } | null }>('query($id: ID!) { course(id: $id) { id } }', { id: courseId });
  if (answer.data?.course) return true;
  if (answer.errors.every((e) => e.extensions?.code === 'NOT_FOUND')) return false;
  throw new GraphQLError(`Reading the course failed: ${answer.errors.map((e) => e.message).join('; ')}`);
}
