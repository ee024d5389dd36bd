import { BadInput, Conflict, idempotentWrite, isUniqueViolation, NotFound, type Database, type Transaction } from '@tauliah/core';
import { and, eq, or, sql } from 'drizzle-orm';
import { contactRequest, talentHeadline, type ContactRequestRow, type tables } from '../db/schema.ts';
import type { Loaders } from '../loaders.ts';
import { admitContactRequest } from './rate-limit.ts';
import { ANSWER_DAYS, DECLINE_BLOCK_DAYS } from './rules.ts';

type Db = Database<typeof tables>;
type Tx = Transaction<typeof tables>;
type Reader = Pick<Db, 'select'>;

/** What an employer asks, as validated (contact-request.inputs.ts): the message normalised, the scopes distinct and sorted. */
export interface ContactRequestValues {
  learnerId: string;
  jobRoleId: string;
  message: string;
  scopes: string[];
}

export interface Requester {
  employerId: string;
  subject: string;
}

const day = (at: Date) => at.toISOString().slice(0, 10);
/** An interval of whole hours, the same length in any session time zone (days would follow its daylight saving). */
const hours = (count: number) => sql.raw(`interval '${count} hours'`);

/**
 * Sends a learner an employer's contact request, once per idempotency key.
 * In order: the job role must be one of the employer's published roles (read
 * through the graph as the employer, before the transaction); then, under
 * the employer's rate-limit lock, the learner must be opted in to being found
 * (else NOT_FOUND, exactly as for a learner who does not exist: no answer
 * tells an employer who is registered), must not have declined this employer
 * within DECLINE_BLOCK_DAYS, and must not have a request from it waiting.
 */
export async function requestContact(
  { db, loaders, perDay }: { db: Db; loaders: Loaders; perDay: number },
  requester: Requester,
  values: ContactRequestValues,
  idempotencyKey: string | null,
): Promise<ContactRequestRow> {
  const { employerId } = requester;
  const key = idempotencyKey ? { scope: 'learners.requestContact', owner: employerId, key: idempotencyKey } : null;
  const { result } = await idempotentWrite(db, key, {
    replay: (reader) => (idempotencyKey ? retried(reader, employerId, idempotencyKey, values) : Promise.resolve(undefined)),
    prepare: () => assertOwnPublishedRole(loaders, employerId, values.jobRoleId),
    async write(tx) {
      await admitContactRequest(tx, employerId, perDay);
      await assertFindable(tx, values.learnerId);
      await assertMayAsk(tx, employerId, values.learnerId);
      try {
        const [created] = await tx
          .insert(contactRequest)
          .values({
            ...values,
            employerId,
            requestedBySubject: requester.subject,
            idempotencyKey,
            expiresAt: sql`now() + ${hours(ANSWER_DAYS * 24)}`,
          })
          .returning();
        return created!;
      } catch (error) {
        // Another request to this learner committed between assertMayAsk and here (a different key, or none).
        if (isUniqueViolation(error, 'contact_request_pending_key')) {
          throw new Conflict('You have just asked this learner: wait for their answer to that request (myContactRequests).', { field: 'learnerId' });
        }
        throw error;
      }
    },
  });
  return result;
}

/** The employer's request made with this key; the key used for a different request is a CONFLICT. */
async function retried(reader: Reader, employerId: string, idempotencyKey: string, values: ContactRequestValues): Promise<ContactRequestRow | undefined> {
  const [previous] = await reader
    .select()
    .from(contactRequest)
    .where(and(eq(contactRequest.employerId, employerId), eq(contactRequest.idempotencyKey, idempotencyKey)));
  if (!previous) return undefined;
  const same =
    previous.learnerId === values.learnerId &&
    previous.jobRoleId === values.jobRoleId &&
    previous.message === values.message &&
    previous.scopes.join(',') === values.scopes.join(',');
  if (!same) throw new Conflict(`The idempotency key ${idempotencyKey} was already used for another contact request: use a new key for a new request.`, { field: 'idempotencyKey' });
  return previous;
}

/** A request names one of the employer's own published job roles: the learner must be able to read what it is about. */
async function assertOwnPublishedRole(loaders: Loaders, employerId: string, jobRoleId: string): Promise<void> {
  const role = await loaders.jobRole.load(jobRoleId);
  if (!role) throw new NotFound('JobRole', jobRoleId);
  if (role.employer.id !== employerId) throw new BadInput(`jobRoleId names another employer's job role: ask about one of your own.`, { field: 'jobRoleId' });
  if (!role.published) throw new BadInput('jobRoleId names a draft job role: publish it first (publishJobRole), so the learner can read what you ask about.', { field: 'jobRoleId' });
}

/**
 * The learner is opted in to being found (has a talent headline); the row is
 * held (FOR SHARE) until the request commits, so an opt-out committing at the
 * same moment comes after the request, never between the check and it.
 */
async function assertFindable(tx: Tx, learnerId: string): Promise<void> {
  const [found] = await tx.select({ learnerId: talentHeadline.learnerId }).from(talentHeadline).where(eq(talentHeadline.learnerId, learnerId)).for('share');
  if (!found) throw new NotFound('Learner', learnerId);
}

/**
 * The employer may ask this learner now: no request of its own waiting for
 * an answer, none declined within DECLINE_BLOCK_DAYS. It is told about its
 * own request only (the employer sees its answer in myContactRequests too).
 * A waiting request past its expiry is stored as EXPIRED here, so the new one
 * takes its place as the one waiting.
 */
async function assertMayAsk(tx: Tx, employerId: string, learnerId: string): Promise<void> {
  const earlier = await tx
    .select()
    .from(contactRequest)
    .where(
      and(
        eq(contactRequest.learnerId, learnerId),
        eq(contactRequest.employerId, employerId),
        or(
          eq(contactRequest.status, 'PENDING'),
          and(eq(contactRequest.status, 'DECLINED'), sql`${contactRequest.answeredAt} > now() - ${hours(DECLINE_BLOCK_DAYS * 24)}`),
        ),
      ),
    )
    .for('update');
  for (const request of earlier) {
    if (request.status === 'DECLINED') {
      const mayAskAgainAt = new Date(request.answeredAt!.getTime() + DECLINE_BLOCK_DAYS * 86_400_000);
      throw new Conflict(
        `This learner declined your contact request of ${day(request.createdAt)} (${request.id}): you may ask them again from ${mayAskAgainAt.toISOString()}.`,
        { field: 'learnerId', contactRequestId: request.id, mayAskAgainAt: mayAskAgainAt.toISOString() },
      );
    }
  }
  for (const request of earlier) {
    if (request.expiresAt > new Date()) {
      throw new Conflict(
        `You asked this learner already on ${day(request.createdAt)} (${request.id}): wait for their answer, until ${request.expiresAt.toISOString()} at the latest.`,
        { field: 'learnerId', contactRequestId: request.id },
      );
    }
    await tx.update(contactRequest).set({ status: 'EXPIRED' }).where(and(eq(contactRequest.id, request.id), eq(contactRequest.status, 'PENDING')));
  }
}
