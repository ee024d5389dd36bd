import { contactRequestAnsweredEvent, recordEvent, type Database } from '@tauliah/core';
import { outbox, type ContactRequestRow } from '../db/schema.ts';

/** contact-request.answered (its contract in core: packages/core/src/events/contracts.ts). */
/** Announces the learner's answer in the transaction that recorded it; answering the same again announces nothing. */
export function announceContactRequestAnswered(tx: Pick<Database, 'insert'>, request: ContactRequestRow): Promise<void> {
  return recordEvent(tx, outbox, contactRequestAnsweredEvent, {
    contactRequestId: request.id,
    learnerId: request.learnerId,
    employerId: request.employerId,
    jobRoleId: request.jobRoleId,
    answer: request.status as 'ACCEPTED' | 'DECLINED',
    consentId: request.consentId,
  });
}
