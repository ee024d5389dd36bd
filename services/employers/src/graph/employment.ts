import { rules, todayInMalaysia } from '@tauliah/core';
import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { z } from 'zod';
import type { EmploymentRow } from '../db/schema.ts';
import { lastsOn } from '../employment/dates.ts';
import { ConsentScope } from './consent-scope.ts';

@ObjectType({ description: 'A learner, owned by the learners service; employers adds their employment.' })
@Directive('@key(fields: "id")')
export class Learner {
  @Field(() => ID)
  id!: string;

  /** Owned by learners: what the learner consented to share with the viewer's organisation; present only where `@requires` asked for it. */
  @Field(() => [ConsentScope], { description: 'Owned by the learners service.' })
  @Directive('@external')
  consentedScopes?: ConsentScope[];
}

export enum EmploymentStatus {
  PENDING = 'PENDING',
  CONFIRMED = 'CONFIRMED',
  DECLINED = 'DECLINED',
}
registerEnumType(EmploymentStatus, {
  name: 'EmploymentStatus',
  description: "The learner's answer to an employment record their employer made.",
  valuesConfig: {
    PENDING: { description: 'Recorded by the employer, not yet confirmed by the learner: it counts nowhere.' },
    CONFIRMED: { description: 'The learner confirmed it: while it lasts, the employer is their current employer (for funding eligibility, say).' },
    DECLINED: { description: 'The learner did not recognise it: it never counts, and cannot be confirmed or ended.' },
  },
});

@ObjectType({ description: 'A period a learner worked for an employer, as the employer recorded it and the learner answered it.' })
export class Employment {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  jobTitle!: string;

  @Field(() => String, { description: 'First day, YYYY-MM-DD.' })
  since!: string;

  @Field(() => String, { nullable: true, description: 'Last day, YYYY-MM-DD (it may lie ahead, in a notice period); null while no end is recorded.' })
  until!: string | null;

  @Field(() => Boolean, { description: 'The learner confirmed the record; only confirmed employment counts (for funding, say).' })
  confirmedByLearner!: boolean;

  @Field(() => EmploymentStatus)
  status!: EmploymentStatus;

  @Field(() => Boolean, { description: 'True while it lasts: not declined, and no end date or one not yet passed (Malaysian calendar day).' })
  current!: boolean;

  @Field(() => Date, { description: 'When the employer recorded it.' })
  recordedAt!: Date;
}

export const statusOf = (row: Pick<EmploymentRow, 'confirmedByLearner' | 'declinedAt'>): EmploymentStatus =>
  row.declinedAt ? EmploymentStatus.DECLINED : row.confirmedByLearner ? EmploymentStatus.CONFIRMED : EmploymentStatus.PENDING;

export const toEmployment = (row: EmploymentRow, today = todayInMalaysia()): Employment & EmploymentRow => ({
  ...row,
  status: statusOf(row),
  current: lastsOn(row, today),
  recordedAt: row.createdAt,
});

@InputType({ description: 'Someone working for your employer, as your records say: the learner confirms it before it counts.' })
export class RecordEmploymentInput {
  @Field(() => ID, { description: "The learner's id on this platform (the learner can tell you theirs)." })
  learnerId!: string;

  @Field(() => String)
  jobTitle!: string;

  @Field(() => String, { description: 'First day, YYYY-MM-DD; today at the latest (Malaysian calendar day).' })
  since!: string;
}

export const idempotencyKeySchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** Employment is recorded once it has begun: `since` is today at the latest, in Malaysia (read when the input is). */
export const recordEmploymentSchema = z.object({
  learnerId: rules.uuid('learner id'),
  jobTitle: rules.nonEmpty(200),
  since: rules.isoDate.refine((since) => since <= todayInMalaysia(), 'must not be in the future: record employment from its first day'),
});
