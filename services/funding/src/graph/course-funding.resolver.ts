import { NotFound, parseInput, rules } from '@tauliah/core';
import { Arg, Authorized, Ctx, Directive, Field, FieldResolver, ID, ObjectType, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { assess } from '../eligibility/assess.ts';
import { Eligibility } from './eligibility.ts';
import { Course } from './entities.ts';
import { Scheme, toScheme } from './scheme.ts';

@ObjectType({ description: 'A scheme that could pay for a course, and what it would cover for one learner.' })
export class FundingOption {
  @Field(() => Scheme)
  scheme!: Scheme;

  @Field(() => Eligibility)
  eligibility!: Eligibility;
}

@Resolver(() => Course)
export class CourseFundingResolver {
  @Authorized()
  @Directive('@requires(fields: "feeSen mqfLevel")')
  @FieldResolver(() => [FundingOption], {
    nullable: true,
    description:
      "The published schemes that fund this course — those that approved it, and those that fund courses without approval (B40 aid) — each with the learner's eligibility and what it would cover. The learner's data is read as you may see it: a learner asks about themselves; a funder or employer needs the learner's consent. Null, with SUBGRAPH_UNAVAILABLE, while the funding service cannot answer.",
  })
  async fundingOptions(@Root() course: Course, @Arg('learnerId', () => ID) learnerId: string, @Ctx() context: Context): Promise<FundingOption[]> {
    const learner = await context.loaders.learnerFacts.load(parseInput(rules.uuid('learner id'), learnerId, 'learnerId'));
    if (!learner) throw new NotFound('Learner', learnerId);
    const [published, approving] = await Promise.all([
      context.loaders.publishedSchemes.load('published'),
      context.loaders.approvingSchemes.load(course.id),
    ]);
    const approved = new Set(approving.map((a) => a.schemeId));
    const options = published.filter((s) => approved.has(s.id) || !s.rules.some((r) => r.kind === 'COURSE_APPROVED_FOR_SCHEME'));
    const facts = { id: course.id, feeSen: course.feeSen ?? 0, mqfLevel: course.mqfLevel ?? null };
    return Promise.all(options.map(async (s) => ({ scheme: toScheme(s), eligibility: await assess(context, s, learner, facts) })));
  }
}
