import { credentialIssuedEvent, credentialRenewedEvent, CredentialVisibility, recordEvent, recordEvents, type Database, type EventContract, type EventData } from '@tauliah/core';
import { outbox, type CredentialRow } from '../db/schema.ts';

/*
 * The credential events partners hear about (through the providers service's
 * webhooks), recorded in credentials' outbox in the transaction that makes
 * the change: one event per credential changed, never one without its change.
 */

type Writer = Pick<Database, 'insert' | 'execute'>;
type Facts = EventData<typeof credentialIssuedEvent>;
type Credential = Pick<CredentialRow, 'id' | 'issuerId' | 'holderId' | 'courseId' | 'visibility' | 'awardPathwayId' | 'awardStagePosition'>;

/** Whom an event about this credential concerns, and who may see it now: ids for routing it, nothing about the person. */
const factsOf = (credential: Credential): Facts => ({
  credentialId: credential.id,
  issuerId: credential.issuerId,
  learnerId: credential.holderId,
  courseId: credential.courseId,
  visibility: CredentialVisibility[credential.visibility],
  // An exit award names its pathway and stage instead of a course; other credentials' events carry no `award`, as before awards.
  ...(credential.awardPathwayId !== null && credential.awardStagePosition !== null
    ? { award: { pathwayId: credential.awardPathwayId, stagePosition: credential.awardStagePosition } }
    : {}),
});

/** credential.issued for each credential stored, in the cohort's order, in a few multi-row statements however large the cohort. */
export function announceIssued(tx: Writer, credentials: Credential[]): Promise<void> {
  return recordEvents(tx, outbox, credentialIssuedEvent, credentials.map(factsOf));
}

/** A status change's event (credential.revoked, .suspended or .reinstated), with the credential as it now stands. */
export function announceStatusChange(tx: Writer, contract: EventContract<Facts>, credential: Credential): Promise<void> {
  return recordEvent(tx, outbox, contract, factsOf(credential));
}

/** credential.renewed for the renewal, naming the credential it replaces: the one event of a renewal. */
export function announceRenewed(tx: Writer, renewal: Credential, replaces: string): Promise<void> {
  return recordEvent(tx, outbox, credentialRenewedEvent, { ...factsOf(renewal), replacesCredentialId: replaces });
}
