import type { InternalGraph } from '@tauliah/core';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.ts';
import { Learner } from '../references.ts';
import { permittedLearners } from './access.ts';
import { PATHWAY_DEFINITION, type PathwayDefinition } from './pathway.ts';
import { PathwayProgress } from './progress.ts';
import { toPathwayProgress } from './progress.resolver.ts';
import { computeProgress, creditsByCourse, type HeldCredential } from './rules.ts';

const PATHWAYS_CREDITING = `query($courseIds: [ID!]!) { pathways(courseIds: $courseIds) { ${PATHWAY_DEFINITION} } }`;

/**
 * Learner.pathways. @requires cannot reach pathways from a Learner (nothing
 * on a learner names them), so this asks the graph, as the viewer, for the
 * definitions of the pathways crediting any course the learners hold: one
 * call for all the learners of the request, batched by a DataLoader. The
 * progress itself is computed here exactly as Pathway.progress computes it.
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
    const definitions = await pathwaysLoader(context).loadMany(courseIds);
    const pathways = new Map<string, PathwayDefinition>();
    for (const found of definitions) {
      if (found instanceof Error) throw found;
      for (const p of found) pathways.set(p.id, p);
    }
    const shown: PathwayProgress[] = [];
    for (const pathway of [...pathways.values()]) {
      const permitted = await permittedLearners(context.viewer, [learner.id], pathway.provider.id, () => context.loaders.progress.consent(context.graph));
      if (!permitted.has(learner.id)) continue;
      const progress = computeProgress(pathway, learner.id, credentials as HeldCredential[], now);
      if (progress.creditsEarned > 0) shown.push(toPathwayProgress(progress));
    }
    return shown.sort((a, b) => a.pathway.id.localeCompare(b.pathway.id));
  }
}

/** Pathways crediting each course, for every course of every learner in the request: one graph call. */
const loaders = new WeakMap<object, DataLoader<string, PathwayDefinition[]>>();
function pathwaysLoader(context: Context): DataLoader<string, PathwayDefinition[]> {
  let loader = loaders.get(context.loaders);
  if (!loader) {
    loader = new DataLoader(async (courseIds) => definitionsCrediting(context.graph, courseIds), { maxBatchSize: 1_000 });
    loaders.set(context.loaders, loader);
  }
  return loader;
}

async function definitionsCrediting(graph: InternalGraph, courseIds: readonly string[]): Promise<PathwayDefinition[][]> {
  const answer = await graph.query<{ pathways: PathwayDefinition[] }>(PATHWAYS_CREDITING, { courseIds });
  if (!answer.data?.pathways) throw new GraphQLError('Could not read pathway definitions from the graph; try again.');
  const credited = (p: PathwayDefinition, id: string) =>
    p.stages.some((s) => s.requiredCourseIds.includes(id) || s.electiveCourseIds.includes(id)) || p.recognitions.some((r) => r.recognisedCourseId === id);
  return courseIds.map((id) => answer.data!.pathways.filter((p) => credited(p, id)));
}
