import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { EnrolmentRow } from '../db/schema.ts';
import { Learner } from './learner.ts';

export enum EnrolmentStatus {
  ACTIVE = 'ACTIVE',
  ENDED = 'ENDED',
}
registerEnumType(EnrolmentStatus, {
  name: 'EnrolmentStatus',
  valuesConfig: {
    ACTIVE: { description: 'The learner studies with the provider, which may read their profile, contact and personal details.' },
    ENDED: { description: 'Ended by the learner or the provider; the provider reads only what the learner consented to.' },
  },
});

export enum EnrolmentOutcome {
  ENROLLED = 'ENROLLED',
  LINKED = 'LINKED',
}
registerEnumType(EnrolmentOutcome, {
  name: 'EnrolmentOutcome',
  valuesConfig: {
    ENROLLED: { description: 'A new learner was registered, with this enrolment.' },
    LINKED: { description: 'The identity document and date of birth are those of a registered learner, who is now enrolled with you too.' },
  },
});

/** Owned by providers; an enrolment points at it. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Provider {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: "A learner's enrolment with one provider, under that provider's own student number. A learner may be enrolled with many providers." })
export class Enrolment {
  @Field(() => ID)
  id!: string;

  @Field(() => Provider)
  provider!: Provider;

  @Field(() => String, { description: "The provider's own number for the student, in upper case." })
  studentNumber!: string;

  @Field(() => EnrolmentStatus)
  status!: EnrolmentStatus;

  @Field(() => Date)
  enrolledAt!: Date;

  @Field(() => Date, { nullable: true })
  endedAt!: Date | null;
}

export const toEnrolment = (row: EnrolmentRow): Enrolment => ({
  id: row.id,
  provider: { id: row.providerId },
  studentNumber: row.studentNumber,
  status: row.status as EnrolmentStatus,
  enrolledAt: row.enrolledAt,
  endedAt: row.endedAt,
});

@ObjectType({ description: 'What enrolLearner did: enrolled a new learner, or linked the learner the identity document and date of birth belong to.' })
export class EnrolmentResult {
  @Field(() => EnrolmentOutcome)
  outcome!: EnrolmentOutcome;

  @Field(() => Boolean, { description: 'True when an earlier call with the same idempotency key did this, and this call only answers it again.' })
  replayed!: boolean;

  @Field(() => Learner)
  learner!: Learner;

  @Field(() => Enrolment)
  enrolment!: Enrolment;
}

@ObjectType({ description: 'Why one row of enrolLearners enrolled nobody.' })
export class EnrolmentRowError {
  @Field(() => String, { description: 'BAD_USER_INPUT (the row is invalid) or CONFLICT (the student number or the student is already enrolled with you, or repeated in the request).' })
  code!: string;

  @Field(() => String)
  message!: string;
}

@ObjectType({ description: 'One row of enrolLearners, in the order given: an enrolment (of a new or an existing learner) or an error.' })
export class EnrolmentRowResult {
  @Field(() => Int, { description: 'Position of the row in the input list, from 0.' })
  index!: number;

  @Field(() => EnrolmentOutcome, { nullable: true })
  outcome!: EnrolmentOutcome | null;

  /** Resolved through the request's loaders (enrolment.resolver.ts): one query for every row. */
  learnerId!: string | null;
  enrolmentId!: string | null;

  @Field(() => EnrolmentRowError, { nullable: true })
  error!: EnrolmentRowError | null;
}

@ObjectType({ description: 'A student records system\'s enrolment request: what each row came to. Retrying with the same idempotency key answers this again and enrols nobody twice.' })
export class EnrolmentBatch {
  @Field(() => String)
  idempotencyKey!: string;

  @Field(() => Boolean, { description: 'True when an earlier call with this key did the enrolments, and this call only answers them again.' })
  replayed!: boolean;

  @Field(() => Int, { description: 'Rows that registered a new learner.' })
  enrolled!: number;

  @Field(() => Int, { description: 'Rows that enrolled a learner already registered.' })
  linked!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => [EnrolmentRowResult])
  results!: EnrolmentRowResult[];
}

@ObjectType({ description: "One of your provider's student numbers and the learner it names, while that enrolment is ACTIVE." })
export class EnrolledStudent {
  @Field(() => String, { description: 'The student number as kept: trimmed, in upper case.' })
  studentNumber!: string;

  @Field(() => Learner)
  learner!: Learner;
}
