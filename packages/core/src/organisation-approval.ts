import { eq } from 'drizzle-orm';
import type { Database } from './database.ts';
import type { EventData, EventEnvelope } from './events/envelope.ts';
import type { organisationApprovedEvent } from './events/contracts.ts';
import type { Logger } from './logger.ts';
import type { StaffAccountsStore } from './staff-accounts.ts';

type Approval = EventEnvelope<EventData<typeof organisationApprovedEvent>>;
type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** What applying one approval came to, for the log and for tests. */
export type ApprovalOutcome = 'CREATED' | 'ALREADY_CREATED' | 'NOT_THIS_KIND' | 'REGISTRATION_NUMBER_TAKEN';

/** Who added a joining organisation's first administrator: the application a platform ADMIN approved. */
export const addedByApplication = (applicationId: string) => `application:${applicationId}`;

/**
 * A platform ADMIN approved an application to join as an EMPLOYER or a FUNDER
 * (the providers service keeps the applications): the owning service creates
 * the organisation under the id the event gives (`insert`: the owner's own
 * row, inserted with `onConflictDoNothing`, answering whether it made one)
 * and its first ADMIN staff account, in one transaction. Applying the event
 * again (a redelivery) finds the organisation and changes nothing, so an
 * administrator removed since is never brought back. Approvals of other
 * kinds are another service's.
 *
 * A registration number another organisation holds already creates nothing:
 * the approver checks before approving, so this means two approvals raced
 * or an operator must look. It is logged as an error naming the application,
 * and the event is settled, since no redelivery would change the answer.
 */
export async function admitApprovedOrganisation(
  db: Database,
  store: StaffAccountsStore,
  event: Approval,
  log: Logger,
  insert: (tx: Transaction, approval: Approval['data']) => Promise<boolean>,
): Promise<ApprovalOutcome> {
  const approval = event.data;
  const { applicationId, organisationId, registrationNumber, administrator } = approval;
  if (approval.kind !== store.kind) return 'NOT_THIS_KIND';
  const outcome = await db.transaction(async (tx): Promise<ApprovalOutcome> => {
    if (!(await insert(tx, approval))) {
      // Either unique key stopped it: this organisation's id (a redelivery) or its registration number (another's).
      const [existing] = await tx.select({ id: store.organisations.id }).from(store.organisations).where(eq(store.organisations.id, organisationId));
      return existing ? 'ALREADY_CREATED' : 'REGISTRATION_NUMBER_TAKEN';
    }
    await tx.insert(store.table).values({
      organisationId,
      subject: administrator.subject,
      name: administrator.name.trim(),
      email: administrator.email.trim().toLowerCase(),
      kind: 'PERSON',
      role: 'ADMIN',
      addedBy: addedByApplication(applicationId),
    });
    return 'CREATED';
  });
  const noun = store.kind.toLowerCase();
  if (outcome === 'REGISTRATION_NUMBER_TAKEN') {
    log.error(
      { applicationId, organisationId, eventId: event.id },
      `approved ${noun} application ${applicationId}: another ${noun} already has registration number ${registrationNumber}; no ${noun} was created. Reject or correct the application.`,
    );
  } else if (outcome === 'CREATED') {
    log.info({ applicationId, organisationId }, `created an approved ${noun} and its first admin`);
  }
  return outcome;
}
