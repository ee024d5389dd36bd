import { formatRinggit } from '@tauliah/core';
import { B40_INCOME_THRESHOLD_SEN, schemes } from '@tauliah/demo-data';
import { describe, expect, it } from 'vitest';
import { describeRule } from '../src/eligibility/describe.ts';
import { eligibilityRuleSchema, eligibilityRulesSchema, type EligibilityRule } from '../src/eligibility/rules.ts';

const problemsOf = (input: unknown) => {
  const result = eligibilityRulesSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('eligibility rule validation', () => {
  it('accepts the rules of both demo schemes', () => {
    for (const scheme of Object.values(schemes)) expect(problemsOf(scheme.rules)).toEqual([]);
  });

  it('rejects a rule of unknown kind, naming the kinds it knows', () => {
    const [problem] = problemsOf([{ kind: 'LIVES_IN_SELANGOR' }]);
    expect(problem).toMatch(/^0\.kind: must be one of AGE_RANGE, CITIZENSHIP, .*NOT_ALREADY_FUNDED_FOR_COURSE$/);
    expect(problemsOf([{ minimum: 3 }])).toHaveLength(1);
    expect(problemsOf(['AGE_RANGE'])).toHaveLength(1);
  });

  it.each([
    ['an age range with no bound', { kind: 'AGE_RANGE' }, '0.min: or max is required'],
    ['an age range upside down', { kind: 'AGE_RANGE', min: 35, max: 17 }, '0.max: must not be below min'],
    ['a fractional age', { kind: 'AGE_RANGE', min: 17.5 }, '0.min: must be a whole number of years'],
    ['an MQF level beyond 8', { kind: 'COURSE_MQF_LEVEL', max: 9 }, '0.max: must be at most 8'],
    ['an income threshold in ringgit with decimals', { kind: 'HOUSEHOLD_INCOME_AT_MOST', thresholdSen: 4850.5 }, '0.thresholdSen: must be a whole number of sen'],
    ['an income threshold as text', { kind: 'HOUSEHOLD_INCOME_AT_MOST', thresholdSen: '485000' }, '0.thresholdSen: Expected number, received string'],
    ['a zero income threshold', { kind: 'HOUSEHOLD_INCOME_AT_MOST', thresholdSen: 0 }, '0.thresholdSen: must be more than zero'],
    ['no citizenship allowed', { kind: 'CITIZENSHIP', allowed: [] }, '0.allowed: must name at least one citizenship'],
    ['an unknown citizenship', { kind: 'CITIZENSHIP', allowed: ['ALIEN'] }, "0.allowed.0: Invalid enum value. Expected 'MALAYSIAN' | 'PERMANENT_RESIDENT' | 'NON_CITIZEN', received 'ALIEN'"],
    ['a parameter the rule does not take', { kind: 'EMPLOYED_BY_LEVY_PAYER', minimumLevy: 1 }, "0: Unrecognized key(s) in object: 'minimumLevy'"],
    ['a levy window of no months', { kind: 'EMPLOYED_BY_LEVY_PAYER', paidWithinMonths: 0 }, '0.paidWithinMonths: must be at least 1'],
    ['a levy window in fractions of a month', { kind: 'EMPLOYED_BY_LEVY_PAYER', paidWithinMonths: 2.5 }, '0.paidWithinMonths: must be a whole number of months'],
    ['a misspelt parameter', { kind: 'HOUSEHOLD_INCOME_AT_MOST', threshold: 485000 }, '0.thresholdSen: Required'],
  ])('rejects %s', (_what, rule, problem) => {
    expect(problemsOf([rule])).toContain(problem);
  });

  it('rejects the same kind of rule twice in one scheme', () => {
    expect(problemsOf([{ kind: 'AGE_RANGE', min: 17 }, { kind: 'AGE_RANGE', max: 35 }])).toEqual(['1.kind: AGE_RANGE appears more than once']);
  });

  it('lists every problem in a list of rules at once', () => {
    expect(problemsOf([{ kind: 'NOPE' }, { kind: 'AGE_RANGE' }, { kind: 'COURSE_MQF_LEVEL', min: 0 }])).toHaveLength(3);
  });

  it('validates one rule on its own, as a funder editing a rule will', () => {
    expect(eligibilityRuleSchema.safeParse({ kind: 'COURSE_MQF_LEVEL', min: 3 }).success).toBe(true);
    expect(eligibilityRuleSchema.safeParse({ kind: 'COURSE_MQF_LEVEL', min: 5, max: 4 }).success).toBe(false);
  });
});

describe('rules as sentences', () => {
  it.each<[EligibilityRule, string]>([
    [{ kind: 'HOUSEHOLD_INCOME_AT_MOST', thresholdSen: B40_INCOME_THRESHOLD_SEN }, 'Household income at most RM 4,850.00 a month'],
    [{ kind: 'AGE_RANGE', min: 17, max: 35 }, 'Aged 17 to 35'],
    [{ kind: 'AGE_RANGE', min: 17 }, 'Aged 17 or over'],
    [{ kind: 'AGE_RANGE', max: 60 }, 'Aged 60 or under'],
    [{ kind: 'CITIZENSHIP', allowed: ['MALAYSIAN'] }, 'Open to Malaysian citizens'],
    [{ kind: 'CITIZENSHIP', allowed: ['MALAYSIAN', 'PERMANENT_RESIDENT', 'NON_CITIZEN'] }, 'Open to Malaysian citizens, permanent residents or non-citizens'],
    [{ kind: 'COURSE_MQF_LEVEL', min: 3, max: 4 }, 'The course is at MQF level 3 to 4'],
    [{ kind: 'COURSE_MQF_LEVEL', min: 4, max: 4 }, 'The course is at MQF level 4'],
    [{ kind: 'EMPLOYED_BY_LEVY_PAYER' }, 'Employed by an employer that paid the HRD Corp levy in the last 3 months'],
    [{ kind: 'EMPLOYED_BY_LEVY_PAYER', paidWithinMonths: 1 }, 'Employed by an employer that paid the HRD Corp levy in the last month'],
    [{ kind: 'EMPLOYED_BY_LEVY_PAYER', paidWithinMonths: 6 }, 'Employed by an employer that paid the HRD Corp levy in the last 6 months'],
    [{ kind: 'NOT_ALREADY_FUNDED_FOR_COURSE' }, 'Not already funded for the same course'],
  ])('describes %j', (rule, sentence) => {
    expect(describeRule(rule)).toBe(sentence);
  });

  it('formats sen as ringgit without floating point', () => {
    expect(formatRinggit(485_000)).toBe('RM 4,850.00');
    expect(formatRinggit(500_000_000)).toBe('RM 5,000,000.00');
    expect(formatRinggit(7)).toBe('RM 0.07');
    expect(formatRinggit(123_456_789)).toBe('RM 1,234,567.89');
    expect(formatRinggit(-1_050)).toBe('-RM 10.50');
  });
});
