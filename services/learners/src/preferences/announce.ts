import { learnerPreferencesEvent, recordEvent, CredentialVisibility, type Database } from '@tauliah/core';
import { outbox } from '../db/schema.ts';

/**
 * Announces the visibility a learner chose for credentials issued to them
 * (learner.preferences) through the outbox, in the transaction that
 * registered them or changed it: credentials issues with it, never with an
 * issuer's choice.
 */
export function announcePreferences(
  tx: Pick<Database, 'insert'>,
  learner: { id: string; credentialVisibility: string },
): Promise<void> {
  // The column's CHECK keeps it to the three choices; the contract parses it again before it is recorded.
  const credentialVisibility = learner.credentialVisibility as CredentialVisibility;
  return recordEvent(tx, outbox, learnerPreferencesEvent, { learnerId: learner.id, credentialVisibility });
}

