import { formatRinggit } from '@tauliah/core';
import { monthsBefore } from '../calendar.ts';
import type { SchemeRow } from '../db/schema.ts';
import { missingLevyPayment, notEmployedByLevyPayer } from './describe.ts';
import { DEFAULT_LEVY_PAID_WITHIN_MONTHS } from './rules.ts';

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

/** Every failed rule, each with its reason; nothing about the learner when the viewer lacks ELIGIBILITY consent. */
export function evaluate(scheme: SchemeRow, inputs: EligibilityInputs, today: string): EligibilityResult {
  if (!inputs.consentedToEligibility) {
    const message = "The learner has not given your organisation ELIGIBILITY consent; nothing about them is evaluated or shown.";
    return { eligible: false, consentRequired: true, reasons: [{ code: 'CONSENT_REQUIRED', message }], coveredSen: null, coPaymentSen: null };
  }
  const reasons: Reason[] = [];
  if (today < scheme.validFrom || today > scheme.validUntil) {
    reasons.push({ code: 'SCHEME_NOT_OPEN', message: `The scheme accepts applications from ${scheme.validFrom} to ${scheme.validUntil}.` });
  }
  for (const rule of scheme.rules) {
    switch (rule.kind) {
      case 'AGE_RANGE': {
        if (!inputs.dateOfBirth) { reasons.push(withheld('date of birth')); break; }
        const age = ageOn(inputs.dateOfBirth, today);
        if ((rule.min !== undefined && age < rule.min) || (rule.max !== undefined && age > rule.max)) {
          reasons.push({ code: 'AGE_OUT_OF_RANGE', message: `Aged ${age}; the scheme is for ages ${rule.min ?? 0} to ${rule.max ?? 'any'}.` });
        }
        break;
      }
      case 'CITIZENSHIP':
        if (!inputs.citizenship) reasons.push(withheld('citizenship'));
        else if (!(rule.allowed as readonly string[]).includes(inputs.citizenship)) {
          reasons.push({ code: 'CITIZENSHIP_NOT_ALLOWED', message: `Open to ${rule.allowed.join(', ')} only.` });
        }
        break;
      case 'HOUSEHOLD_INCOME_AT_MOST':
        if (inputs.incomeWithheld) {
          reasons.push({
            code: 'PERSONAL_DATA_WITHHELD',
            message: "A learner declares their household income to the scheme's funder only, so this rule cannot be checked for you.",
          });
        } else if (inputs.monthlyIncomeSen === null) {
          reasons.push({ code: 'INCOME_NOT_DECLARED', message: 'The learner has not declared a household income.' });
        } else if (inputs.monthlyIncomeSen > rule.thresholdSen) {
          reasons.push({ code: 'HOUSEHOLD_INCOME_ABOVE_THRESHOLD', message: `Household income is above ${formatRinggit(rule.thresholdSen)} a month.` });
        }
        break;
      case 'EMPLOYED_BY_LEVY_PAYER': {
        // A payment for one of the last N complete months counts, and so does one for the current month (paid ahead).
        const within = rule.paidWithinMonths ?? DEFAULT_LEVY_PAID_WITHIN_MONTHS;
        const since = monthsBefore(today.slice(0, 7), within);
        if (!inputs.employer) reasons.push({ code: 'NOT_EMPLOYED_BY_LEVY_PAYER', message: notEmployedByLevyPayer });
        else if (inputs.employer.lastLevyPaidMonth === null || inputs.employer.lastLevyPaidMonth < since) {
          reasons.push({ code: 'NOT_EMPLOYED_BY_LEVY_PAYER', message: missingLevyPayment(within, since) });
        }
        break;
      }
      case 'COURSE_APPROVED_FOR_SCHEME':
        if (!inputs.course) reasons.push({ code: 'COURSE_REQUIRED', message: 'Name a course: this scheme funds only courses it approved.' });
        else if (!inputs.courseApproved) reasons.push({ code: 'COURSE_NOT_APPROVED', message: 'The course is not approved for this scheme.' });
        break;
      case 'COURSE_MQF_LEVEL': {
        if (!inputs.course) { reasons.push({ code: 'COURSE_REQUIRED', message: 'Name a course: this scheme funds courses of some MQF levels only.' }); break; }
        const level = inputs.course.mqfLevel;
        if (level === null || (rule.min !== undefined && level < rule.min) || (rule.max !== undefined && level > rule.max)) {
          reasons.push({ code: 'COURSE_MQF_LEVEL_OUT_OF_RANGE', message: `The course is at MQF level ${level ?? 'none'}; the scheme funds ${rule.min ?? 1} to ${rule.max ?? 8}.` });
        }
        break;
      }
      case 'NOT_ALREADY_FUNDED_FOR_COURSE':
        if (inputs.alreadyFunded) reasons.push({ code: 'ALREADY_FUNDED_FOR_COURSE', message: 'The learner has already been funded for this course.' });
        break;
    }
  }
  const eligible = reasons.length === 0;
  if (!inputs.course) return { eligible, consentRequired: false, reasons: dedupe(reasons), coveredSen: null, coPaymentSen: null };
  const money = eligible ? split(scheme, inputs.course.feeSen) : { coveredSen: 0, coPaymentSen: inputs.course.feeSen };
  return { eligible, consentRequired: false, reasons: dedupe(reasons), ...money };
}

/** Two course rules without a course give one COURSE_REQUIRED. */
function dedupe(reasons: Reason[]): Reason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => (r.code === 'COURSE_REQUIRED' ? !seen.has(r.code) && !!seen.add(r.code) : true));
}
