import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import type { LearnerRow } from '../db/schema.ts';
import { Citizenship, Learner, viewerScopes } from './learner.ts';

@ObjectType({ description: "The personal facts funding rules read (age, citizenship), released as a whole or not at all." })
export class LearnerEligibilityInputs {
  @Field(() => String, { description: 'ISO date (YYYY-MM-DD).' })
  dateOfBirth!: string;

  @Field(() => Citizenship)
  citizenship!: Citizenship;
}

@Resolver(() => Learner)
export class EligibilityInputsResolver {
  /**
   * For services that @requires the learner's personal facts for thousands of
   * learners at once: the same PERSONAL scope as dateOfBirth and citizenship,
   * but null rather than a FORBIDDEN error per learner when it is withheld,
   * so a funder's batch answer is not buried in errors.
   */
  @FieldResolver(() => LearnerEligibilityInputs, {
    nullable: true,
    description:
      "Date of birth and citizenship, or null when the learner has not shared them with you (PERSONAL consent; never employers). Made for eligibility checks over many learners: withheld data is null, not an error.",
  })
  async eligibilityInputs(@Root() learner: LearnerRow, @Ctx() context: Context): Promise<LearnerEligibilityInputs | null> {
    if (!(await viewerScopes(context, learner.id)).has('PERSONAL')) return null;
    return { dateOfBirth: learner.dateOfBirth, citizenship: learner.citizenship as Citizenship };
  }
}
