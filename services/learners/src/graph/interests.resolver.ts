import { NotFound, parseInput, requirePrincipal } from '@tauliah/core';
import { eq, sql } from 'drizzle-orm';
import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { learnerInterest, type LearnerRow } from '../db/schema.ts';
import { checkInterests, interestsSchema, MAX_INTERESTS } from '../preferences/interests.ts';
import { Learner, toLearner, Visible } from './learner.ts';
import { Skill } from './recommendation.ts';

/** The skills a learner says they are interested in: what guides their recommendations when they name no goal. */
@Resolver(() => Learner)
export class InterestsResolver {
  @FieldResolver(() => [Skill], {
    nullable: true,
    description: 'The skills the learner said they are interested in (setMyInterests), in their order; empty until they choose. Only the learner and administrators see them.',
  })
  @Visible('IDENTITY')
  async interests(@Root() learner: LearnerRow, @Ctx() { loaders }: Context): Promise<Skill[]> {
    const row = await loaders.interests.load(learner.id);
    return (row?.skillCodes ?? []).map((code) => ({ code }));
  }

  @Authorized('LEARNER')
  @Mutation(() => Learner, {
    description: `The signed-in learner says which skills they are interested in (skill codes of the taxonomy in use, at most ${MAX_INTERESTS}, in their order), replacing what they said before: recommendations without a goal follow them. An unknown or retired code is BAD_USER_INPUT. Nobody but you and administrators sees them.`,
  })
  async setMyInterests(@Arg('skillCodes', () => [String]) rawCodes: string[], @Ctx() { viewer, db, loaders }: Context): Promise<Learner> {
    const { subject } = requirePrincipal(viewer);
    const codes = await checkInterests(loaders, parseInput(interestsSchema, rawCodes, 'skillCodes'));
    return saveInterests(db, loaders, subject, codes);
  }

  @Authorized('LEARNER')
  @Mutation(() => Learner, { description: 'The signed-in learner clears their interests. Clearing them again changes nothing.' })
  async clearMyInterests(@Ctx() { viewer, db, loaders }: Context): Promise<Learner> {
    const { subject } = requirePrincipal(viewer);
    return saveInterests(db, loaders, subject, []);
  }
}

/** Replaces the learner's interests (none: deletes them). */
async function saveInterests(db: Context['db'], loaders: Context['loaders'], learnerId: string, codes: string[]): Promise<Learner> {
  const learner = await loaders.learner.load(learnerId);
  if (!learner) throw new NotFound('Learner', learnerId);
  if (codes.length === 0) {
    await db.delete(learnerInterest).where(eq(learnerInterest.learnerId, learnerId));
    loaders.interests.clear(learnerId).prime(learnerId, null);
  } else {
    const [row] = await db
      .insert(learnerInterest)
      .values({ learnerId, skillCodes: codes })
      .onConflictDoUpdate({ target: learnerInterest.learnerId, set: { skillCodes: codes, updatedAt: sql`now()` } })
      .returning();
    loaders.interests.clear(learnerId).prime(learnerId, row!);
  }
  return toLearner(learner);
}
