import { Cacheable } from '@tauliah/core';
import { GraphQLJSON, GraphQLSafeInt } from 'graphql-scalars';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { SchemeRow } from '../db/schema.ts';
import { describeRule } from '../eligibility/describe.ts';
import { ELIGIBILITY_RULE_KINDS, type EligibilityRule as StoredRule, type EligibilityRuleKind } from '../eligibility/rules.ts';

export enum SchemeKind {
  HRD_CORP_GRANT = 'HRD_CORP_GRANT',
  B40_AID = 'B40_AID',
}
registerEnumType(SchemeKind, { name: 'SchemeKind', description: 'What a scheme pays for and whom it serves.' });

/** The GraphQL enum is built from the validation module's list, so the two cannot drift apart. */
const RuleKind = Object.fromEntries(ELIGIBILITY_RULE_KINDS.map((kind) => [kind, kind])) as { [K in EligibilityRuleKind]: K };
registerEnumType(RuleKind, {
  name: 'EligibilityRuleKind',
  valuesConfig: {
    AGE_RANGE: { description: "The learner's age in years: parameters { min, max } (either may be absent)." },
    CITIZENSHIP: { description: 'The learner\'s citizenship: parameters { allowed: ["MALAYSIAN", ...] }.' },
    HOUSEHOLD_INCOME_AT_MOST: { description: 'Monthly household income: parameters { thresholdSen }.' },
    EMPLOYED_BY_LEVY_PAYER: {
      description:
        "The learner's current employment (confirmed by the learner) is with an employer HRD Corp recorded a levy payment for within the last months: parameters { paidWithinMonths } (1-24, default 3; a payment for the current month counts too).",
    },
    COURSE_APPROVED_FOR_SCHEME: { description: 'The funder approved the course for this scheme.' },
    COURSE_MQF_LEVEL: { description: "The course's MQF level: parameters { min, max } (either may be absent)." },
    NOT_ALREADY_FUNDED_FOR_COURSE: { description: 'The learner has not already been funded for the same course.' },
  },
});

@ObjectType({ description: 'One condition a learner and course must meet for a scheme to pay.' })
@Cacheable()
export class EligibilityRule {
  @Field(() => RuleKind)
  kind!: EligibilityRuleKind;

  @Field(() => String, { description: 'The rule as a sentence, e.g. "Household income at most RM 4,850.00 a month".' })
  description!: string;

  @Field(() => GraphQLJSON, { nullable: true, description: 'The rule\'s parameters (money in sen); null for a rule that has none.' })
  parameters!: Record<string, unknown> | null;
}

export function toEligibilityRule(rule: StoredRule): EligibilityRule {
  const { kind, ...parameters } = rule;
  return { kind, description: describeRule(rule), parameters: Object.keys(parameters).length > 0 ? parameters : null };
}

@ObjectType({ description: 'A funding scheme: an HRD Corp grant or B40 aid, with its budget and eligibility rules. Unpublished schemes are seen only by their funder and administrators.' })
@Directive('@key(fields: "id")')
@Cacheable()
export class Scheme {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Short unique code, e.g. "B40-MC-2026".' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  description!: string;

  @Field(() => SchemeKind)
  kind!: SchemeKind;

  @Field(() => GraphQLSafeInt, { description: 'The whole budget, in sen (a SafeInt: national budgets exceed 32 bits). Public for published schemes, as funders publish it.' })
  budgetSen!: number;

  @Field(() => Int, { description: 'The most the scheme pays for one learner, in sen.' })
  perLearnerCapSen!: number;

  @Field(() => Int, { description: 'The share of a course fee (0–100 %) the learner or employer pays themselves.' })
  coPaymentPercent!: number;

  @Field(() => String, { description: 'First day applications are accepted, YYYY-MM-DD.' })
  validFrom!: string;

  @Field(() => String, { description: 'Last day applications are accepted, YYYY-MM-DD.' })
  validUntil!: string;

  @Field(() => Boolean)
  published!: boolean;

  @Field(() => GraphQLSafeInt, { description: 'Budget committed by approved applications, in sen (the ledger\'s commitments).' })
  committedSen!: number;

  @Field(() => GraphQLSafeInt, { description: 'Budget still uncommitted, in sen.' })
  remainingSen!: number;

  @Field(() => [EligibilityRule], { description: 'Every rule must hold for a learner and course to be eligible.' })
  rules!: EligibilityRule[];
}

/** A scheme keeps its funderId for the `funder` field; its stored rules become described rules. */
export type SchemeWithFunder = Scheme & { funderId: string };

export const toScheme = (row: SchemeRow): SchemeWithFunder => ({
  ...row,
  kind: row.kind as SchemeKind,
  rules: row.rules.map(toEligibilityRule),
  remainingSen: row.budgetSen - row.committedSen,
});
