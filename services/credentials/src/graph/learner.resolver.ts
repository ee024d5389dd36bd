import { parseInput } from '@tauliah/core';
import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { maySeeCredential } from '../policy.ts';
import { Credential, CredentialStatus, toCredential } from './credential.ts';
import { statusFilterSchema } from './credential.inputs.ts';
import { Learner } from './references.ts';

@Resolver(() => Learner)
export class LearnerCredentialsResolver {
  @FieldResolver(() => [Credential], {
    nullable: true,
    description:
      "The learner's credentials that you may see, oldest first; the others are left out, not reported. Null, with SUBGRAPH_UNAVAILABLE, while the credentials service cannot answer: the learner's own data still arrives.",
  })
  async credentials(
    @Root() learner: Learner,
    @Arg('status', () => [CredentialStatus], { nullable: true, description: 'Only credentials in one of these statuses (EXPIRED included).' })
    status: CredentialStatus[] | null | undefined,
    @Ctx() { viewer, loaders }: Context,
  ): Promise<Credential[]> {
    const wanted = parseInput(statusFilterSchema, status, 'status');
    // One statement for every learner in the request; filtering happens here because EXPIRED depends on the clock.
    const rows = await loaders.credentialsOfHolder.load(learner.id);
    const now = new Date();
    return rows
      .filter((row) => maySeeCredential(viewer, row))
      .map((row) => toCredential(row, now))
      .filter((c) => !wanted || wanted.includes(c.status));
  }
}
