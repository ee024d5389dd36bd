import { Conflict, rules } from '@tauliah/core';
import { z } from 'zod';
import { Decision, DecisionStatus } from '../graph/decision.ts';

export const decisionReason = rules.nonEmpty(1000);
export const idempotencyKey = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export interface Decided {
  status: string;
  decidedBy: string | null;
}

export const statusOf = (decision: Decision) => (decision === Decision.APPROVE ? DecisionStatus.APPROVED : DecisionStatus.REJECTED);

/**
 * A decision arrived for a record that is no longer pending: a partner's
 * retry of the same decision by the same person gets the record back; any
 * other is refused, because decided records are never changed.
 */
export function alreadyDecided<R extends Decided>(row: R, decision: Decision, subject: string, what: string): R {
  const status: string = statusOf(decision);
  if (row.status === status && row.decidedBy === subject) return row;
  throw new Conflict(`This ${what} was already decided (${row.status}) and decisions are final; submit a new one to supersede it.`);
}
