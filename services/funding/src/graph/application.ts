import { ConnectionType } from '@tauliah/core';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ApplicationRow } from '../db/schema.ts';
import { DecisionRecord, DecisionStatus, decisionOf } from './decision.ts';
import { Course, Employer, Learner } from './entities.ts';
import { Scheme } from './scheme.ts';

export enum ApplicationKind {
  B40_AID = 'B40_AID',
  HRD_CORP_CLAIM = 'HRD_CORP_CLAIM',
}
registerEnumType(ApplicationKind, {
  name: 'ApplicationKind',
  valuesConfig: {
    B40_AID: { description: 'A learner applies for B40 aid for a course.' },
    HRD_CORP_CLAIM: { description: "An employer claims an HRD Corp grant for an employee's course, drawn from its levy account." },
  },
});

@ObjectType({ description: 'A request for a scheme to pay for one learner\'s course, and the funder\'s decision. Approval commits the amount from the scheme\'s budget.' })
export class FundingApplication {
  @Field(() => ID)
  id!: string;

  @Field(() => ApplicationKind)
  kind!: ApplicationKind;

  @Field(() => Scheme)
  scheme!: Scheme;

  @Field(() => Learner)
  learner!: Learner;

  @Field(() => Course)
  course!: Course;

  @Field(() => Employer, { nullable: true, description: 'The claiming employer (HRD Corp claims).' })
  employer!: Employer | null;

  @Field(() => Int, { nullable: true, description: 'Monthly household income the learner declared, in sen (B40 aid).' })
  declaredHouseholdIncomeSen!: number | null;

  @Field(() => String, { nullable: true, description: 'Where the income evidence is kept (e.g. an LHDN or STR reference).' })
  evidenceReference!: string | null;

  @Field(() => Int, { description: 'What the scheme pays if approved, in sen, fixed when applied for.' })
  amountSen!: number;

  @Field(() => DecisionStatus)
  status!: DecisionStatus;

  @Field(() => String)
  submittedBy!: string;

  @Field(() => Date)
  submittedAt!: Date;

  @Field(() => DecisionRecord, { nullable: true })
  decision!: DecisionRecord | null;

  @Field(() => ID, { nullable: true, description: 'The rejected application this one supersedes.' })
  supersedesId!: string | null;
}

export const FundingApplicationConnection = ConnectionType('FundingApplication', FundingApplication);

@InputType({ description: 'Narrows the applications list; all given conditions must hold.' })
export class FundingApplicationFilter {
  @Field(() => ID, { nullable: true })
  schemeId?: string | null;

  @Field(() => DecisionStatus, { nullable: true })
  status?: DecisionStatus | null;

  @Field(() => ID, { nullable: true })
  learnerId?: string | null;
}

@InputType()
export class ApplyForB40AidInput {
  @Field(() => ID)
  schemeId!: string;

  @Field(() => ID)
  courseId!: string;

  @Field(() => Int, { description: 'Monthly household income in sen (RM 1 = 100 sen).' })
  householdIncomeSen!: number;

  @Field(() => String, { description: 'Where the evidence of income is kept, e.g. "LHDN-BE-2025-…" or an STR reference.' })
  evidenceReference!: string;

  @Field(() => String, { nullable: true, description: 'Retrying with the same key returns the first application.' })
  idempotencyKey?: string | null;
}

@InputType()
export class ClaimHrdCorpGrantInput {
  @Field(() => ID)
  schemeId!: string;

  @Field(() => ID, { description: 'The employee, whose current confirmed employer must be yours.' })
  learnerId!: string;

  @Field(() => ID)
  courseId!: string;

  @Field(() => String, { nullable: true, description: 'Retrying with the same key returns the first claim.' })
  idempotencyKey?: string | null;
}

export const toApplication = (row: ApplicationRow) => ({
  ...row,
  kind: row.kind as ApplicationKind,
  status: row.status as DecisionStatus,
  learner: { id: row.learnerId },
  course: { id: row.courseId },
  employer: row.employerId ? { id: row.employerId } : null,
  decision: decisionOf(row),
});
