import { parseInput, rules, type Database } from '@tauliah/core';
import { z } from 'zod';
import { scheme, type SchemeRow, type tables } from './db/schema.ts';
import { eligibilityRulesSchema } from './eligibility/rules.ts';

/** A per-learner cap travels as GraphQL `Int` (32-bit); a budget as SafeInt (53-bit, stored as bigint). */
const MAX_SEN = 2_147_483_647;
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
    perLearnerCapSen: rules.sen.max(MAX_SEN, `must be at most ${MAX_SEN} sen`),
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
