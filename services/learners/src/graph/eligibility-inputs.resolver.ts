import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import type { LearnerRow } from '../db/schema.ts';
import { Citizenship, Learner } from './learner.ts';

// Released whole by eligibilityInputs below, so its fields are read as they are (no resolver per field for each of 10,000 learners).
@ObjectType({ description: "The personal facts funding rules read (age, citizenship), released as a whole or not at all.", simpleResolvers: true })
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
  eligibilityInputs(@Root() learner: LearnerRow, @Ctx() { loaders }: Context): LearnerEligibilityInputs | null | Promise<LearnerEligibilityInputs | null> {
    return loaders.viewerAccess.read(learner.id, ({ scopes }) =>
      scopes.has('PERSONAL') ? { dateOfBirth: learner.dateOfBirth, citizenship: learner.citizenship as Citizenship } : null,
    );
  }
}
