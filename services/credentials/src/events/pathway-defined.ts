import type { Database, EventData, EventEnvelope, pathwayDefinedEvent } from '@tauliah/core';
import { eq, sql } from 'drizzle-orm';
import { coursesCredited } from '../awards/pathways.ts';
import { pathwayCopy, pathwayCopyCourse, type PathwayCopyDefinition, type tables } from '../db/schema.ts';

type PathwayDefinedEvent = EventEnvelope<EventData<typeof pathwayDefinedEvent>>;

/** The durable consumer's name on the broker. */
export const PATHWAY_DEFINED_CONSUMER = 'credentials-pathway-defined';

/**
 * Keeps the pathway as its provider last defined it, in one transaction: the
 * definition and the courses it credits (for finding the pathways a learner's
 * courses touch). An event no newer than the stored one (a redelivery, or one
 * a later change overtook) changes nothing. A new definition settles nobody's
 * awards by itself: each learner's are settled again at their next credential
 * event (awards/settle.ts says why). Returns whether it changed anything.
 */
export async function applyPathwayDefined(db: Database<typeof tables>, event: PathwayDefinedEvent): Promise<boolean> {
  const { definedAt: _definedAt, ...definition } = event.data;
  return keepPathway(db, definition, event.version);
}

/** Stores a definition at a version (0: the seed's copy of the demo pathways), unless a newer one is kept. */
export async function keepPathway(db: Pick<Database<typeof tables>, 'transaction'>, definition: PathwayCopyDefinition, version: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const applied = await tx
      .insert(pathwayCopy)
      .values({ pathwayId: definition.pathwayId, providerId: definition.providerId, definition, version })
      .onConflictDoUpdate({
        target: pathwayCopy.pathwayId,
        set: { providerId: definition.providerId, definition, version, updatedAt: sql`now()` },
        setWhere: sql`${pathwayCopy.version} < ${version}`,
      })
      .returning({ pathwayId: pathwayCopy.pathwayId });
    if (applied.length === 0) return false;
    await tx.delete(pathwayCopyCourse).where(eq(pathwayCopyCourse.pathwayId, definition.pathwayId));
    const courses = coursesCredited(definition);
    if (courses.length > 0) await tx.insert(pathwayCopyCourse).values(courses.map((courseId) => ({ pathwayId: definition.pathwayId, courseId })));
    return true;
  });
}
