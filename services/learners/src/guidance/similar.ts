import { resultRows, sqlArray, type Database } from '@tauliah/core';
import { sql } from 'drizzle-orm';
import type { tables } from '../db/schema.ts';

/**
 * The fewest learners a "went on to complete" figure may count: below it, a
 * figure could point at one person's credentials (a derived answer must not
 * tell a learner what they could not read directly), so it is not shown.
 */
export const MIN_SIMILAR_LEARNERS = 3;
/** How many of each held course's most-taken next courses are considered. */
const NEXT_PER_HELD_COURSE = 10;

/** Learners who hold `courseId` (of `holders` who hold it) and went on to complete `nextCourseId`. */
export interface CourseSequence {
  courseId: string;
  nextCourseId: string;
  learners: number;
  holders: number;
}

export interface SimilarLearners {
  /** The courses the learner holds, as the guidance heard of them from credential events. */
  held: string[];
  /** The most-taken next courses of those, over other learners, those the learner holds left out. */
  sequences: CourseSequence[];
}

type Db = Pick<Database<typeof tables>, 'execute'>;

/**
 * What learners holding the same courses as this learner went on to complete,
 * in one statement: each held course's most-taken next courses (an index
 * range each), with how many hold that course.
 */
export async function similarLearners(db: Db, learnerId: string): Promise<SimilarLearners> {
  const rows = resultRows<{ held: string; next: string | null; learners: number | null; holders: number | null }>(
    await db.execute(sql`
      with held as (select course_id from learners.held_course where learner_id = ${learnerId})
      select h.course_id as held, n.next_course_id as next, n.learners, c.learners as holders
        from held h
        left join lateral (
          select s.next_course_id, s.learners from learners.course_sequence s
           where s.course_id = h.course_id and s.learners >= ${MIN_SIMILAR_LEARNERS}
             and s.next_course_id not in (select course_id from held)
           order by s.learners desc, s.next_course_id
           limit ${NEXT_PER_HELD_COURSE}) n on true
        left join learners.course_holders c on c.course_id = h.course_id`),
  );
  const held = [...new Set(rows.map((r) => r.held))];
  const sequences = rows
    .filter((r) => r.next !== null)
    .map((r) => ({ courseId: r.held, nextCourseId: r.next!, learners: Number(r.learners), holders: Number(r.holders ?? r.learners) }));
  return { held, sequences };
}

/** How many learners went from each held course to each of these courses (those at MIN_SIMILAR_LEARNERS or more), in one statement. */
export async function sequencesTo(db: Db, held: string[], courseIds: string[]): Promise<CourseSequence[]> {
  if (held.length === 0 || courseIds.length === 0) return [];
  const rows = resultRows<{ course_id: string; next_course_id: string; learners: number; holders: number }>(
    await db.execute(sql`
      select s.course_id, s.next_course_id, s.learners, c.learners as holders
        from learners.course_sequence s join learners.course_holders c on c.course_id = s.course_id
       where s.course_id = any(${sqlArray(held, 'uuid')}) and s.next_course_id = any(${sqlArray(courseIds, 'uuid')})
         and s.learners >= ${MIN_SIMILAR_LEARNERS}`),
  );
  return rows.map((r) => ({ courseId: r.course_id, nextCourseId: r.next_course_id, learners: Number(r.learners), holders: Number(r.holders) }));
}
