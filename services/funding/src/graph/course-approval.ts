import { ConnectionType } from '@tauliah/core';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { CourseApprovalRow } from '../db/schema.ts';
import { DecisionRecord, DecisionStatus, decisionOf } from './decision.ts';
import { Course } from './entities.ts';
import { Scheme } from './scheme.ts';

@ObjectType({ description: "A provider's request that a scheme fund a course, and the funder's decision." })
export class CourseApproval {
  @Field(() => ID)
  id!: string;

  @Field(() => Scheme)
  scheme!: Scheme;

  @Field(() => Course)
  course!: Course;

  @Field(() => ID, { description: 'The provider that submitted the course.' })
  providerId!: string;

  @Field(() => DecisionStatus)
  status!: DecisionStatus;

  @Field(() => String, { description: 'Who submitted it (a token subject).' })
  submittedBy!: string;

  @Field(() => Date)
  submittedAt!: Date;

  @Field(() => DecisionRecord, { nullable: true, description: 'Null while pending.' })
  decision!: DecisionRecord | null;

  @Field(() => ID, { nullable: true, description: 'The rejected submission this one supersedes.' })
  supersedesId!: string | null;
}

export const CourseApprovalConnection = ConnectionType('CourseApproval', CourseApproval);

@InputType({ description: 'Narrows the course approval queue; all given conditions must hold.' })
export class CourseApprovalFilter {
  @Field(() => ID, { nullable: true })
  schemeId?: string | null;

  @Field(() => DecisionStatus, { nullable: true })
  status?: DecisionStatus | null;

  @Field(() => ID, { nullable: true })
  providerId?: string | null;

  @Field(() => ID, { nullable: true })
  courseId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Submitted at or after this time.' })
  submittedFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Submitted before this time.' })
  submittedBefore?: Date | null;
}

/** The row keeps its scheme id for the `scheme` field resolver. */
export const toCourseApproval = (row: CourseApprovalRow) => ({
  ...row,
  status: row.status as DecisionStatus,
  course: { id: row.courseId },
  decision: decisionOf(row),
});
