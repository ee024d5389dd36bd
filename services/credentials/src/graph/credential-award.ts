import { Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { maySeeCredential } from '../policy.ts';
import { Credential, toCredential } from './credential.ts';
import { Pathway } from './progress/pathway.ts';

@ObjectType({
  description:
    "What an exit award certifies: a pathway stage completed (with every stage before it), issued by the pathway's provider as an Open Badges 3.0 Certificate or Diploma.",
})
export class CredentialAward {
  /** The award's own credential id, for its constituents. */
  awardId!: string;

  @Field(() => Pathway)
  pathway!: Pathway;

  @Field(() => Int, { description: 'The stage it completes.' })
  stagePosition!: number;
}

@Resolver(() => Credential)
export class CredentialAwardFieldResolver {
  @FieldResolver(() => CredentialAward, {
    nullable: true,
    description:
      "For a pathway's exit award (a Professional Certificate or Diploma, which has no course): the pathway and stage it certifies. Issued automatically by the pathway's provider " +
      'once the credentials that provider may read of the learner (those it issued, those the learner made PUBLIC, and all of them while the learner grants it CREDENTIALS) ' +
      'complete the stage and every stage before it; SUSPENDED while they no longer do, and reinstated when they do again. Null for a credential earned on a course.',
  })
  async award(@Root() { id }: Credential, @Ctx() { loaders }: Context): Promise<CredentialAward | null> {
    const row = await loaders.credential.load(id);
    if (!row?.awardPathwayId || row.awardStagePosition === null) return null;
    return { awardId: row.id, pathway: { id: row.awardPathwayId } as Pathway, stagePosition: row.awardStagePosition };
  }
}

@Resolver(() => CredentialAward)
export class CredentialAwardResolver {
  @FieldResolver(() => [Credential], {
    description:
      'The micro-credentials the award names as its evidence (as its signed document does), those you may see: a viewer who may not see one is not told of it.',
  })
  async constituents(@Root() award: CredentialAward, @Ctx() { viewer, loaders }: Context): Promise<Credential[]> {
    const rows = await loaders.progress.constituentsOfAward.load(award.awardId);
    return rows.filter((r) => maySeeCredential(viewer, r.credential)).map((r) => toCredential(r.credential));
  }
}
