import { BadInput, Forbidden, pageSize, parseInput, rules } from '@tauliah/core';
import { Arg, Authorized, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import type { LearnerRow } from '../db/schema.ts';
import type { RankedCourse } from '../guidance/rank.ts';
import { catalogueSettings } from '../guidance/catalogue.ts';
import { recommendCourses } from '../guidance/recommend.ts';
import { isSelf } from '../policy.ts';
import { Learner } from './learner.ts';
import { CourseRecommendation, RecommendationGoalInput, RecommendationReasonKind } from './recommendation.ts';

/** Recommendations per request: a page a partner app shows at once. */
export const MAX_RECOMMENDATIONS = 20;
const DEFAULT_RECOMMENDATIONS = 10;

const goalId = (what: string) => rules.uuid(what).nullish();

/** Exactly one goal, when a goal is given at all. */
function parseGoal(raw: RecommendationGoalInput | null | undefined): { jobRoleId: string } | { pathwayId: string } | null {
  if (raw === null || raw === undefined) return null;
  const jobRoleId = parseInput(goalId('job role id'), raw.jobRoleId, 'goal.jobRoleId');
  const pathwayId = parseInput(goalId('pathway id'), raw.pathwayId, 'goal.pathwayId');
  if (jobRoleId && pathwayId) throw new BadInput('goal names a job role and a pathway: give exactly one of goal.jobRoleId and goal.pathwayId.', { field: 'goal' });
  if (jobRoleId) return { jobRoleId };
  if (pathwayId) return { pathwayId };
  throw new BadInput('goal names neither a job role nor a pathway: give exactly one of goal.jobRoleId and goal.pathwayId, or leave goal out for courses from your interests and credentials.', {
    field: 'goal',
  });
}

@Resolver(() => Learner)
export class RecommendationResolver {
  @Authorized('LEARNER')
  @FieldResolver(() => [CourseRecommendation], {
    nullable: true,
    description: `Courses to take next, best first, each with its reasons and what you would pay. With a goal: a job role's required skills you do not prove yet (at the level it asks for), or a pathway's next stage in order (required courses, then electives while credits are missing, then the stage after). Without one: courses teaching the skills you are interested in (setMyInterests) and building on your credentials. Always weighed too: what learners holding your courses went on to complete (counted over issued credentials, as they are issued and revoked), your MQF level, and the funding you are eligible for. first: 1–${MAX_RECOMMENDATIONS}, default ${DEFAULT_RECOMMENDATIONS}. Only for the learner themselves (FORBIDDEN for anyone else). An unknown or unpublished job role or pathway is NOT_FOUND.`,
  })
  async recommendations(
    @Root() learner: LearnerRow,
    @Arg('goal', () => RecommendationGoalInput, { nullable: true }) rawGoal: RecommendationGoalInput | null,
    @Arg('first', () => Int, { nullable: true }) rawFirst: number | null,
    @Ctx() { viewer, db, graph, publicGraph, config, loaders }: Context,
  ): Promise<CourseRecommendation[]> {
    if (!isSelf(viewer, learner.id)) throw new Forbidden('Only the learner themselves may read their recommendations.');
    const first = pageSize(rawFirst, MAX_RECOMMENDATIONS, DEFAULT_RECOMMENDATIONS);
    const goal = parseGoal(rawGoal);
    const interests = (await loaders.interests.load(learner.id))?.skillCodes ?? [];
    const ranked = await recommendCourses(db, graph, { learnerId: learner.id, goal, interests, first }, { publicGraph, catalogue: catalogueSettings(config) });
    return ranked.map(toRecommendation);
  }
}

function toRecommendation(ranked: RankedCourse): CourseRecommendation {
  return {
    rank: ranked.rank,
    course: { id: ranked.course.id },
    score: ranked.score,
    summary: ranked.summary,
    feeSen: ranked.course.feeSen,
    coveredSen: ranked.coveredSen,
    amountToPaySen: ranked.amountToPaySen,
    fundedBy: ranked.fundedBy && { id: ranked.fundedBy.id },
    reasons: ranked.reasons.map((r) => ({
      kind: RecommendationReasonKind[r.kind],
      detail: r.detail,
      weight: r.weight,
      skill: r.skillCode ? { code: r.skillCode } : null,
      course: r.courseId ? { id: r.courseId } : null,
      stagePosition: r.stagePosition ?? null,
      learners: r.learners ?? null,
      scheme: r.schemeId ? { id: r.schemeId } : null,
      coveredSen: r.coveredSen ?? null,
      mqfLevel: r.mqfLevel ?? null,
    })),
  };
}
