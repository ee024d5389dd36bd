import { actingProviderId, BadInput, Forbidden, NotFound, parseInput, requirePrincipal, rules } from '@tauliah/core';
import { and, gte, lt, type SQL } from 'drizzle-orm';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { courseApproval, type CourseApprovalRow } from '../db/schema.ts';
import { visibleScheme } from '../policy.ts';
import { idempotencyKey } from '../review/decision.ts';
import { courseApprovals } from '../review/queues.ts';
import { CourseApproval, CourseApprovalConnection, CourseApprovalFilter, toCourseApproval } from './course-approval.ts';
import { Decision } from './decision.ts';
import { Scheme, toScheme } from './scheme.ts';

@Resolver(() => CourseApproval)
export class CourseApprovalResolver {
  @Authorized('FUNDER', 'PROVIDER_STAFF', 'PARTNER', 'ADMIN')
  @Query(() => CourseApprovalConnection, {
    description:
      "The course approval queue, oldest first, filtered and paged (first: 1–100, default 20). Funder staff see their own schemes' queue, providers their own submissions, administrators everything.",
  })
  async courseApprovals(
    @Arg('filter', () => CourseApprovalFilter, { nullable: true }) filter: CourseApprovalFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: Context,
  ) {
    const { submittedFrom, submittedBefore, ...columns } = filter ?? {};
    return courseApprovals.list(context, { filter: columns, first, after, where: submittedBetween(submittedFrom, submittedBefore) }, toCourseApproval);
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER')
  @Mutation(() => CourseApproval, {
    description:
      "A provider submits one of its courses for a published scheme's approval. Resubmitting after a rejection supersedes the rejected submission; a pending or approved one is a CONFLICT. Retrying with the same idempotencyKey returns the first submission.",
  })
  async submitCourseForScheme(
    @Arg('schemeId', () => ID) schemeId: string,
    @Arg('courseId', () => ID) courseId: string,
    @Arg('idempotencyKey', () => String, { nullable: true }) key: string | null,
    @Ctx() context: Context,
  ) {
    const { viewer, db, loaders } = context;
    const { subject } = requirePrincipal(viewer);
    const providerId = actingProviderId(viewer);
    if (!providerId) throw new Forbidden('Only staff or a partner system of a provider submit courses.');
    const ids = parseInput(
      rules.uuid().array().length(2).transform(([s, c]) => ({ schemeId: s!, courseId: c! })),
      [schemeId, courseId],
      'ids',
    );
    const retryKey = key === null || key === undefined ? null : parseInput(idempotencyKey, key, 'idempotencyKey');
    const row = await courseApprovals.submitOnce(db, { submittedBy: subject, idempotencyKey: retryKey, submission: ids }, {
      async prepare() {
        const scheme = visibleScheme(viewer, await loaders.scheme.load(ids.schemeId), schemeId);
        const course = await loaders.course.load(ids.courseId);
        if (!course) throw new NotFound('Course', courseId);
        if (course.provider.id !== providerId) throw new Forbidden('A provider submits only its own courses.');
        return { scheme, course };
      },
      record: (tx, { scheme, course }) => courseApprovals.submit(tx, { schemeId: scheme.id, courseId: course.id, providerId, submittedBy: subject, idempotencyKey: retryKey }),
    });
    return toCourseApproval(row);
  }

  @Authorized('FUNDER')
  @Mutation(() => CourseApproval, { description: "The scheme's funder staff approve or reject a pending submission, with a reason. Decisions are final." })
  async decideCourseApproval(
    @Arg('id', () => ID) id: string,
    @Arg('decision', () => Decision) decision: Decision,
    @Arg('reason', () => String) reason: string,
    @Ctx() context: Context,
  ) {
    return toCourseApproval(await courseApprovals.decide(context, id, decision, reason));
  }

  @FieldResolver(() => Scheme)
  async scheme(@Root() row: CourseApprovalRow, @Ctx() { loaders }: Context): Promise<Scheme> {
    const scheme = await loaders.scheme.load(row.schemeId);
    if (!scheme) throw new NotFound('Scheme', row.schemeId);
    return toScheme(scheme);
  }
}

/** The submitted range of a queue filter: from its start (inclusive) to its end (exclusive), either open. */
function submittedBetween(from: Date | null | undefined, before: Date | null | undefined): SQL | undefined {
  if (from && before && before <= from) throw new BadInput('submittedBefore must be later than submittedFrom.', { field: 'filter.submittedBefore' });
  return and(from ? gte(courseApproval.submittedAt, from) : undefined, before ? lt(courseApproval.submittedAt, before) : undefined);
}
