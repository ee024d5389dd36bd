import { Conflict, rules } from '@tauliah/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { z } from 'zod';

export enum DecisionStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}
registerEnumType(DecisionStatus, { name: 'DecisionStatus', description: 'Where a submission stands. A decided record is never changed; a new submission supersedes a rejected one.' });

export enum Decision {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
}
registerEnumType(Decision, { name: 'Decision' });

@ObjectType({ description: 'Who decided, when and why.' })
export class DecisionRecord {
  @Field(() => String, { description: 'The subject of the funder staff member who decided.' })
  decidedBy!: string;

  @Field(() => Date)
  decidedAt!: Date;

  @Field(() => String)
  reason!: string;
}

export const decisionReason = rules.nonEmpty(1000);
export const idempotencyKey = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

interface Decided {
  status: string;
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
}

export const statusOf = (decision: Decision) => (decision === Decision.APPROVE ? DecisionStatus.APPROVED : DecisionStatus.REJECTED);

export const decisionOf = (row: Decided): DecisionRecord | null =>
  row.decidedAt && row.decidedBy && row.reason !== null ? { decidedBy: row.decidedBy, decidedAt: row.decidedAt, reason: row.reason } : null;

/**
 * A decision arrived for a record that is no longer pending: a partner's
 * retry of the same decision by the same person gets the record back; any
 * other is refused, because decided records are never changed.
 */
export function alreadyDecided<R extends Decided>(row: R, decision: Decision, subject: string, what: string): R {
  if (row.status === statusOf(decision) && row.decidedBy === subject) return row;
  throw new Conflict(`This ${what} was already decided (${row.status}) and decisions are final; submit a new one to supersede it.`);
}
