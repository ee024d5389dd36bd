import { z } from 'zod';
import { isUuid } from '../loaders.ts';
import { rules } from '../validation.ts';
import { defineEvent } from './envelope.ts';

/**
 * The events services exchange, declared once: the producer records them
 * through its outbox, consumers parse them with the same schema. A payload
 * carries only what consumers need; anything else is stripped before it is
 * recorded (never a name, NRIC or contact detail).
 */

/**
 * The state of residence employers' talent search may find a learner by,
 * sent when they register and whenever their state or their choice to share
 * it changes. It carries the state only while the learner shares it with
 * talent search (null: not shared, or none given). Credentials keeps it
 * current for the talent search state filter.
 */
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

export const learnerResidenceEvent = defineEvent(
  'learners',
  'learner.residence',
  z.object({
    learnerId: z.string().refine(isUuid, 'must be a learner id (a UUID)'),
    state: rules.malaysianState.nullable(),
  }),
);
