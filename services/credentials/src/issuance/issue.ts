import { isUuid, type ErrorCode } from '@tauliah/core';
import { signJwt } from '@tauliah/credentials-vc';
import { randomUUID } from 'node:crypto';
import type { Context } from '../context.ts';
import { cohortIssuance, credential, credentialSkill } from '../db/schema.ts';
import { learnersKnownFromEvents } from '../events/learner-residence.ts';
import { chosenVisibility } from '../events/learner-standing.ts';
import { ensureIssuers, refreshStanding } from '../signing/issuers.ts';
import { openBadgeFor, subjectIdOf } from '../signing/documents.ts';
import { allocateStatusSlots } from '../signing/status-lists.ts';
import { refreshTalentProofs } from '../talent/proofs.ts';
import type { IssuableCourse } from '../graph-reads.ts';

export interface IssueItem {
  learnerId: string;
  courseId: string;
  /** When it was earned (past students are issued their credentials late); default now. */
  issuedAt?: Date | null;
  /** Default: issuedAt plus the course's validity period, or no expiry. */
  expiresAt?: Date | null;
}

export type ItemResult = { credentialId: string; code: null; message: null } | { credentialId: null; code: ErrorCode; message: string };

const failure = (code: ErrorCode, message: string): ItemResult => ({ credentialId: null, code, message });
/** Rows per INSERT: the statement count grows with the cohort by a fraction, and stays under Postgres' 65,535 parameters. */
const CHUNK = 500;

function addMonths(date: Date, months: number): Date {
  const result = new Date(date);
  result.setUTCMonth(result.getUTCMonth() + months);
  return result;
}

/** Why one item cannot be issued, or null when it can. */
function problemWith(item: IssueItem, course: IssuableCourse | undefined, learnerKnown: boolean, providerId: string, now: Date): ItemResult | null {
  if (!isUuid(item.learnerId)) return failure('BAD_USER_INPUT', 'learnerId must be a learner id (a UUID).');
  if (!isUuid(item.courseId)) return failure('BAD_USER_INPUT', 'courseId must be a course id (a UUID).');
  if (item.issuedAt && item.issuedAt.getTime() > now.getTime() + 60_000) return failure('BAD_USER_INPUT', 'issuedAt must not be in the future.');
  if (item.issuedAt && item.expiresAt && item.expiresAt <= item.issuedAt) return failure('BAD_USER_INPUT', 'expiresAt must be after issuedAt.');
  if (!item.issuedAt && item.expiresAt && item.expiresAt <= now) return failure('BAD_USER_INPUT', 'expiresAt must be in the future.');
  if (!course) return failure('NOT_FOUND', `Course ${item.courseId} does not exist.`);
  if (course.provider.id !== providerId) return failure('FORBIDDEN', `Course ${course.code} belongs to another provider: only its provider issues its credentials.`);
  if (course.status !== 'PUBLISHED') return failure('CONFLICT', `Course ${course.code} is ${course.status}: only published courses are credentialed.`);
  if (!course.provider.inGoodStanding) return failure('FORBIDDEN', `${course.provider.name} is not in good standing and may not issue credentials.`);
  if (!learnerKnown) return failure('NOT_FOUND', `Learner ${item.learnerId} does not exist.`);
  return null;
}

/**
 * Which of these learners exist: learners the learners service's events told
 * us about need no graph call (it announces every learner it registers); the
 * rest are read from the graph as the caller.
 */
async function existingLearners(context: Pick<Context, 'db' | 'loaders'>, ids: string[]): Promise<Set<string>> {
  const known = await learnersKnownFromEvents(context.db, ids);
  const rest = ids.filter((id) => !known.has(id));
  const read = await loadAll(context.loaders.knownLearner, rest);
  return new Set([...known, ...rest.filter((_, i) => read[i])]);
}

/** Every key's value, or the first error (a graph that cannot answer fails the whole cohort before anything is written). */
async function loadAll<V>(loader: { loadMany(keys: readonly string[]): Promise<Array<V | Error>> }, keys: string[]): Promise<V[]> {
  const values = await loader.loadMany(keys);
  const failed = values.find((v): v is Error => v instanceof Error);
  if (failed) throw failed;
  return values as V[];
}

/** The cohort's courses the caller may see, by id. */
async function issuableCourses(context: Pick<Context, 'loaders'>, ids: string[]): Promise<Map<string, IssuableCourse>> {
  const courses = await loadAll(context.loaders.issuableCourse, ids);
  return new Map(ids.flatMap((id, i) => (courses[i] ? [[id, courses[i]] as const] : [])));
}

/**
 * Issues credentials for a cohort (or one): reads the courses and learners from
 * the graph as the caller, refuses each bad item with a coded error without
 * blocking the others, then in one transaction allocates status slots, stores
 * the OB 3.0 documents signed as VC-JWT, and (for a cohort) records the results
 * under the idempotency key. Returns one result per item, in order.
 */
export async function issueMany(
  context: Context,
  providerId: string,
  items: IssueItem[],
  idempotency?: { key: string; requestHash: string },
): Promise<ItemResult[]> {
  const { db, config } = context;
  const now = new Date();
  const courseIds = [...new Set(items.map((i) => i.courseId).filter(isUuid))];
  const learnerIds = [...new Set(items.map((i) => i.learnerId).filter(isUuid))];
  const [courses, learners] = await Promise.all([issuableCourses(context, courseIds), existingLearners(context, learnerIds)]);

  const results: ItemResult[] = [];
  const accepted: Array<{ at: number; item: IssueItem; course: IssuableCourse; id: string }> = [];
  items.forEach((item, at) => {
    const course = courses.get(item.courseId);
    const problem = problemWith(item, course, learners.has(item.learnerId), providerId, now);
    if (problem) results[at] = problem;
    else {
      const id = randomUUID();
      accepted.push({ at, item, course: course!, id });
      results[at] = { credentialId: id, code: null, message: null };
    }
  });

  await refreshStanding(db, [...courses.values()].map((c) => c.provider));
  const provider = accepted[0]?.course.provider;
  const issuers = await ensureIssuers(db, config, provider ? [provider] : []);
  // Visibility is the learner's choice, never the issuer's.
  const visibilities = await chosenVisibility(db, [...new Set(accepted.map((a) => a.item.learnerId))]);
  await db.transaction(async (tx) => {
    if (accepted.length > 0) {
      const { row: issuerRow, key } = issuers.get(providerId)!;
      const { listId, indexes } = await allocateStatusSlots(tx, providerId, accepted.length);
      const rows = await Promise.all(
        accepted.map(async ({ item, course, id }, n) => {
          const issuedAt = item.issuedAt ?? now;
          const expiresAt = item.expiresAt ?? (course.validityMonths ? addMonths(issuedAt, course.validityMonths) : null);
          const document = openBadgeFor({ id, issuer: issuerRow, learnerId: item.learnerId, course, validFrom: issuedAt, validUntil: expiresAt, status: { listId, index: indexes[n]! } });
          return {
            id,
            holderId: item.learnerId,
            courseId: course.id,
            issuerId: providerId,
            title: course.title,
            credits: course.credits,
            mqfLevel: course.mqfLevel,
            issuedAt,
            expiresAt,
            visibility: visibilities.get(item.learnerId) ?? 'PRIVATE',
            subjectId: subjectIdOf(item.learnerId),
            statusListId: listId,
            statusIndex: indexes[n]!,
            document,
            documentJwt: await signJwt(document, key),
          };
        }),
      );
      for (let i = 0; i < rows.length; i += CHUNK) await tx.insert(credential).values(rows.slice(i, i + CHUNK));
      const skills = accepted.flatMap(({ course, id }) => course.skills.map((s) => ({ credentialId: id, skillCode: s.code })));
      for (let i = 0; i < skills.length; i += CHUNK * 4) await tx.insert(credentialSkill).values(skills.slice(i, i + CHUNK * 4));
      await refreshTalentProofs(tx, accepted.map((a) => a.item.learnerId));
    }
    // Recorded with the credentials, atomically: a concurrent call with the same key fails here and rolls back.
    if (idempotency) {
      await tx.insert(cohortIssuance).values({ providerId, idempotencyKey: idempotency.key, requestHash: idempotency.requestHash, results });
    }
  });
  return results;
}
