import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ELIGIBILITY_RULE_KINDS, type EligibilityRule } from '../eligibility/rules.ts';

export const fundingSchema = pgSchema('funding');

export const funder = fundingSchema.table(
  'funder',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('funder_kind_check', sql`${t.kind} in ('HRD_CORP', 'B40_AID')`)],
);

export const scheme = fundingSchema.table(
  'scheme',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    funderId: uuid('funder_id')
      .notNull()
      .references(() => funder.id, { onDelete: 'restrict' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull(),
    kind: text('kind').notNull(),
    /** Sen, like all money. An integer column because GraphQL `Int` is what the graph can carry. */
    budgetSen: integer('budget_sen').notNull(),
    perLearnerCapSen: integer('per_learner_cap_sen').notNull(),
    coPaymentPercent: integer('co_payment_percent').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }).notNull(),
    published: boolean('published').notNull().default(false),
    /** Validated by `eligibilityRulesSchema` on every write (see scheme-store.ts). */
    rules: jsonb('rules').$type<EligibilityRule[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('scheme_code_key').on(t.code),
    index('scheme_funder_idx').on(t.funderId, t.code),
    index('scheme_kind_idx').on(t.kind, t.published, t.code),
    check('scheme_kind_check', sql`${t.kind} in ('HRD_CORP_GRANT', 'B40_AID')`),
    check('scheme_money_check', sql`${t.budgetSen} >= 0 and ${t.perLearnerCapSen} >= 0 and ${t.perLearnerCapSen} <= ${t.budgetSen}`),
    check('scheme_co_payment_check', sql`${t.coPaymentPercent} between 0 and 100`),
    check('scheme_validity_check', sql`${t.validUntil} >= ${t.validFrom}`),
    // Defence in depth under the zod validation: even a hand-written insert stores only rules of a known kind.
    check(
      'scheme_rules_check',
      sql`jsonb_typeof(${t.rules}) = 'array' and not jsonb_path_exists(${t.rules}, ${sql.raw(`'$[*] ? (!(@.kind like_regex "^(${ELIGIBILITY_RULE_KINDS.join('|')})$"))'`)})`,
    ),
  ],
);

export const tables = { funder, scheme };
export type FunderRow = typeof funder.$inferSelect;
export type SchemeRow = typeof scheme.$inferSelect;
