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
 * A learner's state of residence, sent when they register and whenever it
 * changes (null: none given). Credentials keeps it current for talent search.
 */
export const learnerResidenceEvent = defineEvent(
  'learners',
  'learner.residence',
  z.object({
    learnerId: z.string().refine(isUuid, 'must be a learner id (a UUID)'),
    state: rules.malaysianState.nullable(),
  }),
);
