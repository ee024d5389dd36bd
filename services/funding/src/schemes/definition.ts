import { Conflict, isUniqueViolation, MAX_INTEGER, parseInput, rules, type Database } from '@tauliah/core';
import { z } from 'zod';
import { scheme, type SchemeRow, type tables } from '../db/schema.ts';
import { eligibilityRulesSchema } from '../eligibility/rules.ts';

/** An amount that travels as GraphQL `Int` and is stored in an `integer` column (32-bit): a per-learner cap, a declared income. */
export const integerSen = rules.sen.max(MAX_INTEGER, `must be at most ${MAX_INTEGER} sen`);
/** A budget travels as SafeInt (53-bit) and is stored as bigint. */
const MAX_BUDGET_SEN = Number.MAX_SAFE_INTEGER;

/** A scheme as a funder defines it. Every write of a scheme goes through this, seeding included. */
export const schemeDefinitionSchema = z
  .object({
    id: rules.uuid('scheme id').optional(),
    funderId: rules.uuid('funder id'),
    code: z.string().trim().regex(/^[A-Z0-9]+(-[A-Z0-9]+)*$/, 'must be upper-case letters, digits and dashes, e.g. B40-MC-2026'),
    name: rules.nonEmpty(200),
    description: rules.nonEmpty(2000),
    kind: z.enum(['HRD_CORP_GRANT', 'B40_AID']),
    budgetSen: rules.sen.max(MAX_BUDGET_SEN, `must be at most ${MAX_BUDGET_SEN} sen`),
    perLearnerCapSen: integerSen,
    coPaymentPercent: z.number().int('must be a whole percentage').min(0, 'must be at least 0').max(100, 'must be at most 100'),
    validFrom: rules.isoDate,
    validUntil: rules.isoDate,
    published: z.boolean(),
    rules: eligibilityRulesSchema,
  })
  .superRefine((s, ctx) => {
    if (s.validUntil < s.validFrom) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['validUntil'], message: 'must not be before validFrom' });
    if (s.perLearnerCapSen > s.budgetSen) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['perLearnerCapSen'], message: 'must not exceed budgetSen' });
  });

export type SchemeDefinition = z.infer<typeof schemeDefinitionSchema>;

/** Validates every definition (all problems at once, as BAD_USER_INPUT) before writing any. */
export async function insertSchemes(db: Database<typeof tables>, definitions: readonly unknown[]): Promise<SchemeRow[]> {
  const valid = parseInput(z.array(schemeDefinitionSchema), definitions, 'schemes');
  return valid.length === 0 ? [] : db.insert(scheme).values(valid).returning();
}

/** Defines one scheme; its code is unique across funders. */
export async function defineScheme(db: Database<typeof tables>, definition: Record<string, unknown> & { code: string }): Promise<SchemeRow> {
  try {
    const [row] = await insertSchemes(db, [definition]);
    return row!;
  } catch (error) {
    if (isUniqueViolation(error, 'scheme_code_key')) throw new Conflict(`A scheme with code ${definition.code} already exists.`, { field: 'code' });
    throw error;
  }
}
