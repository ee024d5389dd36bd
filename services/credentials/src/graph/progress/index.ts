import { LearnerPathwaysResolver } from './learner-pathways.resolver.ts';
import { PathwayProgressResolver } from './progress.resolver.ts';
import { PathwayExitAwardResolver } from './exit-award.resolver.ts';

export { createProgressLoaders } from './loaders.ts';

/** Pathway progress and APEL.M eligibility (Pathway.progress, Pathway.progressFor, Learner.pathways), with the exit awards held. */
export const progressResolvers: Array<new () => object> = [PathwayProgressResolver, LearnerPathwaysResolver, PathwayExitAwardResolver];
