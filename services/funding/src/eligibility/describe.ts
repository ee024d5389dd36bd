import { formatRinggit } from '@tauliah/core';
import { DEFAULT_LEVY_PAID_WITHIN_MONTHS, type EligibilityRule } from './rules.ts';

/** RM with thousands separators and two decimals, from integer sen (no floating point on money). */

const CITIZENSHIP_NAMES = { MALAYSIAN: 'Malaysian citizens', PERMANENT_RESIDENT: 'permanent residents', NON_CITIZEN: 'non-citizens' } as const;

/** "17 to 35", "17 or over", "35 or under" (the schema guarantees at least one bound). */
function bounds(min: number | undefined, max: number | undefined, over: string, under: string): string {
  if (min !== undefined && max !== undefined) return min === max ? String(min) : `${min} to ${max}`;
  return min !== undefined ? `${min} ${over}` : `${max} ${under}`;
}

export const months = (count: number): string => (count === 1 ? 'month' : `${count} months`);

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** The sentence a learner or funder reads for a rule, e.g. "Household income at most RM 4,850.00 a month". */
export function describeRule(rule: EligibilityRule): string {
  switch (rule.kind) {
    case 'AGE_RANGE':
      return `Aged ${bounds(rule.min, rule.max, 'or over', 'or under')}`;
    case 'CITIZENSHIP': {
      const names = [...new Set(rule.allowed)].map((c) => CITIZENSHIP_NAMES[c]);
      return `Open to ${list(names)}`;
    }
    case 'HOUSEHOLD_INCOME_AT_MOST':
      return `Household income at most ${formatRinggit(rule.thresholdSen)} a month`;
    case 'EMPLOYED_BY_LEVY_PAYER':
      return `Employed by an employer that paid the HRD Corp levy in the last ${months(rule.paidWithinMonths ?? DEFAULT_LEVY_PAID_WITHIN_MONTHS)}`;
    case 'COURSE_APPROVED_FOR_SCHEME':
      return 'The course is approved for this scheme';
    case 'COURSE_MQF_LEVEL':
      return `The course is at MQF level ${bounds(rule.min, rule.max, 'or above', 'or below')}`;
    case 'NOT_ALREADY_FUNDED_FOR_COURSE':
      return 'Not already funded for the same course';
  }
}

/** Why EMPLOYED_BY_LEVY_PAYER failed for a learner with no current employment they confirmed. */
export const notEmployedByLevyPayer = 'Not currently employed (employment confirmed by the learner) by an employer that pays the HRD Corp levy.';

/**
 * Why EMPLOYED_BY_LEVY_PAYER failed for a learner whose employer has no recent payment: what is missing, and
 * nothing more. The employer's balance, amounts and the month it last paid belong to its levy account, which
 * only its own staff, HRD Corp and administrators read; the window is the rule's, known to everyone.
 */
export const missingLevyPayment = (within: number, since: string): string =>
  `No HRD Corp levy payment is recorded for the learner's current employer in the last ${months(within)} (for ${since} or later).`;
