import { learnerResidenceEvent, recordEvent, type Database } from '@tauliah/core';
import { outbox } from '../db/schema.ts';

/**
 * The state employers' talent search may know a learner by: their state of
 * residence only while they chose to share it, else none. Every residence
 * event carries this, never the state itself: filtering on a state tells the
 * employer where each learner found lives, so without this choice any
 * employer could learn it without the learner's PROFILE consent.
 */
export function stateForTalentSearch(learner: { state: string | null; shareStateInTalentSearch: boolean }): string | null {
  return learner.shareStateInTalentSearch ? learner.state : null;
}

/**
 * Announces a learner's residence (learner.residence) through the outbox, in
 * the transaction that registered them or changed their state or their
 * choice to share it, so credentials' talent search never misses a change.
 */
export function announceResidence(
  tx: Pick<Database, 'insert'>,
  learner: { id: string; state: string | null; shareStateInTalentSearch: boolean },
): Promise<void> {
  return recordEvent(tx, outbox, learnerResidenceEvent, { learnerId: learner.id, state: stateForTalentSearch(learner) });
}
