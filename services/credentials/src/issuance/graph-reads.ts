import type { InternalGraph } from '@tauliah/core';
import { GraphQLError } from 'graphql';
import type { CourseSnapshot } from '../signing/documents.ts';

export interface IssuableCourse extends CourseSnapshot {
  validityMonths: number | null;
  status: 'DRAFT' | 'PUBLISHED' | 'RETIRED';
  provider: { id: string; name: string; website: string | null; inGoodStanding: boolean };
}

const COURSE_FIELDS = 'id code title description credits mqfLevel learningOutcomes validityMonths status skills { code name } provider { id name website inGoodStanding }';

/**
 * The courses of a cohort as the caller may see them, in one graph call
 * (aliases): a course the caller may not see, or that does not exist, is
 * absent. `course` is non-null, so one NOT_FOUND empties the answer: ask again
 * without the courses that failed (at most once per unknown course).
 */
export async function readCourses(graph: InternalGraph, ids: string[]): Promise<Map<string, IssuableCourse>> {
  const found = new Map<string, IssuableCourse>();
  let pending = [...ids];
  while (pending.length > 0) {
    const aliases = pending.map((id, i) => ({ id, alias: `c${i}` }));
    const query = `query(${aliases.map((a) => `$${a.alias}: ID!`).join(', ')}) { ${aliases.map((a) => `${a.alias}: course(id: $${a.alias}) { ${COURSE_FIELDS} }`).join(' ')} }`;
    const answer = await graph.query<Record<string, IssuableCourse | null>>(query, Object.fromEntries(aliases.map((a) => [a.alias, a.id])));
    const failed = new Set(answer.errors.map((e) => e.path?.[0]).filter((p): p is string => typeof p === 'string'));
    const unexplained = answer.errors.filter((e) => typeof e.path?.[0] !== 'string' || e.extensions?.code !== 'NOT_FOUND');
    if (unexplained.length > 0) throw new GraphQLError(`Reading the courses failed: ${unexplained.map((e) => e.message).join('; ')}`);
    for (const { id, alias } of aliases) {
      const course = answer.data?.[alias];
      if (course) found.set(id, course);
    }
    pending = answer.data ? [] : aliases.filter((a) => !failed.has(a.alias)).map((a) => a.id);
  }
  return found;
}

/**
 * Which of these learners exist, asked as the caller: one call for a whole
 * cohort. Only their ids: nothing read here reaches talent search, whose state
 * filter knows only what the learner chose to share (learner_residence).
 */
export async function knownLearners(graph: InternalGraph, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const answer = await graph.query<{ learners: Array<{ id: string } | null> }>('query($ids: [ID!]!) { learners(ids: $ids) { id } }', { ids });
  if (answer.errors.length > 0 || !answer.data) throw new GraphQLError(`Reading the learners failed: ${answer.errors.map((e) => e.message).join('; ')}`);
  return new Set(answer.data.learners.filter((l): l is { id: string } => l !== null).map((l) => l.id));
}
