import { Cacheable, rules } from '@tauliah/core';
import { Authorized, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { z } from 'zod';

@ObjectType({
  description: "Credit transfer: a provider counts another provider's course as equivalent to one of its own, granting credits. Pathway progress honours it while it stands.",
})
@Cacheable()
export class CreditRecognition {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { description: 'The recognising provider’s own course that the other course counts as.' })
  courseId!: string;

  @Field(() => ID, { description: "The other provider's course being recognised." })
  recognisedCourseId!: string;

  @Field(() => Int, { description: 'Credits a holder of the recognised course earns towards the recognising course.' })
  creditsGranted!: number;

  @Authorized()
  @Field(() => String, { description: 'Who approved it (the staff member or system subject); signed-in viewers only.' })
  approvedBy!: string;

  @Field(() => Date)
  approvedAt!: Date;

  @Authorized()
  @Field(() => String, { nullable: true, description: 'Who withdrew it; signed-in viewers only.' })
  withdrawnBy!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was withdrawn; it no longer counts from then on.' })
  withdrawnAt!: Date | null;
}

@InputType()
export class RecordCreditRecognitionInput {
  @Field(() => ID, { description: 'Your course, which the other course will count as.' })
  courseId!: string;

  @Field(() => ID, { description: "Another provider's course." })
  recognisedCourseId!: string;

  @Field(() => Int, { description: "Credits granted: from 1 up to your course's credits." })
  creditsGranted!: number;
}

export const recognitionSchema = z
  .object({
    courseId: rules.uuid('course id'),
    recognisedCourseId: rules.uuid('course id'),
    creditsGranted: z.number().int('must be a whole number').min(1, 'must be at least 1'),
  })
  .refine((r) => r.courseId !== r.recognisedCourseId, { path: ['recognisedCourseId'], message: 'must be a different course' });
