import { staffAccountTable } from '@tauliah/core/staff-table';
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const providersSchema = pgSchema('providers');

export const provider = providersSchema.table(
  'provider',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    state: text('state').notNull(),
    website: text('website'),
    mqaRegistration: text('mqa_registration'),
    hrdCorpRegistration: text('hrd_corp_registration'),
    /** False once a regulator suspends the provider as an issuer. */
    inGoodStanding: boolean('in_good_standing').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('provider_slug_key').on(t.slug),
    check(
      'provider_kind_check',
      sql`${t.kind} in ('ODL_UNIVERSITY', 'PUBLIC_UNIVERSITY', 'PRIVATE_UNIVERSITY', 'TRAINING_PROVIDER', 'INDUSTRY_ACADEMY')`,
    ),
  ],
);

export const skill = providersSchema.table('skill', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull(),
});

export const course = providersSchema.table(
  'course',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => provider.id),
    code: text('code').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    credits: integer('credits'),
    notionalHours: integer('notional_hours').notNull(),
    mqfLevel: integer('mqf_level'),
    learningOutcomes: text('learning_outcomes').array().notNull(),
    feeSen: integer('fee_sen').notNull(),
    deliveryMode: text('delivery_mode').notNull(),
    accreditation: text('accreditation').notNull(),
    assessment: text('assessment').notNull(),
    validityMonths: integer('validity_months'),
    status: text('status').notNull().default('DRAFT'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('course_provider_code_key').on(t.providerId, t.code),
    // The catalogue's stable order (code, then id), published rows first in the index.
    index('course_status_code_idx').on(t.status, t.code, t.id),
    index('course_provider_code_idx').on(t.providerId, t.code, t.id),
    index('course_mqf_level_idx').on(t.mqfLevel),
    index('course_fee_sen_idx').on(t.feeSen),
    index('course_delivery_mode_idx').on(t.deliveryMode),
    // Text search runs ILIKE '%term%' on each of these; pg_trgm's GIN indexes serve it (migration 0001 creates the extension).
    index('course_title_trgm_idx').using('gin', t.title.op('gin_trgm_ops')),
    index('course_code_trgm_idx').using('gin', t.code.op('gin_trgm_ops')),
    index('course_description_trgm_idx').using('gin', t.description.op('gin_trgm_ops')),
    check('course_status_check', sql`${t.status} in ('DRAFT', 'PUBLISHED', 'RETIRED')`),
    check('course_delivery_mode_check', sql`${t.deliveryMode} in ('ONLINE', 'IN_PERSON', 'BLENDED')`),
    check('course_accreditation_check', sql`${t.accreditation} in ('MQA_ACCREDITED', 'MQA_PROVISIONAL', 'NOT_CREDIT_BEARING')`),
    check('course_mqf_level_check', sql`${t.mqfLevel} between 1 and 8`),
    check('course_fee_sen_check', sql`${t.feeSen} >= 0`),
    check('course_notional_hours_check', sql`${t.notionalHours} > 0`),
    check('course_validity_months_check', sql`${t.validityMonths} > 0`),
    // MQA: 1 credit = 40 hours of notional learning; a course without credits is not credit-bearing.
    check('course_credits_check', sql`${t.credits} is null or (${t.credits} > 0 and ${t.credits} = ${t.notionalHours} / 40)`),
    check('course_credit_bearing_check', sql`(${t.credits} is null) = (${t.accreditation} = 'NOT_CREDIT_BEARING')`),
    check('course_published_at_check', sql`${t.status} = 'DRAFT' or ${t.publishedAt} is not null`),
  ],
);

export const courseSkill = providersSchema.table(
  'course_skill',
  {
    courseId: uuid('course_id')
      .notNull()
      .references(() => course.id, { onDelete: 'cascade' }),
    skillCode: text('skill_code')
      .notNull()
      .references(() => skill.code),
    /** The provider's order: the first skill is the course's main one. */
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.courseId, t.skillCode] }), index('course_skill_skill_idx').on(t.skillCode, t.courseId)],
);

export const pathway = providersSchema.table(
  'pathway',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => provider.id),
    code: text('code').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    targetProgramme: text('target_programme').notNull(),
    targetProgrammeCredits: integer('target_programme_credits').notNull(),
    /** APEL.M admits a learner holding at least this share of the programme's credits through MCs. */
    apelThresholdPercent: integer('apel_threshold_percent').notNull().default(50),
  },
  (t) => [
    uniqueIndex('pathway_provider_code_key').on(t.providerId, t.code),
    check('pathway_programme_credits_check', sql`${t.targetProgrammeCredits} > 0`),
    check('pathway_apel_threshold_check', sql`${t.apelThresholdPercent} between 1 and 100`),
  ],
);

export const pathwayStage = providersSchema.table(
  'pathway_stage',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    pathwayId: uuid('pathway_id')
      .notNull()
      .references(() => pathway.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    /** At least this many credits from the stage's electives (null: the required courses suffice). */
    minimumCredits: integer('minimum_credits'),
    exitAward: text('exit_award').notNull(),
    exitJobRoleTitle: text('exit_job_role_title'),
  },
  (t) => [
    uniqueIndex('pathway_stage_position_key').on(t.pathwayId, t.position),
    check('pathway_stage_position_check', sql`${t.position} > 0`),
    check('pathway_stage_minimum_credits_check', sql`${t.minimumCredits} > 0`),
  ],
);

export const stageCourse = providersSchema.table(
  'stage_course',
  {
    stageId: uuid('stage_id')
      .notNull()
      .references(() => pathwayStage.id, { onDelete: 'cascade' }),
    courseId: uuid('course_id')
      .notNull()
      .references(() => course.id),
    kind: text('kind').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.stageId, t.courseId] }),
    index('stage_course_course_idx').on(t.courseId),
    check('stage_course_kind_check', sql`${t.kind} in ('REQUIRED', 'ELECTIVE')`),
  ],
);

/**
 * Credit transfer: a provider records that another provider's course counts
 * as one of its own, with the credits it grants; pathway progress honours it
 * until it is withdrawn (the record stays, for the audit trail).
 */
export const creditRecognition = providersSchema.table(
  'credit_recognition',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The recognising provider: it owns `course_id`. */
    providerId: uuid('provider_id')
      .notNull()
      .references(() => provider.id),
    courseId: uuid('course_id')
      .notNull()
      .references(() => course.id),
    recognisedCourseId: uuid('recognised_course_id')
      .notNull()
      .references(() => course.id),
    creditsGranted: integer('credits_granted').notNull(),
    approvedBy: text('approved_by').notNull(),
    approvedAt: timestamp('approved_at', { withTimezone: true }).notNull().defaultNow(),
    withdrawnBy: text('withdrawn_by'),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [
    // One standing recognition per pair: recording it again is a retry, not a second record.
    uniqueIndex('credit_recognition_active_key').on(t.courseId, t.recognisedCourseId).where(sql`${t.withdrawnAt} is null`),
    index('credit_recognition_recognised_idx').on(t.recognisedCourseId),
    index('credit_recognition_provider_idx').on(t.providerId),
    check('credit_recognition_credits_check', sql`${t.creditsGranted} > 0`),
    check('credit_recognition_distinct_check', sql`${t.courseId} <> ${t.recognisedCourseId}`),
  ],
);

/**
 * The people (PROVIDER_STAFF tokens) and partner systems (PARTNER tokens)
 * that act for a provider: a token's providerId counts only while its subject
 * has an account here (@tauliah/core staff-gate.ts and staff-accounts.ts).
 */
export const staffAccount = staffAccountTable(providersSchema, 'PROVIDER', () => provider.id);

export const tables = { provider, skill, course, courseSkill, pathway, pathwayStage, stageCourse, creditRecognition, staffAccount };
export type ProviderRow = typeof provider.$inferSelect;
export type SkillRow = typeof skill.$inferSelect;
export type CourseRow = typeof course.$inferSelect;
export type PathwayRow = typeof pathway.$inferSelect;
export type PathwayStageRow = typeof pathwayStage.$inferSelect;
export type CreditRecognitionRow = typeof creditRecognition.$inferSelect;
