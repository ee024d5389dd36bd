import { Citizenship, ConsentScope } from '@tauliah/core';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

/**
 * Entities other services own, as funding sees them: the key, the fields
 * funding reads through `@requires` (marked `@external`), and what funding adds.
 */
export { ConsentScope };

@ObjectType({ description: 'A company, owned by the employers service; funding adds its HRD Corp levy account.' })
@Directive('@key(fields: "id")')
export class Employer {
  @Field(() => ID)
  id!: string;
}

/** Owned by the learners service: date of birth and citizenship, or null when withheld from the viewer. */
@ObjectType()
export class LearnerEligibilityInputs {
  @Field(() => String)
  @Directive('@external')
  dateOfBirth!: string;

  @Field(() => Citizenship)
  @Directive('@external')
  citizenship!: string;
}

@ObjectType({ description: 'A learner, owned by the learners service; funding adds eligibility.' })
@Directive('@key(fields: "id")')
export class Learner {
  @Field(() => ID)
  id!: string;

  @Field(() => LearnerEligibilityInputs, { nullable: true, description: 'Owned by the learners service.' })
  @Directive('@external')
  eligibilityInputs?: LearnerEligibilityInputs | null;

  @Field(() => [ConsentScope], { description: 'Owned by the learners service.' })
  @Directive('@external')
  consentedScopes?: ConsentScope[];

  @Field(() => Employer, { nullable: true, description: 'Owned by the employers service.' })
  @Directive('@external')
  eligibilityEmployer?: Employer | null;
}

@ObjectType({ description: 'A course, owned by the providers service; funding adds the schemes that fund it.' })
@Directive('@key(fields: "id")')
export class Course {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'Owned by the providers service.' })
  @Directive('@external')
  feeSen?: number;

  @Field(() => Int, { nullable: true, description: 'Owned by the providers service.' })
  @Directive('@external')
  mqfLevel?: number | null;
}

/** The learner facts eligibility reads, however they arrived (a representation or a graph query). */
export interface LearnerFacts {
  id: string;
  eligibilityInputs?: { dateOfBirth: string; citizenship: string } | null;
  consentedScopes?: string[] | null;
  eligibilityEmployer?: { id: string } | null;
}
