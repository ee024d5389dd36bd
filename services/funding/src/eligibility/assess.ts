import { todayInMalaysia } from '@tauliah/core';
import type DataLoader from 'dataloader';
import type { Viewer } from '@tauliah/core';
import type { Context } from '../context.ts';
import { incomeKey } from '../loaders.ts';
import { ownFunderId } from '../policy.ts';
import type { SchemeRow } from '../db/schema.ts';
import type { LearnerFacts } from '../graph/entities.ts';
import { evaluatorFor, type CourseFacts, type EligibilityResult, type Evaluator } from './evaluate.ts';
import type { EligibilityRuleKind } from './rules.ts';

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

/** What a rule that needs no records of the learner loads: nothing. */
const NONE: [] = [];

/** A scheme's evaluator for the day of a request, and which kinds of rule it has (what to load). */
interface PreparedScheme {
  evaluate: Evaluator;
  needs: ReadonlySet<EligibilityRuleKind>;
}

/**
 * Per request (keyed by its loaders): today in Malaysia, read once, and each scheme set up once for it, however
 * many learners the request asks about (10,000 in one funder's query).
 */
const requests = new WeakMap<object, { today: string; schemes: Map<SchemeRow, PreparedScheme> }>();

function prepared(loaders: Context['loaders'], scheme: SchemeRow): PreparedScheme {
  let request = requests.get(loaders);
  if (!request) requests.set(loaders, (request = { today: todayInMalaysia(), schemes: new Map() }));
  let ready = request.schemes.get(scheme);
  if (!ready) {
    ready = { evaluate: evaluatorFor(scheme, request.today), needs: new Set(scheme.rules.map((rule) => rule.kind)) };
    request.schemes.set(scheme, ready);
  }
  return ready;
}

/**
 * Gathers what the scheme's rules need from funding's own records (through
 * the request's DataLoaders, so a batch of learners costs the same few
 * statements as one) and evaluates. Nothing is loaded for a learner who has
 * not given the viewer ELIGIBILITY consent.
 */
export async function assess(
  context: Pick<Context, 'loaders' | 'viewer'>,
  scheme: SchemeRow,
  learner: LearnerFacts,
  course: CourseFacts | null,
  /** The income the learner declares with the application being made, which counts instead of any earlier one. */
  declaring?: { monthlyIncomeSen: number },
): Promise<EligibilityResult> {
  const [result] = await assessMany(context, scheme, [learner], course, declaring);
  return result!;
}

/**
 * `assess` for many learners at once (a funder's batch of up to 10,000): each
 * kind of record is loaded once for all of them, keys deduplicated, and every
 * learner is then evaluated in one pass, without a promise of their own.
 */
export async function assessMany(
  { loaders, viewer }: Pick<Context, 'loaders' | 'viewer'>,
  scheme: SchemeRow,
  learners: readonly LearnerFacts[],
  course: CourseFacts | null,
  declaring?: { monthlyIncomeSen: number },
): Promise<EligibilityResult[]> {
  const { evaluate, needs } = prepared(loaders, scheme);
  const asked = learners.map((learner) => {
    const consentedToEligibility = learner.consentedScopes?.includes('ELIGIBILITY') ?? false;
    const incomeWithheld = !readsIncomeDeclaredTo(viewer, learner.id, scheme.funderId);
    return { learner, consentedToEligibility, incomeWithheld, employerId: learner.eligibilityEmployer?.id };
  });
  // Only learners who gave the viewer ELIGIBILITY consent have anything loaded.
  const consenting = asked.filter((a) => a.consentedToEligibility);
  const readsIncome = !declaring && needs.has('HOUSEHOLD_INCOME_AT_MOST');
  const [declarations, funded, approving, levy] = await Promise.all([
    loadEach(loaders.incomeDeclarations, readsIncome ? consenting.filter((a) => !a.incomeWithheld).map((a) => incomeKey(a.learner.id, scheme.funderId)) : []),
    loadEach(loaders.fundedCourses, course && needs.has('NOT_ALREADY_FUNDED_FOR_COURSE') ? consenting.map((a) => a.learner.id) : []),
    course && consenting.length > 0 && needs.has('COURSE_APPROVED_FOR_SCHEME') ? loaders.approvingSchemes.load(course.id) : NONE,
    // One statement for every employer of the request's learners: HRD Corp's levy records, not a flag.
    loadEach(loaders.lastLevyPaidMonth, needs.has('EMPLOYED_BY_LEVY_PAYER') ? consenting.flatMap((a) => (a.employerId ? [a.employerId] : [])) : []),
  ]);
  const courseApproved = approving.some((a) => a.schemeId === scheme.id);
  return asked.map(({ learner, consentedToEligibility, incomeWithheld, employerId }) =>
    evaluate({
      consentedToEligibility,
      dateOfBirth: learner.eligibilityInputs?.dateOfBirth ?? null,
      citizenship: learner.eligibilityInputs?.citizenship ?? null,
      employer: employerId ? { lastLevyPaidMonth: levy.get(employerId)?.month ?? null } : null,
      monthlyIncomeSen: declaring?.monthlyIncomeSen ?? declarations.get(incomeKey(learner.id, scheme.funderId))?.[0]?.monthlyIncomeSen ?? null,
      incomeWithheld,
      course,
      courseApproved,
      alreadyFunded: !!course && (funded.get(learner.id)?.some((f) => f.courseId === course.id) ?? false),
    }),
  );
}

/** What a loader gives for each of the keys (once each), as a map; a failed load fails the whole batch. */
async function loadEach<V>(loader: DataLoader<string, V>, keys: readonly string[]): Promise<Map<string, V>> {
  const unique = [...new Set(keys)];
  const values = unique.length > 0 ? await loader.loadMany(unique) : [];
  const found = new Map<string, V>();
  values.forEach((value, i) => {
    if (value instanceof Error) throw value;
    found.set(unique[i]!, value);
  });
  return found;
}
