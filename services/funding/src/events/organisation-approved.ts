import { admitApprovedOrganisation, type ApprovalOutcome, type Database, type EventData, type EventEnvelope, type Logger, type organisationApprovedEvent } from '@tauliah/core';
import { funder, type tables } from '../db/schema.ts';
import { funderStaffAccounts } from '../staff/accounts.ts';

type ApprovedEvent = EventEnvelope<EventData<typeof organisationApprovedEvent>>;

/** The durable consumer's name on the broker. */
export const ORGANISATION_APPROVED_CONSUMER = 'funding-organisation-approved';

/**
 * An approved application to join as a funder: the funder, under the id the
 * approval gave it, as another funding body (OTHER: only HRD Corp is
 * HRD_CORP, and the application does not say more), and its first ADMIN
 * (core organisation-approval.ts says how a redelivery or a taken
 * registration number is met).
 */
export async function applyOrganisationApproved(db: Database<typeof tables>, event: ApprovedEvent, log: Logger): Promise<ApprovalOutcome> {
  return admitApprovedOrganisation(db, funderStaffAccounts.store, event, log, async (tx, { organisationId, name, registrationNumber }) => {
    const [created] = await tx
      .insert(funder)
      .values({ id: organisationId, name: name.trim(), kind: 'OTHER', registrationNumber: registrationNumber.trim() })
      .onConflictDoNothing()
      .returning({ id: funder.id });
    return created !== undefined;
  });
}
