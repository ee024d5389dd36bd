import { learnerEnrolmentEndedEvent, recordEvent, type Database } from '@tauliah/core';
import { outbox } from '../db/schema.ts';

/** Announces that an enrolment ended (learner.enrolment-ended): the provider's access to the learner ends with it. */
export function announceEnrolmentEnded(tx: Pick<Database, 'insert'>, enrolment: { learnerId: string; providerId: string }): Promise<void> {
  return recordEvent(tx, outbox, learnerEnrolmentEndedEvent, { learnerId: enrolment.learnerId, providerId: enrolment.providerId });
}
