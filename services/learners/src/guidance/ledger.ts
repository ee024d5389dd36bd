import type { credentialIssuedEvent, credentialRenewedEvent, credentialRevokedEvent, Database, EventData, EventEnvelope, Transaction } from '@tauliah/core';
import { and, eq, sql } from 'drizzle-orm';
import { guidanceCredential, heldCourse, type tables } from '../db/schema.ts';

/*
 * What learners went on to complete after what, kept from the credentials
 * service's events in the learners' own tables (schema.ts, "Guidance"):
 * each learner's held courses, how many learners hold each course, and how
 * many took course A and then achieved course B. Every change is keyed by the
 * credential's id in guidance_credential, so an event heard twice counts once
 * and a revocation heard before its issuance wins. A learner's changes are
 * applied one at a time (an advisory lock on the learner), so two events of
 * one learner handled at once cannot miscount their pairs.
 */

type IssuedEvent = EventEnvelope<EventData<typeof credentialIssuedEvent>>;
type RevokedEvent = EventEnvelope<EventData<typeof credentialRevokedEvent>>;
type RenewedEvent = EventEnvelope<EventData<typeof credentialRenewedEvent>>;
type Tx = Transaction<typeof tables>;
type GuidanceDb = Database<typeof tables>;

/** The durable consumers' names on the broker. */
export const ISSUED_CONSUMER = 'learners-guidance-credential-issued';
export const REVOKED_CONSUMER = 'learners-guidance-credential-revoked';
export const RENEWED_CONSUMER = 'learners-guidance-credential-renewed';

/**
 * The course an event's credential was earned on; none for an award that
 * stacks other credentials rather than completing a course, which says
 * nothing about which course comes next.
 */
const courseOf = (data: { courseId?: string | null }): string | null => data.courseId ?? null;

const lockLearner = (tx: Tx, learnerId: string) => tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`learners.guidance:${learnerId}`}, 0))`);

/** A credential was issued: its course becomes held, and counts after every course the learner achieved before it. Returns whether it changed anything. */
export function applyCredentialIssued(db: GuidanceDb, event: IssuedEvent): Promise<boolean> {
  const courseId = courseOf(event.data);
  if (!courseId) return Promise.resolve(false);
  const { credentialId, learnerId } = event.data;
  return db.transaction(async (tx) => {
    await lockLearner(tx, learnerId);
    const recorded = await tx
      .insert(guidanceCredential)
      .values({ credentialId, learnerId, courseId, status: 'HELD', achievedAt: new Date(event.occurredAt) })
      .onConflictDoNothing()
      .returning({ achievedAt: guidanceCredential.achievedAt });
    if (recorded.length === 0) return false;
    await holdCourse(tx, learnerId, courseId, recorded[0]!.achievedAt);
    return true;
  });
}

/**
 * A credential was renewed: the renewal replaces the credential it renews and
 * adds nothing (a renewal is not more skill), so the course keeps its place in
 * the learner's order. Only a course the guidance never heard of (renewing a
 * credential issued before it listened) becomes held here.
 */
export function applyCredentialRenewed(db: GuidanceDb, event: RenewedEvent): Promise<boolean> {
  const courseId = courseOf(event.data);
  if (!courseId) return Promise.resolve(false);
  const { credentialId, learnerId, replacesCredentialId } = event.data;
  return db.transaction(async (tx) => {
    await lockLearner(tx, learnerId);
    const [replaced] = await tx
      .select({ achievedAt: guidanceCredential.achievedAt })
      .from(guidanceCredential)
      .where(eq(guidanceCredential.credentialId, replacesCredentialId));
    const achievedAt = replaced?.achievedAt ?? new Date(event.occurredAt);
    const recorded = await tx
      .insert(guidanceCredential)
      .values({ credentialId, learnerId, courseId, status: 'HELD', achievedAt })
      .onConflictDoNothing()
      .returning({ credentialId: guidanceCredential.credentialId });
    if (recorded.length === 0) return false;
    // The replaced credential no longer counts, and an issuance of it heard late is ignored.
    await tx
      .insert(guidanceCredential)
      .values({ credentialId: replacesCredentialId, learnerId, courseId, status: 'REPLACED', achievedAt })
      .onConflictDoUpdate({ target: guidanceCredential.credentialId, set: { status: 'REPLACED' }, setWhere: sql`${guidanceCredential.status} = 'HELD'` });
    await holdCourse(tx, learnerId, courseId, achievedAt);
    return true;
  });
}

/**
 * A credential was revoked: it no longer counts, and once the learner holds
 * no other credential for its course, the course leaves their held courses
 * and every pair it was part of. Returns whether it changed anything.
 */
export function applyCredentialRevoked(db: GuidanceDb, event: RevokedEvent): Promise<boolean> {
  const courseId = courseOf(event.data);
  if (!courseId) return Promise.resolve(false);
  const { credentialId, learnerId } = event.data;
  return db.transaction(async (tx) => {
    await lockLearner(tx, learnerId);
    const revoked = await tx
      .update(guidanceCredential)
      .set({ status: 'REVOKED' })
      .where(and(eq(guidanceCredential.credentialId, credentialId), eq(guidanceCredential.status, 'HELD')))
      .returning({ courseId: guidanceCredential.courseId });
    if (revoked.length === 0) {
      // Heard before its issuance (or again): remembered, so the issuance changes nothing when it comes.
      await tx
        .insert(guidanceCredential)
        .values({ credentialId, learnerId, courseId, status: 'REVOKED', achievedAt: new Date(event.occurredAt) })
        .onConflictDoNothing();
      return false;
    }
    const course = revoked[0]!.courseId;
    const [stillHeld] = await tx
      .select({ credentialId: guidanceCredential.credentialId })
      .from(guidanceCredential)
      .where(and(eq(guidanceCredential.learnerId, learnerId), eq(guidanceCredential.courseId, course), eq(guidanceCredential.status, 'HELD')))
      .limit(1);
    if (!stillHeld) await releaseCourse(tx, learnerId, course);
    return true;
  });
}

/**
 * The pairs one held course of a learner makes with each of their other held
 * courses, oriented by the order they were achieved in (ties by course id),
 * in key order so concurrent changes lock shared rows alike.
 */
const pairsWith = (learnerId: string, courseId: string, since: Date) => {
  const at = since.toISOString();
  return sql`
  select case when (h.since, h.course_id) < (${at}::timestamptz, ${courseId}::uuid) then h.course_id else ${courseId}::uuid end as course_id,
         case when (h.since, h.course_id) < (${at}::timestamptz, ${courseId}::uuid) then ${courseId}::uuid else h.course_id end as next_course_id
    from learners.held_course h
   where h.learner_id = ${learnerId} and h.course_id <> ${courseId}
   order by 1, 2`;
};

/** Adds a held course (nothing if the learner holds it already), with its pairs and its holder. */
async function holdCourse(tx: Tx, learnerId: string, courseId: string, since: Date): Promise<void> {
  const added = await tx.insert(heldCourse).values({ learnerId, courseId, since }).onConflictDoNothing().returning({ courseId: heldCourse.courseId });
  if (added.length === 0) return;
  await tx.execute(sql`
    insert into learners.course_sequence (course_id, next_course_id, learners)
    select course_id, next_course_id, 1 from (${pairsWith(learnerId, courseId, since)}) p
    on conflict (course_id, next_course_id) do update set learners = learners.course_sequence.learners + 1`);
  await tx.execute(sql`
    insert into learners.course_holders (course_id, learners) values (${courseId}, 1)
    on conflict (course_id) do update set learners = learners.course_holders.learners + 1`);
}

/** Removes a held course with its pairs (a pair no learner makes any more is deleted) and its holder. */
async function releaseCourse(tx: Tx, learnerId: string, courseId: string): Promise<void> {
  const [released] = await tx
    .delete(heldCourse)
    .where(and(eq(heldCourse.learnerId, learnerId), eq(heldCourse.courseId, courseId)))
    .returning({ since: heldCourse.since });
  if (!released) return;
  await tx.execute(sql`
    with pairs as (${pairsWith(learnerId, courseId, released.since)}),
    lowered as (
      update learners.course_sequence s set learners = s.learners - 1
        from pairs p
       where s.course_id = p.course_id and s.next_course_id = p.next_course_id and s.learners > 1
       returning s.course_id)
    delete from learners.course_sequence s using pairs p
     where s.course_id = p.course_id and s.next_course_id = p.next_course_id and s.learners = 1`);
  await tx.execute(sql`update learners.course_holders set learners = learners - 1 where course_id = ${courseId}`);
}
