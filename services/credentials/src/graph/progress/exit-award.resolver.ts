import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.ts';
import { maySeeCredential } from '../../policy.ts';
import { Credential, toCredential } from '../credential.ts';
import { PathwayExitAward } from './progress.ts';

@Resolver(() => PathwayExitAward)
export class PathwayExitAwardResolver {
  @FieldResolver(() => Credential, {
    nullable: true,
    description:
      "The award as a credential the learner holds, issued by the pathway's provider (its status says whether it holds now), when you may see it. " +
      'Null until it is issued (moments after the stage completes, from the credentials that provider may read), and for a viewer who may not see it.',
  })
  async credential(@Root() award: PathwayExitAward, @Ctx() { viewer, loaders }: Context): Promise<Credential | null> {
    const held = await loaders.progress.awardsOfHolder.load(award.learnerId);
    const row = held.find((c) => c.awardPathwayId === award.pathwayId && c.awardStagePosition === award.stagePosition);
    return row && maySeeCredential(viewer, row) ? toCredential(row) : null;
  }
}
