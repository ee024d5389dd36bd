import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.ts';
import { Learner } from '../references.ts';
import { permittedLearners } from './access.ts';
import type { PathwayDefinition } from './pathway.ts';
import { PathwayProgress } from './progress.ts';
import { toPathwayProgress } from './progress.resolver.ts';
import { computeProgress, creditsByCourse } from './rules.ts';

/**
 * Learner.pathways: the definitions of the pathways crediting any course the
 * learners hold come from the graph, as the viewer (one call for all the
 * learners of the request, see loaders.ts); the progress itself is computed
 * here exactly as Pathway.progress computes it.
 */
@Resolver(() => Learner)
export class LearnerPathwaysResolver {
  @FieldResolver(() => [PathwayProgress], {
    description:
      "Progress on every pathway the learner has credits in, by pathway. You see the pathways you may see progress on (see Pathway.progress); the others are left out.",
  })
  async pathways(@Root() learner: Learner, @Ctx() context: Context): Promise<PathwayProgress[]> {
    const now = new Date();
    const credentials = await context.loaders.progress.heldCredentials.load(learner.id);
    const courseIds = [...creditsByCourse(credentials, now).keys()];
    if (courseIds.length === 0) return [];
    const definitions = await context.loaders.progress.pathwaysCrediting.loadMany(courseIds);
    const pathways = new Map<string, PathwayDefinition>();
    for (const found of definitions) {
      if (found instanceof Error) throw found;
      for (const p of found ?? []) pathways.set(p.id, p);
    }
    const shown: PathwayProgress[] = [];
    for (const pathway of [...pathways.values()]) {
      const permitted = await permittedLearners(context.viewer, [learner.id], pathway.provider.id, context.loaders.progress);
      if (!permitted.has(learner.id)) continue;
      const progress = computeProgress(pathway, learner.id, credentials, now);
      if (progress.creditsEarned > 0) shown.push(toPathwayProgress(progress));
    }
    return shown.sort((a, b) => a.pathway.id.localeCompare(b.pathway.id));
  }
}
