import { exitAwardTypeOf, pathwayDefinedEvent, recordEvents, type EventData, type Transaction } from '@tauliah/core';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { creditRecognition, outbox, pathway, pathwayStage, stageCourse, type tables } from '../db/schema.ts';

type Tx = Transaction<typeof tables>;
type Definition = EventData<typeof pathwayDefinedEvent>;

/**
 * Records providers.pathway.defined for each of these pathways, as they now
 * stand, in the caller's transaction (the one that changed them). Each
 * pathway row is locked first, so two changes to one pathway announce in the
 * order they commit: the later change waits, reads what the earlier one
 * committed, and takes the higher outbox position (the version consumers keep
 * the highest of). Every stage course is named, drafts too: the definition,
 * not one viewer's view of it.
 */
export async function announcePathways(tx: Tx, pathwayIds: string[]): Promise<void> {
  const ids = [...new Set(pathwayIds)].sort();
  if (ids.length === 0) return;
  const rows = await tx.select().from(pathway).where(inArray(pathway.id, ids)).orderBy(asc(pathway.id)).for('update');
  if (rows.length === 0) return;
  const stages = await tx.select().from(pathwayStage).where(inArray(pathwayStage.pathwayId, ids)).orderBy(asc(pathwayStage.position));
  const courses = stages.length
    ? await tx.select().from(stageCourse).where(inArray(stageCourse.stageId, stages.map((s) => s.id))).orderBy(asc(stageCourse.position))
    : [];
  const recognitions = await tx
    .selectDistinct({ pathwayId: pathwayStage.pathwayId, courseId: creditRecognition.courseId, recognisedCourseId: creditRecognition.recognisedCourseId, creditsGranted: creditRecognition.creditsGranted, approvedAt: creditRecognition.approvedAt, id: creditRecognition.id })
    .from(creditRecognition)
    .innerJoin(stageCourse, eq(stageCourse.courseId, creditRecognition.courseId))
    .innerJoin(pathwayStage, eq(pathwayStage.id, stageCourse.stageId))
    .where(and(inArray(pathwayStage.pathwayId, ids), isNull(creditRecognition.withdrawnAt)))
    .orderBy(asc(pathwayStage.pathwayId), asc(creditRecognition.approvedAt), asc(creditRecognition.id));
  const definedAt = new Date().toISOString();
  const definitions = rows.map(
    (row): Definition => ({
      pathwayId: row.id,
      providerId: row.providerId,
      code: row.code,
      title: row.title,
      targetProgramme: row.targetProgramme,
      targetProgrammeCredits: row.targetProgrammeCredits,
      apelThresholdPercent: row.apelThresholdPercent,
      stages: stages
        .filter((s) => s.pathwayId === row.id)
        .map((s) => {
          const own = courses.filter((c) => c.stageId === s.id);
          return {
            position: s.position,
            title: s.title,
            exitAward: s.exitAward,
            awardType: exitAwardTypeOf(s.exitAward),
            exitJobRoleTitle: s.exitJobRoleTitle,
            minimumCredits: s.minimumCredits,
            requiredCourseIds: own.filter((c) => c.kind === 'REQUIRED').map((c) => c.courseId),
            electiveCourseIds: own.filter((c) => c.kind === 'ELECTIVE').map((c) => c.courseId),
          };
        }),
      recognitions: recognitions
        .filter((r) => r.pathwayId === row.id)
        .map((r) => ({ courseId: r.courseId, recognisedCourseId: r.recognisedCourseId, creditsGranted: r.creditsGranted })),
      definedAt,
    }),
  );
  await recordEvents(tx, outbox, pathwayDefinedEvent, definitions);
}

/** The pathways with a stage naming this course: those a recognition towards it changes. */
export async function pathwaysNaming(tx: Tx, courseId: string): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ pathwayId: pathwayStage.pathwayId })
    .from(stageCourse)
    .innerJoin(pathwayStage, eq(pathwayStage.id, stageCourse.stageId))
    .where(eq(stageCourse.courseId, sql`${courseId}::uuid`));
  return rows.map((r) => r.pathwayId);
}
