import { formatRinggit } from '@tauliah/core';
import { monthsBefore } from '../calendar.ts';
import type { SchemeRow } from '../db/schema.ts';
import { missingLevyPayment, notEmployedByLevyPayer } from './describe.ts';
import { DEFAULT_LEVY_PAID_WITHIN_MONTHS, type EligibilityRule } from './rules.ts';

/** Stable, machine-readable reasons; partners switch on these, so never rename one. */
export const REASON_CODES = [
  'CONSENT_REQUIRED',
  'PERSONAL_DATA_WITHHELD',
  'SCHEME_NOT_OPEN',
  'AGE_OUT_OF_RANGE',
  'CITIZENSHIP_NOT_ALLOWED',
  'INCOME_NOT_DECLARED',
  'HOUSEHOLD_INCOME_ABOVE_THRESHOLD',
  'NOT_EMPLOYED_BY_LEVY_PAYER',
  'COURSE_REQUIRED',
  'COURSE_NOT_APPROVED',
  'COURSE_MQF_LEVEL_OUT_OF_RANGE',
  'ALREADY_FUNDED_FOR_COURSE',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface Reason {
  code: ReasonCode;
  message: string;
}

export interface CourseFacts {
  id: string;
  feeSen: number;
  mqfLevel: number | null;
}

/** What the rules look at, as the owners released it to this viewer (null where withheld or absent). */
export interface EligibilityInputs {
  consentedToEligibility: boolean;
  dateOfBirth: string | null;
  citizenship: string | null;
  /**
   * The learner's current employment confirmed by the learner, as released to the viewer (null: none, or not
   * released), with the latest month HRD Corp recorded its employer's levy for (null: none recorded).
   */
  employer: { lastLevyPaidMonth: string | null } | null;
  /** The latest household income the learner declared to the scheme's funder and it did not reject, if any. */
  monthlyIncomeSen: number | null;
  /**
   * True when the viewer may not know that income (it is not the learner, an
   * administrator or the scheme's funder): the rule is then not checked, and
   * its reason is the same whether or not anything was declared.
   */
  incomeWithheld?: boolean;
  course: CourseFacts | null;
  courseApproved: boolean;
  alreadyFunded: boolean;
}

export interface EligibilityResult {
  eligible: boolean;
  consentRequired: boolean;
  reasons: Reason[];
  coveredSen: number | null;
  coPaymentSen: number | null;
}

/** Whole years between a YYYY-MM-DD birth date and today (UTC), counting a birthday only once reached. */
export function ageOn(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/**
 * What the scheme pays towards a fee: the fee less the co-payment share,
 * rounded down to the sen, capped per learner. Integer arithmetic only
 * (fee × 100 stays far below 2^53).
 */
export function split(scheme: Pick<SchemeRow, 'coPaymentPercent' | 'perLearnerCapSen'>, feeSen: number) {
  const coveredSen = Math.min(Math.floor((feeSen * (100 - scheme.coPaymentPercent)) / 100), scheme.perLearnerCapSen);
  return { coveredSen, coPaymentSen: feeSen - coveredSen };
}

const withheld = (what: string): Reason => ({
  code: 'PERSONAL_DATA_WITHHELD',
  message: `The learner has not shared their ${what} with you (PERSONAL consent), so this rule cannot be checked.`,
});

const CONSENT_REQUIRED: Reason = {
  code: 'CONSENT_REQUIRED',
  message: "The learner has not given your organisation ELIGIBILITY consent; nothing about them is evaluated or shown.",
};
const DATE_OF_BIRTH_WITHHELD = withheld('date of birth');
const CITIZENSHIP_WITHHELD = withheld('citizenship');
const INCOME_WITHHELD: Reason = {
  code: 'PERSONAL_DATA_WITHHELD',
  message: "A learner declares their household income to the scheme's funder only, so this rule cannot be checked for you.",
};
const INCOME_NOT_DECLARED: Reason = { code: 'INCOME_NOT_DECLARED', message: 'The learner has not declared a household income.' };
const NOT_EMPLOYED: Reason = { code: 'NOT_EMPLOYED_BY_LEVY_PAYER', message: notEmployedByLevyPayer };
const COURSE_NOT_APPROVED: Reason = { code: 'COURSE_NOT_APPROVED', message: 'The course is not approved for this scheme.' };
const ALREADY_FUNDED: Reason = { code: 'ALREADY_FUNDED_FOR_COURSE', message: 'The learner has already been funded for this course.' };

/** One rule's check: adds its reason, if it fails, to the learner's reasons. */
type Check = (inputs: EligibilityInputs, reasons: Reason[]) => void;

/** A scheme's rules, ready to answer for one learner after another. */
export type Evaluator = (inputs: EligibilityInputs) => EligibilityResult;

/**
 * A scheme's rules made ready for one day: the window, the levy months and every sentence that does not depend
 * on the learner are worked out once, then shared by every learner of a batch (a funder asks about 10,000 in one
 * query). Reasons are shared too; nobody changes an answer once given.
 */
export function evaluatorFor(scheme: SchemeRow, today: string): Evaluator {
  const notOpen: Reason | null =
    today < scheme.validFrom || today > scheme.validUntil
      ? { code: 'SCHEME_NOT_OPEN', message: `The scheme accepts applications from ${scheme.validFrom} to ${scheme.validUntil}.` }
      : null;
  const checks = scheme.rules.map((rule) => checkOf(rule, today));
  const withoutConsent: EligibilityResult = { eligible: false, consentRequired: true, reasons: [CONSENT_REQUIRED], coveredSen: null, coPaymentSen: null };
  return (inputs) => {
    if (!inputs.consentedToEligibility) return withoutConsent;
    const reasons: Reason[] = notOpen ? [notOpen] : [];
    for (const check of checks) check(inputs, reasons);
    const eligible = reasons.length === 0;
    if (!inputs.course) return { eligible, consentRequired: false, reasons: dedupe(reasons), coveredSen: null, coPaymentSen: null };
    const money = eligible ? split(scheme, inputs.course.feeSen) : { coveredSen: 0, coPaymentSen: inputs.course.feeSen };
    return { eligible, consentRequired: false, reasons: dedupe(reasons), ...money };
  };
}

/** Reasons that differ only by a number (an age, an MQF level), made once per number. */
function byNumber(make: (n: number | null) => Reason): (n: number | null) => Reason {
  const made = new Map<number | null, Reason>();
  return (n) => {
    let reason = made.get(n);
    if (!reason) made.set(n, (reason = make(n)));
    return reason;
  };
}

function checkOf(rule: EligibilityRule, today: string): Check {
  switch (rule.kind) {
    case 'AGE_RANGE': {
      const outOfRange = byNumber((age) => ({ code: 'AGE_OUT_OF_RANGE', message: `Aged ${age}; the scheme is for ages ${rule.min ?? 0} to ${rule.max ?? 'any'}.` }));
      return (inputs, reasons) => {
        if (!inputs.dateOfBirth) return void reasons.push(DATE_OF_BIRTH_WITHHELD);
        const age = ageOn(inputs.dateOfBirth, today);
        if ((rule.min !== undefined && age < rule.min) || (rule.max !== undefined && age > rule.max)) reasons.push(outOfRange(age));
      };
    }
    case 'CITIZENSHIP': {
      const allowed: readonly string[] = rule.allowed;
      const notAllowed: Reason = { code: 'CITIZENSHIP_NOT_ALLOWED', message: `Open to ${rule.allowed.join(', ')} only.` };
      return (inputs, reasons) => {
        if (!inputs.citizenship) reasons.push(CITIZENSHIP_WITHHELD);
        else if (!allowed.includes(inputs.citizenship)) reasons.push(notAllowed);
      };
    }
    case 'HOUSEHOLD_INCOME_AT_MOST': {
      const above: Reason = { code: 'HOUSEHOLD_INCOME_ABOVE_THRESHOLD', message: `Household income is above ${formatRinggit(rule.thresholdSen)} a month.` };
      return (inputs, reasons) => {
        if (inputs.incomeWithheld) reasons.push(INCOME_WITHHELD);
        else if (inputs.monthlyIncomeSen === null) reasons.push(INCOME_NOT_DECLARED);
        else if (inputs.monthlyIncomeSen > rule.thresholdSen) reasons.push(above);
      };
    }
    case 'EMPLOYED_BY_LEVY_PAYER': {
      // A payment for one of the last N complete months counts, and so does one for the current month (paid ahead).
      const within = rule.paidWithinMonths ?? DEFAULT_LEVY_PAID_WITHIN_MONTHS;
      const since = monthsBefore(today.slice(0, 7), within);
      const missing: Reason = { code: 'NOT_EMPLOYED_BY_LEVY_PAYER', message: missingLevyPayment(within, since) };
      return (inputs, reasons) => {
        if (!inputs.employer) reasons.push(NOT_EMPLOYED);
        else if (inputs.employer.lastLevyPaidMonth === null || inputs.employer.lastLevyPaidMonth < since) reasons.push(missing);
      };
    }
    case 'COURSE_APPROVED_FOR_SCHEME': {
      const required: Reason = { code: 'COURSE_REQUIRED', message: 'Name a course: this scheme funds only courses it approved.' };
      return (inputs, reasons) => {
        if (!inputs.course) reasons.push(required);
        else if (!inputs.courseApproved) reasons.push(COURSE_NOT_APPROVED);
      };
    }
    case 'COURSE_MQF_LEVEL': {
      const required: Reason = { code: 'COURSE_REQUIRED', message: 'Name a course: this scheme funds courses of some MQF levels only.' };
      const outOfRange = byNumber((level) => ({
        code: 'COURSE_MQF_LEVEL_OUT_OF_RANGE',
        message: `The course is at MQF level ${level ?? 'none'}; the scheme funds ${rule.min ?? 1} to ${rule.max ?? 8}.`,
      }));
      return (inputs, reasons) => {
        if (!inputs.course) return void reasons.push(required);
        const level = inputs.course.mqfLevel;
        if (level === null || (rule.min !== undefined && level < rule.min) || (rule.max !== undefined && level > rule.max)) reasons.push(outOfRange(level));
      };
    }
    case 'NOT_ALREADY_FUNDED_FOR_COURSE':
      return (inputs, reasons) => {
        if (inputs.alreadyFunded) reasons.push(ALREADY_FUNDED);
      };
  }
}

/** Every failed rule, each with its reason; nothing about the learner when the viewer lacks ELIGIBILITY consent. */
export function evaluate(scheme: SchemeRow, inputs: EligibilityInputs, today: string): EligibilityResult {
  return evaluatorFor(scheme, today)(inputs);
}

/** Two course rules without a course give one COURSE_REQUIRED (the first). */
function dedupe(reasons: Reason[]): Reason[] {
  const first = reasons.findIndex((r) => r.code === 'COURSE_REQUIRED');
  return first === -1 ? reasons : reasons.filter((r, i) => i <= first || r.code !== 'COURSE_REQUIRED');
}
