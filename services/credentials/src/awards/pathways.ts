import type { Database, Transaction } from '@tauliah/core';
import { and, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import { pathwayCopy, pathwayCopyCourse, providerConsent, type PathwayCopyDefinition, type tables } from '../db/schema.ts';
import type { PathwayDefinition, PathwayStage } from '../graph/progress/pathway.ts';

type Reader = Pick<Database<typeof tables>, 'select'> | Pick<Transaction<typeof tables>, 'select'>;

/** A kept pathway, as progress (rules.ts) reads a definition, with what its awards need besides. */
export interface KeptPathway {
  definition: PathwayDefinition;
  copy: PathwayCopyDefinition;
}

/** A copy as computeProgress takes a definition: the very shape the gateway hands Pathway.progress. */
export function asDefinition(copy: PathwayCopyDefinition): PathwayDefinition {
  return {
    id: copy.pathwayId,
    provider: { id: copy.providerId },
    targetProgrammeCredits: copy.targetProgrammeCredits,
    apelThresholdPercent: copy.apelThresholdPercent,
    stages: copy.stages.map(
      (s): PathwayStage => ({
        position: s.position,
        title: s.title,
        exitAward: s.exitAward,
        exitJobRoleTitle: s.exitJobRoleTitle,
        minimumCredits: s.minimumCredits,
        requiredCourseIds: s.requiredCourseIds,
        electiveCourseIds: s.electiveCourseIds,
      }),
    ),
    recognitions: copy.recognitions.map((r) => ({ ...r })),
  };
}

/** Every course a pathway credits: its stage courses and the courses recognised as one of them. */
export const coursesCredited = (copy: PathwayCopyDefinition): string[] => [
  ...new Set([...copy.stages.flatMap((s) => [...s.requiredCourseIds, ...s.electiveCourseIds]), ...copy.recognitions.map((r) => r.recognisedCourseId)]),
];

/** The kept pathways crediting any of these courses, or named (those a learner holds awards of): one statement. */
export async function keptPathways(db: Reader, courseIds: string[], pathwayIds: string[]): Promise<KeptPathway[]> {
  if (courseIds.length === 0 && pathwayIds.length === 0) return [];
  const crediting = courseIds.length
    ? inArray(pathwayCopy.pathwayId, db.select({ pathwayId: pathwayCopyCourse.pathwayId }).from(pathwayCopyCourse).where(inArray(pathwayCopyCourse.courseId, courseIds)))
    : undefined;
  const rows = await db
    .select({ definition: pathwayCopy.definition })
    .from(pathwayCopy)
    .where(or(crediting, pathwayIds.length ? inArray(pathwayCopy.pathwayId, pathwayIds) : undefined))
    .orderBy(pathwayCopy.pathwayId);
  return rows.map((r) => ({ copy: r.definition, definition: asDefinition(r.definition) }));
}

/** The providers this learner granted CREDENTIALS, in force now (kept from consent events). */
export async function providersGrantedCredentials(db: Reader, learnerId: string): Promise<Set<string>> {
  const rows = await db
    .select({ providerId: providerConsent.providerId })
    .from(providerConsent)
    .where(
      and(
        sql`${providerConsent.learnerId} = ${learnerId}::uuid`,
        isNull(providerConsent.revokedAt),
        or(isNull(providerConsent.expiresAt), gt(providerConsent.expiresAt, sql`now()`)),
        sql`'CREDENTIALS' = any(${providerConsent.scopes})`,
      ),
    );
  return new Set(rows.map((r) => r.providerId));
}
