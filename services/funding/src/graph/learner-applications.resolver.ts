import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { seesApplication } from '../policy.ts';
import { FundingApplication, toApplication } from './application.ts';
import { Learner } from './entities.ts';

@Resolver(() => Learner)
export class LearnerApplicationsResolver {
  @Authorized()
  @FieldResolver(() => [FundingApplication], {
    nullable: true,
    description:
      "The learner's funding applications and claims, oldest first: all of them for the learner, those to its own schemes for a funder, its own claims for an employer. Null, with SUBGRAPH_UNAVAILABLE, while the funding service cannot answer.",
  })
  async fundingApplications(@Root() learner: Learner, @Ctx() { viewer, loaders }: Context) {
    const rows = await loaders.applicationsOfLearner.load(learner.id);
    const schemes = await loaders.scheme.loadMany([...new Set(rows.map((r) => r.schemeId))]);
    const byId = new Map(schemes.flatMap((s) => (s && !(s instanceof Error) ? [[s.id, s] as const] : [])));
    return rows.filter((row) => seesApplication(viewer, row, byId.get(row.schemeId) ?? null)).map(toApplication);
  }
}
