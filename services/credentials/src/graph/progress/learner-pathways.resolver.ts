import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.ts';
import { Learner } from '../references.ts';
import { countable, progressBases } from './access.ts';
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
    nullable: true,
    description:
      'Progress on every pathway the learner has credits in, by pathway, computed as Pathway.progress computes it for you (from every credential, or only those you may read); empty when you may not see their progress. Null, with SUBGRAPH_UNAVAILABLE, while the credentials service cannot answer.',
  })
  async pathways(@Root() learner: Learner, @Ctx() context: Context): Promise<PathwayProgress[]> {
    const now = new Date();
    const [basis] = [(await progressBases(context.viewer, [learner.id], context.loaders.progress)).get(learner.id)];
    // Which pathways a learner is on says which credentials they hold: none for a viewer who may not see progress.
    if (!basis) return [];
    const credentials = countable(context.viewer, basis, await context.loaders.progress.heldCredentials.load(learner.id));
    const courseIds = [...creditsByCourse(credentials, now).keys()];
    if (courseIds.length === 0) return [];
    const definitions = await context.loaders.progress.pathwaysCrediting.loadMany(courseIds);
    const pathways = new Map<string, PathwayDefinition>();
    for (const found of definitions) {
      if (found instanceof Error) throw found;
      for (const p of found ?? []) pathways.set(p.id, p);
    }
    const shown: PathwayProgress[] = [];
    for (const pathway of pathways.values()) {
      const progress = computeProgress(pathway, learner.id, credentials, now);
      if (progress.creditsEarned > 0) shown.push(toPathwayProgress(progress));
    }
    return shown.sort((a, b) => a.pathway.id.localeCompare(b.pathway.id));
  }
}
