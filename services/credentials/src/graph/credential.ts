import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CredentialVisibility } from '@tauliah/core';
import type { CredentialRow } from '../db/schema.ts';
import { Course, Learner, Provider } from './references.ts';

export enum CredentialStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  REVOKED = 'REVOKED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(CredentialStatus, {
  name: 'CredentialStatus',
  description: 'Whether a credential can be relied on now.',
  valuesConfig: {
    ACTIVE: { description: 'Valid: issued, not suspended, revoked or past its expiry.' },
    SUSPENDED: { description: 'Temporarily not valid, pending a decision by the issuer.' },
    REVOKED: { description: 'Withdrawn by the issuer for good; stays REVOKED after its expiry date.' },
    EXPIRED: { description: 'Past expiresAt (a lapsed certification); derived, never stored.' },
  },
});

export { CredentialVisibility };

@ObjectType({ description: 'The record of one assessed achievement: who earned it, what it certifies, who issued it and whether it holds now.' })
@Directive('@key(fields: "id")')
export class Credential {
  @Field(() => ID)
  id!: string;

  @Field(() => Learner, { description: 'Who earned it.' })
  holder!: Learner;

  @Field(() => Course, { nullable: true, description: "The course it was earned on; null for a pathway's exit award (see award), which no course gives." })
  course!: Course | null;

  @Field(() => Provider, { description: 'The provider that issued it.' })
  issuer!: Provider;

  @Field(() => String, { description: "The course title at issuance; an exit award's title (e.g. 'Professional Certificate in Web Development')." })
  title!: string;

  @Field(() => Int, { nullable: true, description: 'MQA credits at issuance (1 credit = 40 hours of notional learning); null when not credit-bearing.' })
  credits!: number | null;

  @Field(() => Int, { nullable: true, description: 'MQF level (1-8) at issuance; null when the course is not on the framework.' })
  mqfLevel!: number | null;

  // skills: resolved in credential.resolver.ts through a DataLoader.

  @Field(() => Date)
  issuedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it lapses; null for a credential that does not expire.' })
  expiresAt!: Date | null;

  @Field(() => CredentialStatus)
  status!: CredentialStatus;

  @Field(() => String, { nullable: true, description: 'Why it was suspended or revoked.' })
  statusReason!: string | null;

  @Field(() => CredentialVisibility)
  visibility!: CredentialVisibility;

  @Field(() => ID, { nullable: true, description: 'The credential this one renewed (a renewal replaces it, it does not add to it).' })
  renewalOf!: string | null;

  @Field(() => ID, { nullable: true, description: 'The renewal that replaced this credential; it no longer counts as a held achievement.' })
  replacedBy!: string | null;
}

/** A stored status as read at `now`: an active credential past its expiry is EXPIRED; a revocation outlives expiry. */
export function effectiveStatus(row: Pick<CredentialRow, 'status' | 'expiresAt'>, now = new Date()): CredentialStatus {
  if (row.status === 'REVOKED') return CredentialStatus.REVOKED;
  if (row.expiresAt && row.expiresAt <= now) return CredentialStatus.EXPIRED;
  return CredentialStatus[row.status];
}

export function toCredential(row: CredentialRow, now = new Date()): Credential {
  return {
    id: row.id,
    holder: { id: row.holderId },
    course: row.courseId ? { id: row.courseId } : null,
    issuer: { id: row.issuerId },
    title: row.title,
    credits: row.credits,
    mqfLevel: row.mqfLevel,
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    status: effectiveStatus(row, now),
    statusReason: row.statusReason,
    visibility: CredentialVisibility[row.visibility],
    renewalOf: row.renewalOf,
    replacedBy: row.replacedBy,
  };
}
