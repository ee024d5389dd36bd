import { Conflict, isUniqueViolation } from '@tauliah/core';
import { eq, inArray } from 'drizzle-orm';
import type { Context } from '../context.ts';
import { course, pathway, pathwayStage, stageCourse, type CourseRow, type PathwayRow } from '../db/schema.ts';
import type { ValidPathway } from '../graph/pathway.inputs.ts';
import { assertNoProblems, type Problem } from '../graph/problems.ts';
import { canSeeCourse } from '../policy.ts';
import { announcePathways } from './announce.ts';

/** Every course named exists (for this viewer); electives carry credits, enough to reach the stage's minimum. */
export async function assertCourses(valid: ValidPathway, { db, viewer }: Pick<Context, 'db' | 'viewer'>): Promise<void> {
  const ids = valid.stages.flatMap((s) => [...s.requiredCourseIds, ...s.electiveCourseIds]);
  const rows = ids.length ? await db.select().from(course).where(inArray(course.id, ids)) : [];
  const known = new Map<string, CourseRow>(rows.filter((row) => canSeeCourse(viewer, row)).map((row) => [row.id, row]));
  const problems: Problem[] = [];
  valid.stages.forEach((stage, s) => {
    for (const kind of ['requiredCourseIds', 'electiveCourseIds'] as const) {
      stage[kind].forEach((id, i) => {
        if (!known.has(id)) problems.push({ field: `input.stages.${s}.${kind}.${i}`, message: `no course ${id} exists` });
      });
    }
    const electives = stage.electiveCourseIds.map((id) => known.get(id)).filter((c): c is CourseRow => c !== undefined);
    electives.forEach((c) => {
      if (c.credits === null) problems.push({ field: `input.stages.${s}.electiveCourseIds.${stage.electiveCourseIds.indexOf(c.id)}`, message: `${c.code} carries no credits to count` });
    });
    const available = electives.reduce((sum, c) => sum + (c.credits ?? 0), 0);
    if (stage.minimumCredits != null && electives.length === stage.electiveCourseIds.length && available < stage.minimumCredits) {
      problems.push({ field: `input.stages.${s}.minimumCredits`, message: `is ${stage.minimumCredits} but the electives carry only ${available} credits` });
    }
  });
  assertNoProblems(problems);
}

/** Writes a pathway and its stages whole, in one transaction with its providers.pathway.defined event: a new one for the provider, or over the one named. */
export async function savePathway(
  { db }: Pick<Context, 'db'>,
  valid: ValidPathway,
  target: { providerId: string; id?: string },
): Promise<PathwayRow> {
  const { stages, ...fields } = valid;
  try {
    return await db.transaction(async (tx) => {
      let row: PathwayRow;
      if (target.id) {
        [row] = (await tx.update(pathway).set(fields).where(eq(pathway.id, target.id)).returning()) as [PathwayRow];
        await tx.delete(pathwayStage).where(eq(pathwayStage.pathwayId, target.id));
      } else {
        [row] = (await tx.insert(pathway).values({ ...fields, providerId: target.providerId }).returning()) as [PathwayRow];
      }
      const stageRows = await tx
        .insert(pathwayStage)
        .values(stages.map((s, i) => ({ pathwayId: row.id, position: i + 1, title: s.title, minimumCredits: s.minimumCredits, exitAward: s.exitAward, exitJobRoleTitle: s.exitJobRoleTitle })))
        .returning();
      const links = stages.flatMap((s, i) => [
        ...s.requiredCourseIds.map((courseId, p) => ({ stageId: stageRows[i]!.id, courseId, kind: 'REQUIRED', position: p })),
        ...s.electiveCourseIds.map((courseId, p) => ({ stageId: stageRows[i]!.id, courseId, kind: 'ELECTIVE', position: s.requiredCourseIds.length + p })),
      ]);
      if (links.length) await tx.insert(stageCourse).values(links);
      // Credentials keeps a copy to issue the stages' exit awards: it hears of the definition with it.
      await announcePathways(tx, [row.id]);
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'pathway_provider_code_key')) throw new Conflict(`This provider already has a pathway ${valid.code}.`, { field: 'input.code' });
    throw error;
  }
}
