import { applicationDecidedEvent, claimDecidedEvent, courseApprovalDecidedEvent, recordEvent, type Database } from '@tauliah/core';
import { outbox, type ApplicationRow, type CourseApprovalRow } from '../db/schema.ts';

type Transaction = Pick<Database, 'insert'>;
type Decided = 'APPROVED' | 'REJECTED';

/** The decision a record left PENDING with; called only on the row the deciding UPDATE returned. */
function decisionOf(row: { status: string }): Decided {
  if (row.status !== 'APPROVED' && row.status !== 'REJECTED') throw new Error(`A record still ${row.status} has no decision to announce.`);
  return row.status;
}

/**
 * Announces a funder's decision on an application through the outbox, in the
 * transaction that decided it: a learner's B40 application as
 * application.decided, an employer's HRD Corp claim as claim.decided (with the
 * employer, which hears of it). Only a decision that changed the record is
 * announced: a repeated one and a refused one never reach here.
 */
export function announceApplicationDecided(tx: Transaction, row: ApplicationRow, funderId: string): Promise<void> {
  const facts = { applicationId: row.id, schemeId: row.schemeId, funderId, learnerId: row.learnerId, courseId: row.courseId, decision: decisionOf(row) };
  if (row.kind === 'HRD_CORP_CLAIM') {
    // The claim check constraint guarantees the employer; its absence would be a broken row, refused by the contract.
    return recordEvent(tx, outbox, claimDecidedEvent, { ...facts, employerId: row.employerId! });
  }
  return recordEvent(tx, outbox, applicationDecidedEvent, facts);
}

/** Announces a funder's decision on a provider's course for a scheme (courseApproval.decided), in the deciding transaction. */
export function announceCourseApprovalDecided(tx: Transaction, row: CourseApprovalRow, funderId: string): Promise<void> {
  return recordEvent(tx, outbox, courseApprovalDecidedEvent, {
    courseApprovalId: row.id,
    schemeId: row.schemeId,
    funderId,
    providerId: row.providerId,
    courseId: row.courseId,
    decision: decisionOf(row),
  });
}
