import { actingEmployerId, Conflict, Forbidden, isRole, NotFound, pageSize, parseInput, requirePrincipal, rules, toConnection } from '@tauliah/core';
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { z } from 'zod';
import type { Context } from '../context.ts';
import { application, incomeDeclaration, type ApplicationRow, type SchemeRow } from '../db/schema.ts';
import { approveApplication, disburse } from '../budget.ts';
import { assess, todayInMalaysia } from '../eligibility/assess.ts';
import { split } from '../eligibility/evaluate.ts';
import { graphReads } from '../graph-reads.ts';
import { decidingFunder, visibleScheme } from '../policy.ts';
import {
  ApplyForB40AidInput,
  ClaimHrdCorpGrantInput,
  FundingApplication,
  FundingApplicationConnection,
  FundingApplicationFilter,
  toApplication,
} from './application.ts';
import { alreadyDecided, Decision, decisionReason, idempotencyKey } from './decision.ts';
import { afterCursor, cursorOf, funderScope, parseFilterIds } from './queue.ts';
import { Scheme, toScheme } from './scheme.ts';

const NONE = '00000000-0000-0000-0000-000000000000';
const MAX_SEN = 2_147_483_647;

const b40Schema = z.object({
  schemeId: rules.uuid('scheme id'),
  courseId: rules.uuid('course id'),
  householdIncomeSen: rules.sen.max(MAX_SEN, `must be at most ${MAX_SEN} sen`),
  evidenceReference: rules.nonEmpty(200),
  idempotencyKey: idempotencyKey.nullish(),
});
const claimSchema = z.object({
  schemeId: rules.uuid('scheme id'),
  learnerId: rules.uuid('learner id'),
  courseId: rules.uuid('course id'),
  idempotencyKey: idempotencyKey.nullish(),
});

@Resolver(() => FundingApplication)
export class ApplicationResolver {
  @Authorized()
  @Query(() => FundingApplicationConnection, {
    description:
      "Funding applications and claims, oldest first, filtered and paged (first: 1–100). Funder staff see their own schemes', a learner their own, an employer its own claims, administrators all.",
  })
  async fundingApplications(
    @Arg('filter', () => FundingApplicationFilter, { nullable: true }) rawFilter: FundingApplicationFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { viewer, db, loaders }: Context,
  ) {
    const limit = pageSize(first);
    const filter = parseFilterIds(rawFilter, ['schemeId', 'learnerId']);
    const principal = requirePrincipal(viewer);
    const employerId = actingEmployerId(viewer);
    const scope = isRole(viewer, 'FUNDER')
      ? funderScope(viewer, (await loaders.schemesOfFunder.load(viewer.funderId ?? NONE)).map((s) => s.id), application.schemeId)
      : isRole(viewer, 'ADMIN')
        ? undefined
        : isRole(viewer, 'LEARNER')
          ? eq(application.learnerId, principal.subject)
          : employerId
            ? eq(application.employerId, employerId)
            : eq(application.id, NONE);
    const matching = and(
      scope,
      filter.schemeId ? eq(application.schemeId, filter.schemeId) : undefined,
      filter.status ? eq(application.status, filter.status) : undefined,
      filter.learnerId ? eq(application.learnerId, filter.learnerId) : undefined,
    );
    const [rows, [total]] = await Promise.all([
      db
        .select()
        .from(application)
        .where(and(matching, afterCursor(after, application.submittedAt, application.id)))
        .orderBy(asc(application.submittedAt), asc(application.id))
        .limit(limit + 1),
      db.select({ n: count() }).from(application).where(matching),
    ]);
    return toConnection(rows, limit, total?.n ?? 0, cursorOf, toApplication);
  }

  @Authorized('LEARNER')
  @Mutation(() => FundingApplication, {
    description:
      'The signed-in learner applies for B40 aid for a course, declaring their monthly household income and where its evidence is kept. Refused (CONFLICT, with the reasons) when the rules say not eligible.',
  })
  async applyForB40Aid(@Arg('input', () => ApplyForB40AidInput) rawInput: ApplyForB40AidInput, @Ctx() context: Context) {
    const { viewer, db, loaders } = context;
    const { subject } = requirePrincipal(viewer);
    const input = parseInput(b40Schema, rawInput);
    const previous = await retried(context, subject, input.idempotencyKey);
    if (previous) return toApplication(previous);
    const scheme = schemeOfKind(visibleScheme(viewer, await loaders.scheme.load(input.schemeId), input.schemeId), 'B40_AID');
    const [learner, course] = await Promise.all([graphReads(context).learner.load(subject), graphReads(context).course.load(input.courseId)]);
    if (!learner) throw new NotFound('Learner', subject);
    if (!course) throw new NotFound('Course', input.courseId);
    await db.insert(incomeDeclaration).values({ learnerId: subject, monthlyIncomeSen: input.householdIncomeSen, evidenceReference: input.evidenceReference });
    const result = await assess(context, scheme, learner, course);
    if (!result.eligible) throw new Conflict(`Not eligible: ${result.reasons.map((r) => r.message).join(' ')}`, { reasons: result.reasons });
    if (!result.coveredSen) throw new Conflict('The scheme would pay nothing towards this course.');
    const supersedesId = await supersedable(context, scheme.id, subject, course.id);
    const [row] = await db
      .insert(application)
      .values({
        schemeId: scheme.id, kind: 'B40_AID', learnerId: subject, courseId: course.id, declaredHouseholdIncomeSen: input.householdIncomeSen,
        evidenceReference: input.evidenceReference, amountSen: result.coveredSen, submittedBy: subject, idempotencyKey: input.idempotencyKey ?? null, supersedesId,
      })
      .returning();
    return toApplication(row!);
  }

  @Authorized('EMPLOYER', 'PARTNER')
  @Mutation(() => FundingApplication, {
    description:
      "An employer claims an HRD Corp grant for a current employee's course approved for the scheme; approval draws the amount from its levy account.",
  })
  async claimHrdCorpGrant(@Arg('input', () => ClaimHrdCorpGrantInput) rawInput: ClaimHrdCorpGrantInput, @Ctx() context: Context) {
    const { viewer, db, loaders } = context;
    const { subject } = requirePrincipal(viewer);
    const employerId = actingEmployerId(viewer);
    if (!employerId) throw new Forbidden('Only staff or a partner system of an employer claim grants.');
    const input = parseInput(claimSchema, rawInput);
    const previous = await retried(context, subject, input.idempotencyKey);
    if (previous) return toApplication(previous);
    const scheme = schemeOfKind(visibleScheme(viewer, await loaders.scheme.load(input.schemeId), input.schemeId), 'HRD_CORP_GRANT');
    const [employer, course, approving, funded, levy] = await Promise.all([
      graphReads(context).currentEmployerOf(input.learnerId),
      graphReads(context).course.load(input.courseId),
      loaders.approvingSchemes.load(input.courseId),
      loaders.fundedCourses.load(input.learnerId),
      loaders.levyAccount.load(employerId),
    ]);
    if (employer !== employerId) throw new Forbidden('You claim only for your current employees (employment confirmed by the learner).');
    if (!course) throw new NotFound('Course', input.courseId);
    if (!approving.some((a) => a.schemeId === scheme.id)) throw new Conflict('The course is not approved for this scheme.', { reason: 'COURSE_NOT_APPROVED' });
    if (funded.some((f) => f.courseId === course.id)) throw new Conflict('The learner has already been funded for this course.', { reason: 'ALREADY_FUNDED_FOR_COURSE' });
    if (!levy) throw new Conflict('Your organisation has no HRD Corp levy account.', { reason: 'NO_LEVY_ACCOUNT' });
    const today = todayInMalaysia();
    if (today < scheme.validFrom || today > scheme.validUntil) throw new Conflict(`The scheme accepts claims from ${scheme.validFrom} to ${scheme.validUntil}.`, { reason: 'SCHEME_NOT_OPEN' });
    const amountSen = split(scheme, course.feeSen).coveredSen;
    if (amountSen <= 0) throw new Conflict('The scheme would pay nothing towards this course.');
    const supersedesId = await supersedable(context, scheme.id, input.learnerId, course.id);
    const [row] = await db
      .insert(application)
      .values({
        schemeId: scheme.id, kind: 'HRD_CORP_CLAIM', learnerId: input.learnerId, courseId: course.id, employerId,
        amountSen, submittedBy: subject, idempotencyKey: input.idempotencyKey ?? null, supersedesId,
      })
      .returning();
    return toApplication(row!);
  }

  @Authorized('FUNDER')
  @Mutation(() => FundingApplication, {
    description:
      "The scheme's funder staff approve or reject a pending application with a reason. Approval commits the amount from the scheme's budget (CONFLICT when the remaining budget, or for a claim the employer's levy balance, cannot cover it). Decisions are final; repeating the same decision returns the record.",
  })
  async decideApplication(
    @Arg('id', () => ID) id: string,
    @Arg('decision', () => Decision) decision: Decision,
    @Arg('reason', () => String) reason: string,
    @Ctx() { viewer, db, loaders }: Context,
  ) {
    const { subject } = requirePrincipal(viewer);
    const valid = parseInput(rules.uuid('application id'), id, 'id');
    const why = parseInput(decisionReason, reason, 'reason');
    const row = await applicationById(db, valid, id);
    decidingFunder(viewer, await loaders.scheme.load(row.schemeId));
    const decided =
      decision === Decision.APPROVE
        ? await approveApplication(db, valid, subject, why)
        : (
            await db
              .update(application)
              .set({ status: 'REJECTED', decidedBy: subject, decidedAt: sql`now()`, reason: why })
              .where(and(eq(application.id, valid), eq(application.status, 'PENDING')))
              .returning()
          )[0];
    return toApplication(decided ?? alreadyDecided(await applicationById(db, valid, id), decision, subject, 'application'));
  }

  @Authorized('FUNDER')
  @Mutation(() => FundingApplication, { description: 'Records a payment (in sen) against an approved application, never more in total than it committed.' })
  async recordDisbursement(
    @Arg('applicationId', () => ID) applicationId: string,
    @Arg('amountSen', () => Int) amountSen: number,
    @Ctx() { viewer, db, loaders }: Context,
  ) {
    const { subject } = requirePrincipal(viewer);
    const valid = parseInput(rules.uuid('application id'), applicationId, 'applicationId');
    const amount = parseInput(rules.sen.positive('must be more than zero'), amountSen, 'amountSen');
    const row = await applicationById(db, valid, applicationId);
    decidingFunder(viewer, await loaders.scheme.load(row.schemeId));
    await disburse(db, valid, amount, subject);
    return toApplication(row);
  }

  @FieldResolver(() => Scheme)
  async scheme(@Root() row: ApplicationRow, @Ctx() { loaders }: Context): Promise<Scheme> {
    const scheme = await loaders.scheme.load(row.schemeId);
    if (!scheme) throw new NotFound('Scheme', row.schemeId);
    return toScheme(scheme);
  }
}

function schemeOfKind(scheme: SchemeRow, kind: SchemeRow['kind']): SchemeRow {
  if (scheme.kind !== kind) throw new Conflict(`Scheme ${scheme.code} is not a ${kind} scheme.`, { field: 'schemeId' });
  return scheme;
}

async function applicationById(db: Context['db'], id: string, asGiven: string): Promise<ApplicationRow> {
  const [row] = await db.select().from(application).where(eq(application.id, id));
  if (!row) throw new NotFound('FundingApplication', asGiven);
  return row;
}

/** The application a retry with the same idempotency key already created. */
async function retried({ db }: Context, subject: string, key: string | null | undefined): Promise<ApplicationRow | undefined> {
  if (!key) return undefined;
  const [row] = await db.select().from(application).where(and(eq(application.submittedBy, subject), eq(application.idempotencyKey, key)));
  return row;
}

/** A new application supersedes a rejected one for the same scheme, learner and course; a pending or approved one is a CONFLICT. */
async function supersedable({ db }: Context, schemeId: string, learnerId: string, courseId: string): Promise<string | null> {
  const [latest] = await db
    .select()
    .from(application)
    .where(and(eq(application.schemeId, schemeId), eq(application.learnerId, learnerId), eq(application.courseId, courseId)))
    .orderBy(desc(application.submittedAt), desc(application.id))
    .limit(1);
  if (latest && latest.status !== 'REJECTED') throw new Conflict(`An application for this course is already ${latest.status.toLowerCase()}.`);
  return latest?.id ?? null;
}
