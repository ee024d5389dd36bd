import { todayInMalaysia } from '@tauliah/core';
import type { Viewer } from '@tauliah/core';
import type { Context } from '../context.ts';
import { incomeKey } from '../loaders.ts';
import { ownFunderId } from '../policy.ts';
import type { SchemeRow } from '../db/schema.ts';
import type { LearnerFacts } from '../graph/entities.ts';
import { evaluate, type CourseFacts, type EligibilityResult } from './evaluate.ts';

/**
 * A household income declared to a funder is read for that funder's schemes
 * only, and only by the learner, administrators and the funder's own staff:
 * another funder with the learner's ELIGIBILITY consent, or a provider, must
 * not learn it from answers across thresholds (PDPA: the learner declared it
 * for that funder's purpose).
 */
export function readsIncomeDeclaredTo(viewer: Viewer, learnerId: string, funderId: string): boolean {
  if (viewer.kind !== 'principal') return false;
  if (viewer.role === 'ADMIN') return true;
  if (viewer.role === 'LEARNER') return viewer.subject === learnerId;
  return ownFunderId(viewer) === funderId;
}

/**
 * Gathers what the scheme's rules need from funding's own records (through
 * the request's DataLoaders, so a batch of learners costs the same few
 * statements as one) and evaluates. Nothing is loaded for a learner who has
 * not given the viewer ELIGIBILITY consent.
 */
export async function assess(
  { loaders, viewer }: Pick<Context, 'loaders' | 'viewer'>,
  scheme: SchemeRow,
  learner: LearnerFacts,
  course: CourseFacts | null,
  /** The income the learner declares with the application being made, which counts instead of any earlier one. */
  declaring?: { monthlyIncomeSen: number },
): Promise<EligibilityResult> {
  const consentedToEligibility = learner.consentedScopes?.includes('ELIGIBILITY') ?? false;
  const needs = new Set(scheme.rules.map((rule) => rule.kind));
  const want = consentedToEligibility;
  const incomeWithheld = !readsIncomeDeclaredTo(viewer, learner.id, scheme.funderId);
  const employerId = learner.eligibilityEmployer?.id;
  const [declarations, funded, approving, levy] = await Promise.all([
    want && !declaring && !incomeWithheld && needs.has('HOUSEHOLD_INCOME_AT_MOST') ? loaders.incomeDeclarations.load(incomeKey(learner.id, scheme.funderId)) : [],
    want && course && needs.has('NOT_ALREADY_FUNDED_FOR_COURSE') ? loaders.fundedCourses.load(learner.id) : [],
    want && course && needs.has('COURSE_APPROVED_FOR_SCHEME') ? loaders.approvingSchemes.load(course.id) : [],
    // One statement for every employer of the request's learners: HRD Corp's levy records, not a flag.
    want && employerId && needs.has('EMPLOYED_BY_LEVY_PAYER') ? loaders.lastLevyPaidMonth.load(employerId) : null,
  ]);
  return evaluate(
    scheme,
    {
      consentedToEligibility,
      dateOfBirth: learner.eligibilityInputs?.dateOfBirth ?? null,
      citizenship: learner.eligibilityInputs?.citizenship ?? null,
      employer: employerId ? { lastLevyPaidMonth: levy?.month ?? null } : null,
      monthlyIncomeSen: declaring?.monthlyIncomeSen ?? declarations[0]?.monthlyIncomeSen ?? null,
      incomeWithheld,
      course,
      courseApproved: approving.some((a) => a.schemeId === scheme.id),
      alreadyFunded: !!course && funded.some((f) => f.courseId === course.id),
    },
    todayInMalaysia(),
  );
}
