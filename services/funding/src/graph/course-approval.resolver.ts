import { actingProviderId, Conflict, Forbidden, isRole, NotFound, pageSize, parseInput, requirePrincipal, rules, toConnection } from '@tauliah/core';
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { courseApproval, type CourseApprovalRow } from '../db/schema.ts';
import { graphReads } from '../graph-reads.ts';
import { decidingFunder, visibleScheme } from '../policy.ts';
import { CourseApproval, CourseApprovalConnection, CourseApprovalFilter, toCourseApproval } from './course-approval.ts';
import { alreadyDecided, Decision, decisionReason, idempotencyKey, statusOf } from './decision.ts';
import { afterCursor, cursorOf, funderScope, parseFilterIds } from './queue.ts';
import { Scheme, toScheme } from './scheme.ts';

const NONE = '00000000-0000-0000-0000-000000000000';

@Resolver(() => CourseApproval)
export class CourseApprovalResolver {
  @Authorized('FUNDER', 'PROVIDER_STAFF', 'PARTNER', 'ADMIN')
  @Query(() => CourseApprovalConnection, {
    description:
      "The course approval queue, oldest first, filtered and paged (first: 1–100, default 20). Funder staff see their own schemes' queue, providers their own submissions, administrators everything.",
  })
  async courseApprovals(
    @Arg('filter', () => CourseApprovalFilter, { nullable: true }) rawFilter: CourseApprovalFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { viewer, db, loaders }: Context,
  ) {
    const limit = pageSize(first);
    const filter = parseFilterIds(rawFilter, ['schemeId', 'providerId', 'courseId']);
    let scope;
    if (isRole(viewer, 'FUNDER')) scope = funderScope(viewer, (await loaders.schemesOfFunder.load(viewer.funderId ?? NONE)).map((s) => s.id), courseApproval.schemeId);
    else if (!isRole(viewer, 'ADMIN')) {
      const providerId = actingProviderId(viewer);
      if (!providerId) throw new Forbidden('Only funder staff, providers and administrators see course approvals.');
      scope = eq(courseApproval.providerId, providerId);
    }
    const matching = and(
      scope,
      filter.schemeId ? eq(courseApproval.schemeId, filter.schemeId) : undefined,
      filter.status ? eq(courseApproval.status, filter.status) : undefined,
      filter.providerId ? eq(courseApproval.providerId, filter.providerId) : undefined,
      filter.courseId ? eq(courseApproval.courseId, filter.courseId) : undefined,
    );
    const [rows, [total]] = await Promise.all([
      db
        .select()
        .from(courseApproval)
        .where(and(matching, afterCursor(after, courseApproval.submittedAt, courseApproval.id)))
        .orderBy(asc(courseApproval.submittedAt), asc(courseApproval.id))
        .limit(limit + 1),
      db.select({ n: count() }).from(courseApproval).where(matching),
    ]);
    return toConnection(rows, limit, total?.n ?? 0, cursorOf, toCourseApproval);
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
    if (retryKey) {
      const [previous] = await db.select().from(courseApproval).where(and(eq(courseApproval.submittedBy, subject), eq(courseApproval.idempotencyKey, retryKey)));
      if (previous) {
        if (previous.schemeId !== ids.schemeId || previous.courseId !== ids.courseId) throw new Conflict('This idempotencyKey was already used for another submission.');
        return toCourseApproval(previous);
      }
    }
    const scheme = visibleScheme(viewer, await loaders.scheme.load(ids.schemeId), schemeId);
    const course = await graphReads(context).course.load(ids.courseId);
    if (!course) throw new NotFound('Course', courseId);
    if (course.providerId !== providerId) throw new Forbidden('A provider submits only its own courses.');
    const latest = await currentApproval(context, scheme.id, course.id);
    if (latest && latest.status !== 'REJECTED') throw new Conflict(`This course is already ${latest.status.toLowerCase()} for this scheme.`);
    try {
      const [row] = await db
        .insert(courseApproval)
        .values({ schemeId: scheme.id, courseId: course.id, providerId, submittedBy: subject, idempotencyKey: retryKey, supersedesId: latest?.id ?? null })
        .returning();
      return toCourseApproval(row!);
    } catch (error) {
      if (String((error as { cause?: { message?: string } }).cause?.message ?? error).includes('course_approval_')) {
        throw new Conflict('Another submission of this course for this scheme was made at the same time; list the queue and retry.');
      }
      throw error;
    }
  }

  @Authorized('FUNDER')
  @Mutation(() => CourseApproval, { description: "The scheme's funder staff approve or reject a pending submission, with a reason. Decisions are final." })
  async decideCourseApproval(
    @Arg('id', () => ID) id: string,
    @Arg('decision', () => Decision) decision: Decision,
    @Arg('reason', () => String) reason: string,
    @Ctx() { viewer, db, loaders }: Context,
  ) {
    const { subject } = requirePrincipal(viewer);
    const valid = parseInput(rules.uuid('course approval id'), id, 'id');
    const why = parseInput(decisionReason, reason, 'reason');
    const [row] = await db.select().from(courseApproval).where(eq(courseApproval.id, valid));
    if (!row) throw new NotFound('CourseApproval', id);
    decidingFunder(viewer, await loaders.scheme.load(row.schemeId));
    const [decided] = await db
      .update(courseApproval)
      .set({ status: statusOf(decision), decidedBy: subject, decidedAt: sql`now()`, reason: why })
      .where(and(eq(courseApproval.id, valid), eq(courseApproval.status, 'PENDING')))
      .returning();
    return toCourseApproval(decided ?? alreadyDecided((await db.select().from(courseApproval).where(eq(courseApproval.id, valid)))[0]!, decision, subject, 'course approval'));
  }

  @FieldResolver(() => Scheme)
  async scheme(@Root() row: CourseApprovalRow, @Ctx() { loaders }: Context): Promise<Scheme> {
    const scheme = await loaders.scheme.load(row.schemeId);
    if (!scheme) throw new NotFound('Scheme', row.schemeId);
    return toScheme(scheme);
  }
}

/** The latest submission of a course for a scheme (the one nothing superseded). */
async function currentApproval({ db }: Context, schemeId: string, courseId: string): Promise<CourseApprovalRow | undefined> {
  const [row] = await db
    .select()
    .from(courseApproval)
    .where(and(eq(courseApproval.schemeId, schemeId), eq(courseApproval.courseId, courseId)))
    .orderBy(desc(courseApproval.submittedAt), desc(courseApproval.id))
    .limit(1);
  return row;
}
