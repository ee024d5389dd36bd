import { ConnectionType } from '@tauliah/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { ContactRequestRow } from '../db/schema.ts';
import { DECLINE_BLOCK_DAYS } from '../contact/rules.ts';
import { ConsentScope } from './consent.ts';

export enum ContactRequestStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(ContactRequestStatus, {
  name: 'ContactRequestStatus',
  description: "Where an employer's contact request stands.",
  valuesConfig: {
    PENDING: { description: 'Waiting for the learner to answer, until expiresAt.' },
    ACCEPTED: { description: 'The learner accepted: the employer holds the consent it asked for (consent), until that expires or the learner revokes it.' },
    DECLINED: { description: `The learner declined: the employer may not ask them again for ${DECLINE_BLOCK_DAYS} days (mayAskAgainAt).` },
    EXPIRED: { description: 'Not answered by expiresAt: it can no longer be accepted, and the employer may ask again.' },
  },
});

/** Owned by employers; a contact request names the employer that sent it. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Employer {
  @Field(() => ID)
  id!: string;
}

/** Owned by employers; a contact request is about one of the employer's job roles. */
@ObjectType()
@Directive('@key(fields: "id")')
export class JobRole {
  @Field(() => ID)
  id!: string;
}

@ObjectType({
  description:
    "An employer's request to a learner who opted in to being found: a message about one of its job roles, asking for named parts of the learner's data. Seen by the learner it is sent to and by the employer that sent it (its staff and partner systems).",
})
export class ContactRequest {
  @Field(() => ID)
  id!: string;

  @Field(() => Employer, { description: 'The employer asking.' })
  employer!: Employer;

  @Field(() => JobRole, { description: 'The job role the employer asks about, one of its published roles when it asked.' })
  jobRole!: JobRole;

  @Field(() => String, { description: "The employer's message, plain text." })
  message!: string;

  @Field(() => [ConsentScope], { description: 'The consent the employer asks for, granted to it if the learner accepts.' })
  scopes!: ConsentScope[];

  @Field(() => ContactRequestStatus)
  status!: ContactRequestStatus;

  @Field(() => Date)
  requestedAt!: Date;

  @Field(() => Date, { description: 'Until when the learner may accept it.' })
  expiresAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the learner accepted or declined it.' })
  answeredAt!: Date | null;

  @Field(() => Date, { nullable: true, description: `When a declined request ends its ${DECLINE_BLOCK_DAYS}-day block: the employer may ask this learner again from then. Null unless DECLINED.` })
  mayAskAgainAt!: Date | null;

  /** Resolved in contact-request.resolver.ts: the learner through the request's loaders, the consent likewise. */
  learnerId!: string;
  consentId!: string | null;
}

export const ContactRequestConnection = ConnectionType('ContactRequest', ContactRequest);

const DAY_MS = 86_400_000;

/** A stored request as its readers see it: a PENDING one past its expiry is EXPIRED, without a write. */
export function toContactRequest(row: ContactRequestRow, now = new Date()): ContactRequest {
  const status = row.status === 'PENDING' && row.expiresAt <= now ? ContactRequestStatus.EXPIRED : (row.status as ContactRequestStatus);
  return {
    id: row.id,
    employer: { id: row.employerId },
    jobRole: { id: row.jobRoleId },
    message: row.message,
    scopes: row.scopes as ConsentScope[],
    status,
    requestedAt: row.createdAt,
    expiresAt: row.expiresAt,
    answeredAt: row.answeredAt,
    mayAskAgainAt: status === ContactRequestStatus.DECLINED && row.answeredAt ? new Date(row.answeredAt.getTime() + DECLINE_BLOCK_DAYS * DAY_MS) : null,
    learnerId: row.learnerId,
    consentId: row.consentId,
  };
}
