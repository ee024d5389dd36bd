import { z } from 'zod';

/**
 * Eligibility rules as funders write them and as the scheme stores them
 * (jsonb). Every write goes through `eligibilityRulesSchema`, so a stored rule
 * always has a known kind and well-formed parameters; the eligibility check
 * (a later issue) evaluates exactly these shapes.
 */
export const ELIGIBILITY_RULE_KINDS = [
  'AGE_RANGE',
  'CITIZENSHIP',
  'HOUSEHOLD_INCOME_AT_MOST',
  'EMPLOYED_BY_LEVY_PAYER',
  'COURSE_APPROVED_FOR_SCHEME',
  'COURSE_MQF_LEVEL',
  'NOT_ALREADY_FUNDED_FOR_COURSE',
] as const;
export type EligibilityRuleKind = (typeof ELIGIBILITY_RULE_KINDS)[number];

export const CITIZENSHIPS = ['MALAYSIAN', 'PERMANENT_RESIDENT', 'NON_CITIZEN'] as const;

const whole = (what: string, min: number, max: number) =>
  z.number().int(`must be a whole number of ${what}`).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

const ageRange = z.object({ kind: z.literal('AGE_RANGE'), min: whole('years', 0, 120).optional(), max: whole('years', 0, 120).optional() }).strict();
const mqfLevel = z.object({ kind: z.literal('COURSE_MQF_LEVEL'), min: whole('levels', 1, 8).optional(), max: whole('levels', 1, 8).optional() }).strict();
const citizenship = z
  .object({
    kind: z.literal('CITIZENSHIP'),
    allowed: z.array(z.enum(CITIZENSHIPS)).min(1, 'must name at least one citizenship'),
  })
  .strict();
const householdIncome = z
  .object({
    kind: z.literal('HOUSEHOLD_INCOME_AT_MOST'),
    /** Monthly household income, in sen: published survey figures change, so this is data (B40: RM 4,850 in 2019). */
    thresholdSen: z.number().int('must be a whole number of sen').positive('must be more than zero'),
  })
  .strict();
const withoutParameters = <K extends EligibilityRuleKind>(kind: K) => z.object({ kind: z.literal(kind) }).strict();

/** How recent a levy payment must be for its payer to count, when the scheme does not say: HRD Corp bills monthly, so a quarter. */
export const DEFAULT_LEVY_PAID_WITHIN_MONTHS = 3;
const levyPayer = z
  .object({
    kind: z.literal('EMPLOYED_BY_LEVY_PAYER'),
    /**
     * The employer counts as a levy payer when HRD Corp recorded its levy for one of the last this many complete
     * months (or, paid ahead, the current one). Absent: DEFAULT_LEVY_PAID_WITHIN_MONTHS.
     */
    paidWithinMonths: whole('months', 1, 24).optional(),
  })
  .strict();

const ruleShape = z.discriminatedUnion(
  'kind',
  [
    ageRange,
    citizenship,
    householdIncome,
    levyPayer,
    withoutParameters('COURSE_APPROVED_FOR_SCHEME'),
    mqfLevel,
    withoutParameters('NOT_ALREADY_FUNDED_FOR_COURSE'),
  ],
  { errorMap: (issue, ctx) => ({ message: issue.code === 'invalid_union_discriminator' ? `must be one of ${ELIGIBILITY_RULE_KINDS.join(', ')}` : ctx.defaultError }) },
);

/** One rule. A range (age, MQF level) needs at least one bound, and min not above max. */
export const eligibilityRuleSchema = ruleShape.superRefine((rule, ctx) => {
  if (rule.kind !== 'AGE_RANGE' && rule.kind !== 'COURSE_MQF_LEVEL') return;
  if (rule.min === undefined && rule.max === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['min'], message: 'or max is required' });
  if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['max'], message: 'must not be below min' });
  }
});
export type EligibilityRule = z.infer<typeof ruleShape>;

/** A scheme's rules: each kind at most once (two age ranges would be ambiguous). */
export const eligibilityRulesSchema = z.array(eligibilityRuleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    if (seen.has(rule.kind)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'kind'], message: `${rule.kind} appears more than once` });
    seen.add(rule.kind);
  });
});
