import { resultRows, type Database } from '@tauliah/core';
import { sql } from 'drizzle-orm';
import { guidanceCredential, type tables } from '../db/schema.ts';

/**
 * Rebuilds the held courses, their holders and the course pairs from scratch
 * out of the credential ledger (guidance_credential), in set-based statements
 * whatever the size: what the events maintain one credential at a time
 * (ledger.ts), to the same rows. For a bulk load that filled the ledger
 * without events (the demo and national data sets) and for operators who
 * want to recount. Run in one transaction; readers see the old counts until
 * it commits.
 */
export const REBUILD_GUIDANCE: readonly string[] = [
  'delete from learners.course_sequence',
  'delete from learners.course_holders',
  'delete from learners.held_course',
  `insert into learners.held_course (learner_id, course_id, since)
     select learner_id, course_id, min(achieved_at) from learners.guidance_credential where status = 'HELD' group by learner_id, course_id`,
  `insert into learners.course_holders (course_id, learners)
     select course_id, count(*) from learners.held_course group by course_id`,
  `insert into learners.course_sequence (course_id, next_course_id, learners)
     select a.course_id, b.course_id, count(*)
       from learners.held_course a
       join learners.held_course b on b.learner_id = a.learner_id and (a.since, a.course_id) < (b.since, b.course_id)
      group by a.course_id, b.course_id`,
];

/** Recounts every learner's held courses and the course pairs from the ledger (REBUILD_GUIDANCE), in one transaction. */
export async function rebuildGuidance(db: Database<typeof tables>): Promise<{ heldCourses: number; pairs: number }> {
  return db.transaction(async (tx) => {
    for (const statement of REBUILD_GUIDANCE) await tx.execute(sql.raw(statement));
    const [counts] = resultRows<{ held: number; pairs: number }>(
      await tx.execute(sql`select (select count(*)::int from learners.held_course) as held, (select count(*)::int from learners.course_sequence) as pairs`),
    );
    return { heldCourses: Number(counts?.held ?? 0), pairs: Number(counts?.pairs ?? 0) };
  });
}

/** One credential as a bulk load knows it, to file in the ledger without an event. */
export interface LedgerEntry {
  credentialId: string;
  learnerId: string;
  /** Null for a stacked award, which the guidance leaves out. */
  courseId: string | null;
  status: 'HELD' | 'REVOKED' | 'REPLACED';
  achievedAt: Date;
}

/** Files credentials in the ledger (those already there are left as they are) and rebuilds the counts from it. */
export async function fileCredentials(db: Database<typeof tables>, entries: LedgerEntry[]): Promise<void> {
  const rows = entries.filter((e): e is LedgerEntry & { courseId: string } => e.courseId !== null);
  for (let i = 0; i < rows.length; i += 1_000) {
    await db.insert(guidanceCredential).values(rows.slice(i, i + 1_000)).onConflictDoNothing();
  }
  await rebuildGuidance(db);
}
