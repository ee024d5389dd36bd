import { BadInput, parseInput, rules } from '@tauliah/core';
import { Arg, Ctx, Directive, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { z } from 'zod';
import type { Context } from '../../context.ts';
import { assertPermitted, countable, progressBases } from './access.ts';
import { PATHWAY_REQUIRES, Pathway, type PathwayDefinition } from './pathway.ts';
import { PathwayProgress } from './progress.ts';
import { computeProgress, type Progress } from './rules.ts';

/** A funder or provider asks about a cohort at once; beyond this, page the cohort. */
export const MAX_LEARNERS_PER_PROGRESS = 5_000;

const learnerId = rules.uuid('learner id');
const learnerIds = z
  .array(learnerId)
  .min(1, 'must name at least one learner')
  .max(MAX_LEARNERS_PER_PROGRESS, `may name at most ${MAX_LEARNERS_PER_PROGRESS} learners`);

@Resolver(() => Pathway)
export class PathwayProgressResolver {
  @Directive(`@requires(fields: "${PATHWAY_REQUIRES}")`)
  @FieldResolver(() => PathwayProgress, {
    nullable: true,
    description:
      "One learner's progress and APEL.M eligibility on this pathway. For the learner, administrators and anyone the learner granted CREDENTIALS, from all their credentials; for a provider the learner is enrolled with, from the credentials that provider may read; others get FORBIDDEN.",
  })
  async progress(@Root() pathway: PathwayDefinition, @Arg('learnerId', () => ID) rawLearnerId: string, @Ctx() context: Context): Promise<PathwayProgress> {
    const id = parseInput(learnerId, rawLearnerId, 'learnerId');
    const [progress] = await progressOf(pathway, [id], context);
    return progress!;
  }

  @Directive(`@requires(fields: "${PATHWAY_REQUIRES}")`)
  @FieldResolver(() => [PathwayProgress], {
    nullable: true,
    description: `Progress of many learners at once (up to ${MAX_LEARNERS_PER_PROGRESS}), in the order asked: one database read however many. FORBIDDEN unless you may see every one of them.`,
  })
  async progressFor(
    @Root() pathway: PathwayDefinition,
    @Arg('learnerIds', () => [ID]) rawLearnerIds: string[],
    @Ctx() context: Context,
  ): Promise<PathwayProgress[]> {
    const ids = parseInput(learnerIds, rawLearnerIds, 'learnerIds');
    return progressOf(pathway, ids, context);
  }
}

async function progressOf(pathway: PathwayDefinition, ids: string[], context: Context): Promise<PathwayProgress[]> {
  if (!pathway.stages || !pathway.provider) throw new BadInput('Pathway progress is resolved through the gateway, which supplies the pathway definition.');
  const bases = await progressBases(context.viewer, ids, context.loaders.progress);
  assertPermitted(bases, ids);
  const held = await context.loaders.progress.heldCredentials.loadMany(ids);
  const now = new Date();
  return ids.map((id, i) => {
    const credentials = held[i];
    if (credentials instanceof Error) throw credentials;
    return toPathwayProgress(computeProgress(pathway, id, countable(context.viewer, bases.get(id)!, credentials ?? []), now));
  });
}

/** The computed figures as GraphQL objects; courses, the pathway and the learner are references the gateway resolves. */
export function toPathwayProgress(p: Progress): PathwayProgress {
  const course = (id: string) => ({ id });
  return {
    ...p,
    pathway: { id: p.pathwayId } as Pathway,
    learner: { id: p.learnerId },
    stages: p.stages.map((s) => ({ ...s, missingCourses: s.missingCourseIds.map(course) })),
    nextCourses: p.nextCourseIds.map(course),
    exitAwards: p.exitAwards.map((a) => ({ ...a, learnerId: p.learnerId, pathwayId: p.pathwayId })),
    earned: p.earned.map((e) => ({ course: course(e.courseId), credits: e.credits, recognisedCourse: e.recognisedCourseId ? course(e.recognisedCourseId) : null })),
  };
}
