import { actingEmployerId, Conflict, Forbidden, NotFound, parseInput, requirePrincipal, rules, todayInMalaysia } from '@tauliah/core';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { z } from 'zod';
import { disburse } from '../budget/ledger.ts';
import type { Context } from '../context.ts';
import { incomeDeclaration, type ApplicationRow, type SchemeRow } from '../db/schema.ts';
import { assess } from '../eligibility/assess.ts';
import { split } from '../eligibility/evaluate.ts';
import { decidingFunder, visibleScheme } from '../policy.ts';
import { idempotencyKey } from '../review/decision.ts';
import { applications } from '../review/queues.ts';
import { integerSen } from '../schemes/definition.ts';
import {
  ApplyForB40AidInput,
  ClaimHrdCorpGrantInput,
  FundingApplication,
  FundingApplicationConnection,
  FundingApplicationFilter,
  toApplication,
} from './application.ts';
import { Decision } from './decision.ts';
import { Scheme, toScheme } from './scheme.ts';

const b40Schema = z.object({
  schemeId: rules.uuid('scheme id'),
  courseId: rules.uuid('course id'),
  householdIncomeSen: integerSen,
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
    @Arg('filter', () => FundingApplicationFilter, { nullable: true }) filter: FundingApplicationFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: Context,
  ) {
    return applications.list(context, { filter, first, after }, toApplication);
  }

  @Authorized('LEARNER')
  @Mutation(() => FundingApplication, {
    description:
      "The signed-in learner applies for B40 aid for a course, declaring their monthly household income and where its evidence is kept. The declaration is made to the scheme's funder only: no other funder's eligibility checks read it, and once the funder rejects the application it is kept only as that application's record. Refused (CONFLICT, with the reasons) when the rules say not eligible; nothing is kept then.",
  })
  async applyForB40Aid(@Arg('input', () => ApplyForB40AidInput) rawInput: ApplyForB40AidInput, @Ctx() context: Context) {
    const { viewer, db, loaders } = context;
    const { subject } = requirePrincipal(viewer);
    const input = parseInput(b40Schema, rawInput);
    const submission = { schemeId: input.schemeId, learnerId: subject, courseId: input.courseId };
    const row = await applications.submitOnce(db, { submittedBy: subject, idempotencyKey: input.idempotencyKey, submission }, {
      async prepare() {
        const scheme = schemeOfKind(visibleScheme(viewer, await loaders.scheme.load(input.schemeId), input.schemeId), 'B40_AID');
        const [learner, course] = await Promise.all([loaders.learnerFacts.load(subject), loaders.course.load(input.courseId)]);
        if (!learner) throw new NotFound('Learner', subject);
        if (!course) throw new NotFound('Course', input.courseId);
        // The income declared here is assessed as declared, and kept only with the application it came with, as a
        // declaration to this scheme's funder alone: an application the rules refuse leaves nothing behind.
        const result = await assess(context, scheme, learner, course, { monthlyIncomeSen: input.householdIncomeSen });
        if (!result.eligible) throw new Conflict(`Not eligible: ${result.reasons.map((r) => r.message).join(' ')}`, { reasons: result.reasons });
        if (!result.coveredSen) throw new Conflict('The scheme would pay nothing towards this course.');
        return { scheme, course, coveredSen: result.coveredSen };
      },
      async record(tx, { scheme, course, coveredSen }) {
        const submitted = await applications.submit(tx, {
          schemeId: scheme.id, kind: 'B40_AID', learnerId: subject, courseId: course.id, declaredHouseholdIncomeSen: input.householdIncomeSen,
          evidenceReference: input.evidenceReference, amountSen: coveredSen, submittedBy: subject, idempotencyKey: input.idempotencyKey ?? null,
        });
        await tx.insert(incomeDeclaration).values({
          learnerId: subject, funderId: scheme.funderId, applicationId: submitted.id,
          monthlyIncomeSen: input.householdIncomeSen, evidenceReference: input.evidenceReference,
        });
        return submitted;
      },
    });
    return toApplication(row);
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
    const submission = { schemeId: input.schemeId, learnerId: input.learnerId, courseId: input.courseId };
    const row = await applications.submitOnce(db, { submittedBy: subject, idempotencyKey: input.idempotencyKey, submission }, {
      async prepare() {
        const scheme = schemeOfKind(visibleScheme(viewer, await loaders.scheme.load(input.schemeId), input.schemeId), 'HRD_CORP_GRANT');
        const [employer, course, approving, funded, levy] = await Promise.all([
          loaders.currentEmployer.load(input.learnerId).then((learner) => learner?.currentEmployer?.id ?? null),
          loaders.course.load(input.courseId),
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
        return { scheme, course, amountSen };
      },
      record: (tx, { scheme, course, amountSen }) =>
        applications.submit(tx, {
          schemeId: scheme.id, kind: 'HRD_CORP_CLAIM', learnerId: input.learnerId, courseId: course.id, employerId,
          amountSen, submittedBy: subject, idempotencyKey: input.idempotencyKey ?? null,
        }),
    });
    return toApplication(row);
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
    @Ctx() context: Context,
  ) {
    return toApplication(await applications.decide(context, id, decision, reason));
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
    const row = await applications.byId(db, valid, 'applicationId');
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
