import { BadInput, NotFound, parseInput, requirePrincipal, rules } from '@tauliah/core';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { seesApelMApplication } from '../apel-m/access.ts';
import { applyForApelM } from '../apel-m/apply.ts';
import type { ApelMContext } from '../apel-m/context.ts';
import { decideApelMApplication, type ApelMDecisionInput } from '../apel-m/decide.ts';
import { canSeeCourse } from '../policy.ts';
import {
  ApelMApplication,
  ApelMApplicationEvent,
  ApelMDecision,
  ApelMEvidence,
  Learner,
  toApelMApplication,
  toApelMApplicationEvent,
} from './apel-m-application.ts';
import { idempotencyKeySchema } from './application.inputs.ts';
import { Course, toCourse } from './course.ts';
import { Pathway } from './pathway.ts';

const applicationId = rules.uuid('APEL.M application id');
const pathwayId = rules.uuid('pathway id');
const decisionReason = rules.nonEmpty(2000);
const KEY_ARG = { nullable: true, description: 'A key of your choosing: a retry with it answers the first call, which was done once.' } as const;

/**
 * APEL.M, applied for: a learner applies for entry to a pathway's target
 * programme with the credits their micro-credentials earned; the pathway's
 * provider admits them (with credits transferred) or refuses (with a
 * reason). The learner, the provider and platform administrators read the
 * application and its history (apel-m/access.ts); nobody else learns it exists.
 */
@Resolver(() => ApelMApplication)
export class ApelMApplicationResolver {
  @Authorized('LEARNER')
  @Mutation(() => ApelMApplication, {
    description:
      "The signed-in learner applies for APEL.M entry to the pathway's target programme, for themselves. Their progress on the pathway, read as them from every credential they hold, is the evidence, kept with the application as it stands now and shared with the pathway's provider, who decides. Refused with CONFLICT when not APEL.M-eligible (saying how many credits are missing: extensions creditsMissing) or when an application of theirs to the pathway is pending or admitted (naming it: extensions applicationId); FORBIDDEN while the provider is suspended. Pass an idempotencyKey so a retry answers the first application.",
  })
  async applyForApelM(
    @Arg('pathwayId', () => ID) rawPathwayId: string,
    @Arg('idempotencyKey', () => String, KEY_ARG) rawKey: string | null,
    @Ctx() context: ApelMContext,
  ): Promise<ApelMApplication> {
    const learner = requirePrincipal(context.viewer);
    const id = parseInput(pathwayId, rawPathwayId, 'pathwayId');
    const key = rawKey == null ? null : parseInput(idempotencyKeySchema, rawKey, 'idempotencyKey');
    return toApelMApplication(await applyForApelM(context, learner, id, key));
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER')
  @Mutation(() => ApelMApplication, {
    description:
      "The pathway's provider (any of its staff, or its partner system) decides a pending APEL.M application: ADMIT with creditsTransferred, from the credits APEL.M needed to the credits the evidence earned (at most the programme's credits), while the provider is in good standing; or REFUSE with a reason. Decisions are final: the same decision again answers the application, another is a CONFLICT. Another provider's application is NOT_FOUND. Pass an idempotencyKey so a retry answers the first decision.",
  })
  async decideApelMApplication(
    @Arg('id', () => ID) id: string,
    @Arg('decision', () => ApelMDecision) decision: ApelMDecision,
    @Arg('creditsTransferred', () => Int, { nullable: true, description: 'ADMIT only, required: the programme credits the learner is credited with.' })
    creditsTransferred: number | null,
    @Arg('reason', () => String, { nullable: true, description: 'Why, in words the learner reads: required to REFUSE.' }) reason: string | null,
    @Arg('idempotencyKey', () => String, KEY_ARG) rawKey: string | null,
    @Ctx() context: ApelMContext,
  ): Promise<ApelMApplication> {
    const valid = parseInput(applicationId, id, 'id');
    const decided = validDecision(decision, creditsTransferred, reason);
    const key = rawKey == null ? null : parseInput(idempotencyKeySchema, rawKey, 'idempotencyKey');
    return toApelMApplication(await decideApelMApplication(context, valid, decided, key));
  }

  @Authorized()
  @Query(() => ApelMApplication, {
    description: "One APEL.M application: for the learner who applied, the pathway provider's staff and partner systems, and platform administrators; NOT_FOUND for anyone else.",
  })
  async apelMApplication(@Arg('id', () => ID) id: string, @Ctx() { viewer, loaders }: ApelMContext): Promise<ApelMApplication> {
    const row = await loaders.apelM.application.load(parseInput(applicationId, id, 'id'));
    if (!row || !seesApelMApplication(viewer, row)) throw new NotFound('ApelMApplication', id);
    return toApelMApplication(row);
  }

  @FieldResolver(() => Pathway, { description: 'The pathway applied through; its current definition (the application keeps the rule it was made under).' })
  async pathway(@Root() application: ApelMApplication, @Ctx() { loaders }: ApelMContext): Promise<Pathway> {
    const row = await loaders.pathway.load(application.pathwayId);
    if (!row) throw new NotFound('Pathway', application.pathwayId);
    return row;
  }

  @FieldResolver(() => Learner, { description: 'The learner who applied. Which of their fields you see is the learners service’s decision.' })
  learner(@Root() application: ApelMApplication): Learner {
    return { id: application.learnerId };
  }

  @FieldResolver(() => [ApelMApplicationEvent], { description: 'Every change of state, first to last: submitted, then admitted or refused.' })
  async history(@Root() application: ApelMApplication, @Ctx() { loaders }: ApelMContext): Promise<ApelMApplicationEvent[]> {
    return (await loaders.apelM.historyOf.load(application.id)).map(toApelMApplicationEvent);
  }
}

@Resolver(() => ApelMEvidence)
export class ApelMEvidenceResolver {
  @FieldResolver(() => Course, { nullable: true, description: "The pathway's course the credits count for; null if it is a draft you may not see." })
  async course(@Root() evidence: ApelMEvidence, @Ctx() context: ApelMContext): Promise<Course | null> {
    return visibleCourse(evidence.courseId, context);
  }

  @FieldResolver(() => Course, {
    nullable: true,
    description: "Another provider's course recognised as `course`, when that is how the credits were earned (the credential is for this course); null otherwise.",
  })
  async recognisedCourse(@Root() evidence: ApelMEvidence, @Ctx() context: ApelMContext): Promise<Course | null> {
    return evidence.recognisedCourseId ? visibleCourse(evidence.recognisedCourseId, context) : null;
  }
}

async function visibleCourse(id: string, { viewer, loaders }: ApelMContext): Promise<Course | null> {
  const row = await loaders.course.load(id);
  return row && canSeeCourse(viewer, row) ? toCourse(row) : null;
}

/** What each decision needs: ADMIT the credits transferred, REFUSE a reason (and no credits). */
function validDecision(decision: ApelMDecision, creditsTransferred: number | null, reason: string | null): ApelMDecisionInput {
  const why = reason == null ? null : parseInput(decisionReason, reason, 'reason');
  if (decision === ApelMDecision.ADMIT) {
    if (creditsTransferred == null) {
      throw new BadInput('creditsTransferred is required to ADMIT: the programme credits the learner is credited with.', { field: 'creditsTransferred' });
    }
    return { decision: 'ADMIT', creditsTransferred, reason: why };
  }
  if (creditsTransferred != null) throw new BadInput('creditsTransferred is for ADMIT only: leave it out to REFUSE.', { field: 'creditsTransferred' });
  if (why == null) throw new BadInput('reason is required to REFUSE: tell the learner why, in words they can act on.', { field: 'reason' });
  return { decision: 'REFUSE', reason: why };
}
