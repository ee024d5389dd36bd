import { selectsBeyondId } from '@tauliah/core';
import type { GraphQLResolveInfo } from 'graphql';
import { Ctx, Directive, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { ConsentScope } from './consent-scope.ts';
import { Employer } from './employer.ts';
import { Learner } from './employment.ts';

/**
 * The one employment fact a funder needs for eligibility (HRD Corp grants
 * follow the employer), released on the learner's ELIGIBILITY consent rather
 * than to the employer alone as `employment` is. Employers does not hold
 * consent: it `@requires` `consentedScopes` from learners, which the gateway
 * fetched for this same viewer (only the gateway may send representations).
 * The learners of a request are answered as one batch (employment/eligibility.ts).
 */
@Resolver(() => Learner)
export class EligibilityEmployerResolver {
  @Directive('@requires(fields: "consentedScopes")')
  @FieldResolver(() => Employer, {
    nullable: true,
    description:
      "The employer of the learner's current employment (confirmed by the learner and lasting today), for funding eligibility checks. Null when there is none or when the learner has not given the viewer's organisation ELIGIBILITY consent.",
  })
  eligibilityEmployer(
    @Root() learner: Learner,
    @Ctx() { loaders }: Context,
    @Info() info: GraphQLResolveInfo,
  ): null | Promise<Employer | Pick<Employer, 'id'> | null> {
    if (!learner.consentedScopes?.includes(ConsentScope.ELIGIBILITY)) return null;
    const withFacts = selectsBeyondId(info);
    return loaders.eligibilityEmployer.load({ learnerId: learner.id, withFacts });
  }
}
