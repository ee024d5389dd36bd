import { Field, ObjectType, registerEnumType } from 'type-graphql';

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

interface Decided {
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
}

export const decisionOf = (row: Decided): DecisionRecord | null =>
  row.decidedAt && row.decidedBy && row.reason !== null ? { decidedBy: row.decidedBy, decidedAt: row.decidedAt, reason: row.reason } : null;

