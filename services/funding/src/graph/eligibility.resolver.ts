import { NotFound, parseInput, rules } from '@tauliah/core';
import DataLoader from 'dataloader';
import { Arg, Authorized, Ctx, Directive, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { assessMany } from '../eligibility/assess.ts';
import type { EligibilityQuestion } from '../loaders.ts';
import { visibleScheme } from '../policy.ts';
import { Eligibility } from './eligibility.ts';
import { Learner, type LearnerFacts } from './entities.ts';

/**
 * The scheme and course an eligibility question names, validated and loaded
 * once per request however many learners ask it (the loaders batch the
 * loading; this also spares 10,000 repeats of the validation).
 */
export function questionOf(context: Context, schemeId: string, courseId: string | null): Promise<EligibilityQuestion> {
  const asked = context.loaders.eligibilityQuestions;
  const key = `${schemeId}|${courseId ?? ''}`;
  let question = asked.get(key);
  if (!question) asked.set(key, (question = loadQuestion(context, schemeId, courseId)));
  return question;
}

async function loadQuestion(context: Context, schemeId: string, courseId: string | null): Promise<EligibilityQuestion> {
  const scheme = visibleScheme(context.viewer, await context.loaders.scheme.load(parseInput(rules.uuid('scheme id'), schemeId, 'schemeId')), schemeId);
  let course: EligibilityQuestion['course'] = null;
  if (courseId !== null) {
    course = await context.loaders.course.load(parseInput(rules.uuid('course id'), courseId, 'courseId'));
    if (!course) throw new NotFound('Course', courseId);
  }
  return { scheme, course };
}

/** Per request (keyed by its loaders): the learners asking each question, assessed as one batch. */
const batches = new WeakMap<object, Map<string, DataLoader<LearnerFacts, Eligibility>>>();

/**
 * The learners of a request that ask one question (a funder's 10,000 in one
 * query) are assessed together: the question is loaded once, their records
 * once, and each learner's answer comes from one pass (assessMany), not from
 * a chain of promises of its own.
 */
function askedTogether(context: Context, schemeId: string, courseId: string | null): DataLoader<LearnerFacts, Eligibility> {
  let asked = batches.get(context.loaders);
  if (!asked) batches.set(context.loaders, (asked = new Map<string, DataLoader<LearnerFacts, Eligibility>>()));
  const key = `${schemeId}|${courseId ?? ''}`;
  let batch = asked.get(key);
  if (!batch) {
    batch = new DataLoader(
      async (learners) => {
        const { scheme, course } = await questionOf(context, schemeId, courseId);
        return assessMany(context, scheme, learners, course);
      },
      { cache: false },
    );
    asked.set(key, batch);
  }
  return batch;
}

@Resolver(() => Learner)
export class LearnerEligibilityResolver {
  @Authorized()
  // The employer's id only: whether it pays the levy is HRD Corp's record, kept here (levy_entry), not a flag of the employers service.
  @Directive('@requires(fields: "eligibilityInputs { dateOfBirth citizenship } consentedScopes eligibilityEmployer { id }")')
  @FieldResolver(() => Eligibility, {
    nullable: true,
    description:
      "Whether the scheme would fund this learner (for the course, if given), by every rule of the scheme. The learner's data comes from its owners as they release it to you: without the learner's ELIGIBILITY consent to your organisation the result is consentRequired with the reason CONSENT_REQUIRED, never the data; with it but without PERSONAL consent, rules on age or citizenship fail with PERSONAL_DATA_WITHHELD. Ask for up to 10,000 learners at once through learners(ids:), passing the ids as a variable. Null, with NOT_FOUND or BAD_USER_INPUT, for an unknown or malformed scheme or course.",
  })
  eligibility(
    @Root() learner: LearnerFacts,
    @Arg('schemeId', () => ID) schemeId: string,
    @Arg('courseId', () => ID, { nullable: true }) courseId: string | null,
    @Ctx() context: Context,
  ): Promise<Eligibility> {
    return askedTogether(context, schemeId, courseId ?? null).load(learner);
  }
}
