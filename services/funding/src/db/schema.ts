import { outboxTable } from '@tauliah/core/outbox';
import { staffAccountTable } from '@tauliah/core/staff-table';
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, jsonb, pgSchema, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { ELIGIBILITY_RULE_KINDS, type EligibilityRule } from '../eligibility/rules.ts';

export const fundingSchema = pgSchema('funding');

export const funder = fundingSchema.table(
  'funder',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    /**
     * Its registration (statutory body, society or company) number, as given when it applied to join: unique, so one
     * body joins once. Null for the funders that predate applications.
     */
    registrationNumber: text('registration_number'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('funder_registration_number_key').on(t.registrationNumber),
    check('funder_kind_check', sql`${t.kind} in ('HRD_CORP', 'B40_AID', 'OTHER')`),
  ],
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
    /** Sen, like all money: a national budget exceeds 32 bits, so bigint (SafeInt in the graph). */
    budgetSen: bigint('budget_sen', { mode: 'number' }).notNull(),
    perLearnerCapSen: integer('per_learner_cap_sen').notNull(),
    coPaymentPercent: integer('co_payment_percent').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }).notNull(),
    published: boolean('published').notNull().default(false),
    /** Validated by `eligibilityRulesSchema` on every write (see schemes/definition.ts). */
    rules: jsonb('rules').$type<EligibilityRule[]>().notNull(),
    /** Sum of the commitments in `budget_entry`; the CHECK below is what stops an approval overspending, even under concurrency. */
    committedSen: bigint('committed_sen', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('scheme_code_key').on(t.code),
    index('scheme_funder_idx').on(t.funderId, t.code),
    index('scheme_kind_idx').on(t.kind, t.published, t.code),
    check('scheme_kind_check', sql`${t.kind} in ('HRD_CORP_GRANT', 'B40_AID')`),
    check('scheme_money_check', sql`${t.budgetSen} >= 0 and ${t.perLearnerCapSen} >= 0 and ${t.perLearnerCapSen} <= ${t.budgetSen}`),
    check('scheme_committed_check', sql`${t.committedSen} >= 0 and ${t.committedSen} <= ${t.budgetSen}`),
    check('scheme_co_payment_check', sql`${t.coPaymentPercent} between 0 and 100`),
    check('scheme_validity_check', sql`${t.validUntil} >= ${t.validFrom}`),
    // Defence in depth under the zod validation: even a hand-written insert stores only rules of a known kind.
    check(
      'scheme_rules_check',
      sql`jsonb_typeof(${t.rules}) = 'array' and not jsonb_path_exists(${t.rules}, ${sql.raw(`'$[*] ? (!(@.kind like_regex "^(${ELIGIBILITY_RULE_KINDS.join('|')})$"))'`)})`,
    ),
  ],
);

const decided = {
  status: text('status').notNull().default('PENDING'),
  submittedBy: text('submitted_by').notNull(),
  submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
  /** Who decided, when and why: set once, when the record leaves PENDING, and never changed after. */
  decidedBy: text('decided_by'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  reason: text('reason'),
  /** A partner's retry key, unique per submitter. */
  idempotencyKey: text('idempotency_key'),
};

/** A provider's request that a scheme fund a course, and the funder's decision. A resubmission supersedes a rejected one. */
export const courseApproval = fundingSchema.table(
  'course_approval',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schemeId: uuid('scheme_id')
      .notNull()
      .references(() => scheme.id, { onDelete: 'restrict' }),
    /** A `Course` owned by the providers service, and its provider. */
    courseId: uuid('course_id').notNull(),
    providerId: uuid('provider_id').notNull(),
    supersedesId: uuid('supersedes_id').references((): AnyPgColumn => courseApproval.id, { onDelete: 'restrict' }),
    ...decided,
  },
  (t) => [
    // The funder's queue: one scheme's records by status, oldest first (the keyset of its pages).
    index('course_approval_queue_idx').on(t.schemeId, t.status, t.submittedAt, t.id),
    // Whoever sees every scheme's records (administrators; a funder with many schemes): by status, or by when
    // submitted alone, oldest first, a page read in order without sorting HRD Corp's whole queue.
    index('course_approval_status_idx').on(t.status, t.submittedAt, t.id),
    index('course_approval_submitted_idx').on(t.submittedAt, t.id),
    // A provider's submissions (its own view, and the funder's provider filter), within a submitted range.
    index('course_approval_provider_idx').on(t.providerId, t.submittedAt, t.id),
    index('course_approval_course_idx').on(t.courseId, t.schemeId),
    uniqueIndex('course_approval_supersedes_key').on(t.supersedesId),
    uniqueIndex('course_approval_idempotency_key').on(t.submittedBy, t.idempotencyKey),
    check('course_approval_status_check', sql`${t.status} in ('PENDING', 'APPROVED', 'REJECTED')`),
    check('course_approval_decision_check', sql`(${t.status} = 'PENDING') = (${t.decidedAt} is null)`),
  ],
);

/** A learner's B40 application or an employer's HRD Corp claim for one course, and the funder's decision. */
export const application = fundingSchema.table(
  'application',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schemeId: uuid('scheme_id')
      .notNull()
      .references(() => scheme.id, { onDelete: 'restrict' }),
    kind: text('kind').notNull(),
    learnerId: uuid('learner_id').notNull(),
    courseId: uuid('course_id').notNull(),
    /** The claiming employer (HRD Corp claims). */
    employerId: uuid('employer_id'),
    declaredHouseholdIncomeSen: integer('declared_household_income_sen'),
    evidenceReference: text('evidence_reference'),
    /** What the scheme would pay, fixed when applied for: what approval commits. */
    amountSen: integer('amount_sen').notNull(),
    supersedesId: uuid('supersedes_id').references((): AnyPgColumn => application.id, { onDelete: 'restrict' }),
    ...decided,
  },
  (t) => [
    index('application_queue_idx').on(t.schemeId, t.status, t.submittedAt, t.id),
    index('application_learner_idx').on(t.learnerId, t.courseId),
    index('application_employer_idx').on(t.employerId, t.submittedAt),
    uniqueIndex('application_supersedes_key').on(t.supersedesId),
    uniqueIndex('application_idempotency_key').on(t.submittedBy, t.idempotencyKey),
    // Nobody is funded twice for the same course, whatever raced.
    uniqueIndex('application_funded_once_key').on(t.learnerId, t.courseId).where(sql`${t.status} = 'APPROVED'`),
    check('application_kind_check', sql`${t.kind} in ('B40_AID', 'HRD_CORP_CLAIM')`),
    check('application_status_check', sql`${t.status} in ('PENDING', 'APPROVED', 'REJECTED')`),
    check('application_decision_check', sql`(${t.status} = 'PENDING') = (${t.decidedAt} is null)`),
    check('application_amount_check', sql`${t.amountSen} > 0 and coalesce(${t.declaredHouseholdIncomeSen}, 0) >= 0`),
    check('application_claim_check', sql`(${t.kind} = 'HRD_CORP_CLAIM') = (${t.employerId} is not null)`),
  ],
);

/** The budget ledger: every commitment (an approval) and disbursement (a payment) of a scheme, never updated. */
export const budgetEntry = fundingSchema.table(
  'budget_entry',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schemeId: uuid('scheme_id')
      .notNull()
      .references(() => scheme.id, { onDelete: 'restrict' }),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => application.id, { onDelete: 'restrict' }),
    kind: text('kind').notNull(),
    amountSen: integer('amount_sen').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('budget_entry_scheme_idx').on(t.schemeId, t.recordedAt, t.id),
    index('budget_entry_application_idx').on(t.applicationId),
    uniqueIndex('budget_entry_commitment_key').on(t.applicationId).where(sql`${t.kind} = 'COMMITMENT'`),
    check('budget_entry_kind_check', sql`${t.kind} in ('COMMITMENT', 'DISBURSEMENT')`),
    check('budget_entry_amount_check', sql`${t.amountSen} > 0`),
  ],
);

/** An employer's HRD Corp levy account; its balance can exceed 32 bits of sen, hence bigint. */
export const levyAccount = fundingSchema.table(
  'levy_account',
  {
    /** An `Employer` owned by the employers service. */
    employerId: uuid('employer_id').primaryKey(),
    balanceSen: bigint('balance_sen', { mode: 'number' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('levy_account_balance_check', sql`${t.balanceSen} >= 0`)],
);

/**
 * Levy paid in (one payment per employer and month, as HRD Corp records it)
 * and grants drawn, never updated: the balance is their sum.
 */
export const levyEntry = fundingSchema.table(
  'levy_entry',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    employerId: uuid('employer_id')
      .notNull()
      .references(() => levyAccount.employerId, { onDelete: 'restrict' }),
    applicationId: uuid('application_id').references(() => application.id, { onDelete: 'restrict' }),
    kind: text('kind').notNull(),
    amountSen: bigint('amount_sen', { mode: 'number' }).notNull(),
    /** The month a LEVY_PAID entry pays the levy for, as the date of its first day (Malaysian calendar); null for GRANT_DRAWN. */
    month: date('month', { mode: 'string' }),
    /** The subject of the HRD Corp officer who recorded the payment; null for grants drawn (the application says who approved). */
    recordedBy: text('recorded_by'),
    /** The officer's retry key of the recordLevyPayment call that made it: a retry answers this entry. */
    idempotencyKey: text('idempotency_key'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('levy_entry_employer_idx').on(t.employerId, t.recordedAt),
    // One levy payment per employer and month, whatever raced. It also serves an account's payments newest month
    // first, its last paid month, and eligibility's "paid in the last months" for a batch of employers.
    uniqueIndex('levy_entry_paid_month_key').on(t.employerId, t.month).where(sql`${t.kind} = 'LEVY_PAID'`),
    uniqueIndex('levy_entry_idempotency_key').on(t.recordedBy, t.idempotencyKey),
    check('levy_entry_kind_check', sql`${t.kind} in ('LEVY_PAID', 'GRANT_DRAWN')`),
    check('levy_entry_amount_check', sql`${t.amountSen} > 0`),
    check('levy_entry_month_check', sql`(${t.kind} = 'LEVY_PAID') = (${t.month} is not null) and (${t.month} is null or extract(day from ${t.month}) = 1)`),
  ],
);

/**
 * A learner's declared monthly household income (B40 rules), made to one
 * funder: with an application to one of its schemes, or to it directly. A
 * funder's eligibility checks read only the declarations made to it, latest
 * first, and never one made with an application it rejected: that one stays
 * only as the application's record.
 */
export const incomeDeclaration = fundingSchema.table(
  'income_declaration',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    learnerId: uuid('learner_id').notNull(),
    /**
     * The funder it was made to. Null only for a declaration an older release
     * kept without saying to whom: no funder's eligibility reads it.
     */
    funderId: uuid('funder_id').references(() => funder.id, { onDelete: 'restrict' }),
    /** The application it was made with, if any. */
    applicationId: uuid('application_id').references(() => application.id, { onDelete: 'restrict' }),
    monthlyIncomeSen: integer('monthly_income_sen').notNull(),
    evidenceReference: text('evidence_reference').notNull(),
    declaredAt: timestamp('declared_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('income_declaration_learner_idx').on(t.learnerId, t.funderId, t.declaredAt),
    uniqueIndex('income_declaration_application_key').on(t.applicationId),
    check('income_declaration_income_check', sql`${t.monthlyIncomeSen} >= 0`),
    check('income_declaration_application_check', sql`${t.applicationId} is null or ${t.funderId} is not null`),
  ],
);

/**
 * The officers (FUNDER tokens) that act for a funder: a token's funderId
 * counts only while its subject has an account here (@tauliah/core
 * staff-gate.ts and staff-accounts.ts). No partner system acts for a funder.
 */
export const staffAccount = staffAccountTable(fundingSchema, 'FUNDER', () => funder.id);

/**
 * Events about funders' decisions (application.decided, claim.decided, courseApproval.decided), written in the
 * transaction of the decision (review/announce.ts). Decisions made before the outbox are not announced: each event
 * tells of a decision as it is made, and no service keeps a copy of decisions that it would need to start from.
 */
export const outbox = outboxTable(fundingSchema);

export const tables = { funder, scheme, courseApproval, application, budgetEntry, levyAccount, levyEntry, incomeDeclaration, staffAccount, outbox };
export type FunderRow = typeof funder.$inferSelect;
export type SchemeRow = typeof scheme.$inferSelect;
export type CourseApprovalRow = typeof courseApproval.$inferSelect;
export type ApplicationRow = typeof application.$inferSelect;
export type LevyAccountRow = typeof levyAccount.$inferSelect;
export type LevyEntryRow = typeof levyEntry.$inferSelect;
export type IncomeDeclarationRow = typeof incomeDeclaration.$inferSelect;
