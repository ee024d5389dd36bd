import { NotFound, parseInput, requirePrincipal } from '@tauliah/core';
import { eq, sql } from 'drizzle-orm';
import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { talentHeadline, type LearnerRow } from '../db/schema.ts';
import { seesTalentHeadline } from '../policy.ts';
import { Learner, toLearner } from './learner.ts';
import { TalentHeadline, TalentHeadlineInput, talentHeadlineSchema, toTalentHeadline } from './talent-headline.ts';

/** A learner's opt-in to being found by employers with a headline of their own, and employers reading it (talent search resolves it through the query plan). */
@Resolver(() => Learner)
export class TalentHeadlineResolver {
  @FieldResolver(() => TalentHeadline, {
    nullable: true,
    description:
      "The learner's headline for employers while they opt in to being found (setTalentHeadline), else null. Employers (their staff and partner systems) read it, in talent search too; so do the learner and administrators. For anyone else it is null, as for a learner who never opted in.",
  })
  async talentHeadline(@Root() learner: LearnerRow, @Ctx() { viewer, loaders }: Context): Promise<TalentHeadline | null> {
    if (!seesTalentHeadline(viewer, learner.id)) return null;
    const row = await loaders.talentHeadline.load(learner.id);
    return row && toTalentHeadline(row);
  }

  @Authorized('LEARNER')
  @Mutation(() => Learner, {
    description:
      'The signed-in learner opts in to being found by employers with this headline, or changes it: every employer searching talent may read it, without your consent to anything else, and may send you a contact request (requestContact), which you accept or decline. Off until you set it; clearTalentHeadline opts out.',
  })
  async setTalentHeadline(@Arg('input', () => TalentHeadlineInput) rawInput: TalentHeadlineInput, @Ctx() { viewer, db, loaders }: Context): Promise<Learner> {
    const { subject } = requirePrincipal(viewer);
    const input = parseInput(talentHeadlineSchema, rawInput);
    const learner = await loaders.learner.load(subject);
    if (!learner) throw new NotFound('Learner', subject);
    const [row] = await db
      .insert(talentHeadline)
      .values({ learnerId: subject, ...input })
      .onConflictDoUpdate({ target: talentHeadline.learnerId, set: { ...input, updatedAt: sql`now()` } })
      .returning();
    loaders.talentHeadline.clear(subject).prime(subject, row!);
    return toLearner(learner);
  }

  @Authorized('LEARNER')
  @Mutation(() => Learner, {
    description:
      'The signed-in learner opts out of being found with a headline: it is deleted, employers no longer read it, and no employer may send you a new contact request. Requests already sent stay yours to answer. Clearing it again changes nothing.',
  })
  async clearTalentHeadline(@Ctx() { viewer, db, loaders }: Context): Promise<Learner> {
    const { subject } = requirePrincipal(viewer);
    const learner = await loaders.learner.load(subject);
    if (!learner) throw new NotFound('Learner', subject);
    await db.delete(talentHeadline).where(eq(talentHeadline.learnerId, subject));
    loaders.talentHeadline.clear(subject).prime(subject, null);
    return toLearner(learner);
  }
}
