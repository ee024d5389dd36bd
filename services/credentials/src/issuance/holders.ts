import { sqlArray, type Database } from '@tauliah/core';
import { and, sql } from 'drizzle-orm';
import type { Context } from '../context.ts';
import { credential, type tables } from '../db/schema.ts';
import { learnersKnownFromEvents } from '../events/learner-residence.ts';

/*
 * Who the rows of an issuance name, and what they already hold: read before
 * the write, outside its transaction.
 */

/** Every key's value, or the first error (a graph that cannot answer fails the whole cohort before anything is written). */
export async function loadAll<V>(loader: { loadMany(keys: readonly string[]): Promise<Array<V | Error>> }, keys: string[]): Promise<V[]> {
  const values = await loader.loadMany(keys);
  const failed = values.find((v): v is Error => v instanceof Error);
  if (failed) throw failed;
  return values as V[];
}

/**
 * Which of these learners exist: learners the learners service's events told
 * us about need no graph call (it announces every learner it registers); the
 * rest are read from the graph as the caller.
 */
export async function existingLearners(context: Pick<Context, 'db' | 'loaders'>, ids: string[]): Promise<Set<string>> {
  const known = await learnersKnownFromEvents(context.db, ids);
  const rest = ids.filter((id) => !known.has(id));
  const read = await loadAll(context.loaders.knownLearner, rest);
  return new Set([...known, ...rest.filter((_, i) => read[i])]);
}

/**
 * The learner each of the caller's student numbers names, read through the
 * graph as the caller: the learners service answers only its own provider's
 * active enrolments, so a number missing from the map is unknown to the
 * caller, whoever else may use it.
 */
export async function learnersByStudentNumber(context: Pick<Context, 'loaders'>, studentNumbers: string[]): Promise<Map<string, string>> {
  const learners = await loadAll(context.loaders.learnerByStudentNumber, studentNumbers);
  return new Map(studentNumbers.flatMap((number, i) => (learners[i] ? [[number, learners[i].learner.id] as const] : [])));
}

/** The statuses in which a credential still counts for its learner and course (credential_one_per_course_idx). */
export const COUNTS_FOR_ITS_COURSE = sql`${credential.status} in ('ACTIVE', 'SUSPENDED') and ${credential.replacedBy} is null`;

export const pairOf = (learnerId: string, courseId: string) => `${learnerId}:${courseId}`;

/**
 * The credential each learner already holds for each course, among these
 * learners and courses, by pairOf: one statement over the one-per-course
 * index. A revoked credential, or one a renewal replaced, no longer counts.
 */
export async function heldCredentials(db: Pick<Database<typeof tables>, 'select'>, learnerIds: string[], courseIds: string[]): Promise<Map<string, string>> {
  if (learnerIds.length === 0 || courseIds.length === 0) return new Map();
  const rows = await db
    .select({ id: credential.id, holderId: credential.holderId, courseId: credential.courseId })
    .from(credential)
    .where(
      and(
        sql`${credential.holderId} = any(${sqlArray([...new Set(learnerIds)], 'uuid')})`,
        sql`${credential.courseId} = any(${sqlArray([...new Set(courseIds)], 'uuid')})`,
        COUNTS_FOR_ITS_COURSE,
      ),
    );
  // Every row names a course: the statement matched on it.
  return new Map(rows.map((r) => [pairOf(r.holderId, r.courseId!), r.id]));
}
