import { admitApprovedOrganisation, type ApprovalOutcome, type Database, type EventData, type EventEnvelope, type Logger, type organisationApprovedEvent } from '@tauliah/core';
import { employer, type tables } from '../db/schema.ts';
import { employerStaffAccounts } from '../staff/accounts.ts';

type ApprovedEvent = EventEnvelope<EventData<typeof organisationApprovedEvent>>;

/** The durable consumer's name on the broker. */
export const ORGANISATION_APPROVED_CONSUMER = 'employers-organisation-approved';

/**
 * An approved application to join as an employer: the employer, under the id
 * the approval gave it, and its first ADMIN (core organisation-approval.ts
 * says how a redelivery or a taken registration number is met). An EMPLOYER
 * approval without its company facts (the contract allows none for a FUNDER)
 * makes nothing up: it is logged and settled.
 */
export async function applyOrganisationApproved(db: Database<typeof tables>, event: ApprovedEvent, log: Logger): Promise<ApprovalOutcome | 'NO_EMPLOYER_FACTS'> {
  const company = event.data.employer;
  if (event.data.kind === 'EMPLOYER' && !company) {
    log.error({ applicationId: event.data.applicationId, organisationId: event.data.organisationId, eventId: event.id }, 'an approved EMPLOYER application arrived without its employer facts; no employer was created');
    return 'NO_EMPLOYER_FACTS';
  }
  return admitApprovedOrganisation(db, employerStaffAccounts.store, event, log, async (tx, { organisationId, registrationNumber, name, state }) => {
    const [created] = await tx
      .insert(employer)
      .values({
        id: organisationId,
        registrationNumber,
        name,
        sector: company!.sector,
        size: company!.size,
        employeeCount: company!.employeeCount,
        state,
        hrdCorpRegistered: company!.hrdCorpEmployerNumber !== null,
        hrdCorpEmployerNumber: company!.hrdCorpEmployerNumber,
      })
      .onConflictDoNothing()
      .returning({ id: employer.id });
    return created !== undefined;
  });
}
