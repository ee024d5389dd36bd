import { Conflict, idempotentWrite, isUuid, type ErrorCode, type Transaction } from '@tauliah/core';
import { signJwt } from '@tauliah/credentials-vc';
import { and, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Context } from '../context.ts';
import { cohortIssuance, credential, credentialSkill, type tables } from '../db/schema.ts';
import { chosenVisibility } from '../events/learner-standing.ts';
import { ensureIssuers, refreshStanding } from '../signing/issuers.ts';
import { openBadgeFor, subjectIdOf } from '../signing/documents.ts';
import { allocateStatusSlots } from '../signing/status-lists.ts';
import { refreshTalentProofs } from '../talent/proofs.ts';
import { studentNumberAsKept, type IssuableCourse } from '../graph-reads.ts';
import { announceIssued } from './announce.ts';
import { COUNTS_FOR_ITS_COURSE, existingLearners, heldCredentials, learnersByStudentNumber, loadAll, pairOf } from './holders.ts';

export interface IssueItem {
  /** Who earned it, by our learner id; exactly one of learnerId and studentNumber names them. */
  learnerId?: string | null;
  /** Who earned it, by the issuer's own student number for them (one of its active enrolments). */
  studentNumber?: string | null;
  courseId: string;
  /** When it was earned (past students are issued their credentials late); default now. */
  issuedAt?: Date | null;
  /** Default: issuedAt plus the course's validity period, or no expiry. */
  expiresAt?: Date | null;
}

export type ItemResult =
  | { credentialId: string; code: null; message: null }
  | {
      credentialId: null;
      code: ErrorCode;
      message: string;
      /** What the error names, as its GraphQL extensions carry it: NOT_FOUND's entity and id, CONFLICT's held credentialId. */
      details?: Record<string, string>;
    };

const failure = (code: ErrorCode, message: string, details?: Record<string, string>): ItemResult => ({ credentialId: null, code, message, ...(details ? { details } : {}) });
/** The NOT_FOUND of one row, worded as core's NotFound words it. */
const notFound = (entity: string, id: string) => failure('NOT_FOUND', `${entity} ${id} does not exist.`, { entity, id });
/** Rows per INSERT: the statement count grows with the cohort by a fraction, and stays under Postgres' 65,535 parameters. */
const CHUNK = 500;

function addMonths(date: Date, months: number): Date {
  const result = new Date(date);
  result.setUTCMonth(result.getUTCMonth() + months);
  return result;
}

/** Who a row names: our learner id, or the issuer's student number as the learners service keeps it; or why it names nobody. */
type Named = { kind: 'learner'; learnerId: string } | { kind: 'student'; studentNumber: string } | { kind: 'refused'; problem: ItemResult };

function namedBy(item: IssueItem): Named {
  const byId = item.learnerId !== null && item.learnerId !== undefined;
  const byNumber = item.studentNumber !== null && item.studentNumber !== undefined;
  if (byId === byNumber) {
    return { kind: 'refused', problem: failure('BAD_USER_INPUT', 'Name the learner by exactly one of learnerId (our id) and studentNumber (yours).', { field: byId ? 'studentNumber' : 'learnerId' }) };
  }
  if (byId) return isUuid(item.learnerId) ? { kind: 'learner', learnerId: item.learnerId } : { kind: 'refused', problem: failure('BAD_USER_INPUT', 'learnerId must be a learner id (a UUID).', { field: 'learnerId' }) };
  const studentNumber = studentNumberAsKept(item.studentNumber!);
  if (!studentNumber) {
    return { kind: 'refused', problem: failure('BAD_USER_INPUT', 'studentNumber must be 1 to 64 letters, digits and . / _ -, starting with a letter or digit.', { field: 'studentNumber' }) };
  }
  return { kind: 'student', studentNumber };
}

/** Why one item cannot be issued, given the course and the learner it names (null: nobody), or null when it can. */
function problemWith(item: IssueItem, named: Named, course: IssuableCourse | undefined, learnerId: string | null, providerId: string, now: Date): ItemResult | null {
  if (named.kind === 'refused') return named.problem;
  if (!isUuid(item.courseId)) return failure('BAD_USER_INPUT', 'courseId must be a course id (a UUID).', { field: 'courseId' });
  if (item.issuedAt && item.issuedAt.getTime() > now.getTime() + 60_000) return failure('BAD_USER_INPUT', 'issuedAt must not be in the future.', { field: 'issuedAt' });
  if (item.issuedAt && item.expiresAt && item.expiresAt <= item.issuedAt) return failure('BAD_USER_INPUT', 'expiresAt must be after issuedAt.', { field: 'expiresAt' });
  if (!item.issuedAt && item.expiresAt && item.expiresAt <= now) return failure('BAD_USER_INPUT', 'expiresAt must be in the future.', { field: 'expiresAt' });
  if (!course) return notFound('Course', item.courseId);
  if (course.provider.id !== providerId) return failure('FORBIDDEN', `Course ${course.code} belongs to another provider: only its provider issues its credentials.`);
  if (course.status !== 'PUBLISHED') return failure('CONFLICT', `Course ${course.code} is ${course.status}: only published courses are credentialed.`);
  if (!course.provider.inGoodStanding) return failure('FORBIDDEN', `${course.provider.name} is not in good standing and may not issue credentials.`);
  // A student number the caller's provider does not use for an active enrolment is unknown to it: nothing about who else may use it.
  if (!learnerId) return named.kind === 'student' ? notFound('Learner with student number', named.studentNumber) : notFound('Learner', named.learnerId);
  return null;
}

/** The CONFLICT of a second credential for a learner and course: it names the one held, and the way to replace it. */
function alreadyHeld(named: Named, learnerId: string, course: IssuableCourse, heldId: string): ItemResult {
  const who = named.kind === 'student' ? `The learner with student number ${named.studentNumber}` : `Learner ${learnerId}`;
  return failure(
    'CONFLICT',
    `${who} already holds credential ${heldId} for course ${course.code}, and a learner holds one credential per course: ` +
      'renew it (renewCredential) to replace it, or revoke it first if it was issued in error.',
    { credentialId: heldId },
  );
}

/** The cohort's courses the caller may see, by id. */
async function issuableCourses(context: Pick<Context, 'loaders'>, ids: string[]): Promise<Map<string, IssuableCourse>> {
  const courses = await loadAll(context.loaders.issuableCourse, ids);
  return new Map(ids.flatMap((id, i) => (courses[i] ? [[id, courses[i]] as const] : [])));
}

/**
 * Issues credentials for a cohort (or one): reads the courses and learners
 * (by our id, or by the caller's own student numbers) from the graph as the
 * caller, refuses each bad item with a coded error without blocking the
 * others (a second credential for a learner and course among them), then in
 * one transaction allocates status slots, stores the OB 3.0 documents signed
 * as VC-JWT, records a credential.issued event for each in the outbox, and
 * (for a cohort) records the results under the idempotency key. Returns one
 * result per item, in order.
 *
 * A cohort is issued once per key (core's idempotentWrite): a retry answers the
 * recorded results, and a concurrent call with the same key waits for the first
 * and answers its results without signing or announcing anything.
 */
export async function issueMany(
  context: Context,
  providerId: string,
  items: IssueItem[],
  idempotency?: { key: string; requestHash: string },
): Promise<ItemResult[]> {
  const key = idempotency ? { scope: 'credentials.issueCredentials', owner: providerId, key: idempotency.key } : null;
  const { result } = await idempotentWrite(context.db, key, {
    replay: (db) => recordedCohort(db, providerId, idempotency!),
    prepare: () => checkCohort(context, providerId, items),
    async write(tx, checked) {
      const results = await signAndStore(tx, providerId, checked);
      if (idempotency) {
        await tx.insert(cohortIssuance).values({ providerId, idempotencyKey: idempotency.key, requestHash: idempotency.requestHash, results });
      }
      return results;
    },
  });
  return result;
}

/**
 * The results recorded under a cohort's idempotency key, or undefined; the
 * same key with a different list is a CONFLICT.
 */
export async function recordedCohort(db: Context['db'], providerId: string, { key, requestHash }: { key: string; requestHash: string }): Promise<ItemResult[] | undefined> {
  const [previous] = await db
    .select()
    .from(cohortIssuance)
    .where(and(eq(cohortIssuance.providerId, providerId), eq(cohortIssuance.idempotencyKey, key)));
  if (!previous) return undefined;
  if (previous.requestHash !== requestHash) throw new Conflict(`The idempotency key ${key} was already used for a different cohort.`, { field: 'idempotencyKey' });
  return previous.results as ItemResult[];
}

/** A row that passed every check but the one-per-course rule: who it names and for which course. */
interface Issuable {
  at: number;
  item: IssueItem;
  named: Named;
  learnerId: string;
  course: IssuableCourse;
}

interface CheckedCohort {
  now: Date;
  results: ItemResult[];
  issuable: Issuable[];
  accepted: Array<Issuable & { id: string }>;
  issuers: Awaited<ReturnType<typeof ensureIssuers>>;
  visibilities: Awaited<ReturnType<typeof chosenVisibility>>;
}

const distinct = <T>(values: T[]) => [...new Set(values)];

/** Everything issuing needs from outside the transaction: the graph's answers, each item's verdict, the issuer's key. */
async function checkCohort(context: Context, providerId: string, items: IssueItem[]): Promise<CheckedCohort> {
  const { db, config } = context;
  const now = new Date();
  const named = items.map(namedBy);
  const courseIds = distinct(items.map((i) => i.courseId).filter(isUuid));
  const learnerIds = distinct(named.flatMap((n) => (n.kind === 'learner' ? [n.learnerId] : [])));
  const studentNumbers = distinct(named.flatMap((n) => (n.kind === 'student' ? [n.studentNumber] : [])));
  const [courses, learners, students] = await Promise.all([
    issuableCourses(context, courseIds),
    existingLearners(context, learnerIds),
    learnersByStudentNumber(context, studentNumbers),
  ]);
  const learnerOf = (n: Named): string | null =>
    n.kind === 'learner' ? (learners.has(n.learnerId) ? n.learnerId : null) : n.kind === 'student' ? (students.get(n.studentNumber) ?? null) : null;

  const results: ItemResult[] = [];
  const issuable: Issuable[] = [];
  items.forEach((item, at) => {
    const course = courses.get(item.courseId);
    const learnerId = learnerOf(named[at]!);
    const problem = problemWith(item, named[at]!, course, learnerId, providerId, now);
    if (problem) results[at] = problem;
    else issuable.push({ at, item, named: named[at]!, learnerId: learnerId!, course: course! });
  });

  // One credential per learner and course: one held already, or issued by an earlier row of this cohort, refuses the row.
  const held = await heldCredentials(db, issuable.map((i) => i.learnerId), issuable.map((i) => i.course.id));
  const accepted: CheckedCohort['accepted'] = [];
  for (const row of issuable) {
    const pair = pairOf(row.learnerId, row.course.id);
    const heldId = held.get(pair);
    if (heldId) {
      results[row.at] = alreadyHeld(row.named, row.learnerId, row.course, heldId);
      continue;
    }
    const id = randomUUID();
    held.set(pair, id);
    accepted.push({ ...row, id });
    results[row.at] = { credentialId: id, code: null, message: null };
  }

  await refreshStanding(db, [...courses.values()].map((c) => c.provider));
  const provider = accepted[0]?.course.provider;
  const issuers = await ensureIssuers(db, config, provider ? [provider] : []);
  // Visibility is the learner's choice, never the issuer's.
  const visibilities = await chosenVisibility(db, distinct(accepted.map((a) => a.learnerId)));
  return { now, results, issuable, accepted, issuers, visibilities };
}

/**
 * Allocates the status slots, signs each accepted credential and stores them
 * with their skills; returns the results. The one-per-course index has the
 * last word: a row a concurrent issuance got in first is not stored, and its
 * result (with any later row of the cohort that named it) becomes the
 * CONFLICT naming the credential that won.
 */
async function signAndStore(tx: Transaction<typeof tables>, providerId: string, checked: CheckedCohort): Promise<ItemResult[]> {
  const { now, accepted, issuers, visibilities } = checked;
  const results = [...checked.results];
  if (accepted.length === 0) return results;
  const { row: issuerRow, key } = issuers.get(providerId)!;
  const { listId, indexes } = await allocateStatusSlots(tx, providerId, accepted.length);
  const rows = await Promise.all(
    accepted.map(async ({ item, named, learnerId, course, id }, n) => {
      const issuedAt = item.issuedAt ?? now;
      const expiresAt = item.expiresAt ?? (course.validityMonths ? addMonths(issuedAt, course.validityMonths) : null);
      const document = openBadgeFor({ id, issuer: issuerRow, learnerId, course, validFrom: issuedAt, validUntil: expiresAt, status: { listId, index: indexes[n]! } });
      return {
        id,
        holderId: learnerId,
        courseId: course.id,
        awardPathwayId: null,
        awardStagePosition: null,
        issuerId: providerId,
        title: course.title,
        credits: course.credits,
        mqfLevel: course.mqfLevel,
        issuedAt,
        expiresAt,
        visibility: visibilities.get(learnerId) ?? 'PRIVATE',
        subjectId: subjectIdOf(learnerId),
        studentNumber: named.kind === 'student' ? named.studentNumber : null,
        statusListId: listId,
        statusIndex: indexes[n]!,
        document,
        documentJwt: await signJwt(document, key),
      };
    }),
  );
  const stored = new Set<string>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const inserted = await tx
      .insert(credential)
      .values(rows.slice(i, i + CHUNK))
      .onConflictDoNothing({ target: [credential.holderId, credential.courseId], where: COUNTS_FOR_ITS_COURSE })
      .returning({ id: credential.id });
    for (const { id } of inserted) stored.add(id);
  }
  const raced = accepted.filter((a) => !stored.has(a.id));
  if (raced.length > 0) await answerRaced(tx, raced, checked.issuable, results);
  const kept = accepted.filter((a) => stored.has(a.id));
  const skills = kept.flatMap(({ course, id }) => course.skills.map((s) => ({ credentialId: id, skillCode: s.code })));
  for (let i = 0; i < skills.length; i += CHUNK * 4) await tx.insert(credentialSkill).values(skills.slice(i, i + CHUNK * 4));
  await refreshTalentProofs(tx, kept.map((a) => a.learnerId));
  // Only what was stored is news: a row a concurrent issuance won was announced by that issuance.
  await announceIssued(tx, rows.filter((row) => stored.has(row.id)));
  return results;
}

/** Rewrites the results that name a credential a concurrent issuance kept from being stored, to name the one it stored. */
async function answerRaced(tx: Transaction<typeof tables>, raced: Array<Issuable & { id: string }>, issuable: Issuable[], results: ItemResult[]): Promise<void> {
  const held = await heldCredentials(tx, raced.map((r) => r.learnerId), raced.map((r) => r.course.id));
  const winner = new Map(raced.map((r) => [r.id, held.get(pairOf(r.learnerId, r.course.id))]));
  for (const row of issuable) {
    const result = results[row.at]!;
    const named = result.credentialId ?? (result.code === 'CONFLICT' ? result.details?.credentialId : undefined);
    if (!named || !winner.has(named)) continue;
    const heldId = winner.get(named);
    results[row.at] = heldId
      ? alreadyHeld(row.named, row.learnerId, row.course, heldId)
      : failure('CONFLICT', `Another issuance of course ${row.course.code} to this learner was under way; ask again.`);
  }
}
