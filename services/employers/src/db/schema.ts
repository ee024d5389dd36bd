import { staffAccountTable } from '@tauliah/core/staff-table';
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const employersSchema = pgSchema('employers');

export const employer = employersSchema.table(
  'employer',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** SSM (Companies Commission of Malaysia) registration number. */
    registrationNumber: text('registration_number').notNull(),
    name: text('name').notNull(),
    sector: text('sector').notNull(),
    size: text('size').notNull(),
    employeeCount: integer('employee_count').notNull(),
    state: text('state').notNull(),
    /** Registered with HRD Corp and paying the training levy. */
    hrdCorpRegistered: boolean('hrd_corp_registered').notNull(),
    /** HRD Corp's employer registration number, when the employer gave it (on joining); older records have none. */
    hrdCorpEmployerNumber: text('hrd_corp_employer_number'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('employer_registration_number_key').on(t.registrationNumber),
    index('employer_state_idx').on(t.state),
    check('employer_size_check', sql`${t.size} in ('MICRO', 'SMALL', 'MEDIUM', 'LARGE')`),
    check('employer_employee_count_check', sql`${t.employeeCount} >= 0`),
    // An HRD Corp employer number is only ever given by a registered employer.
    check('employer_hrd_corp_number_check', sql`${t.hrdCorpEmployerNumber} is null or ${t.hrdCorpRegistered}`),
  ],
);

export const jobRole = employersSchema.table(
  'job_role',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    employerId: uuid('employer_id')
      .notNull()
      .references(() => employer.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    /** MASCO (Malaysia Standard Classification of Occupations) code. */
    occupationCode: text('occupation_code').notNull(),
    description: text('description').notNull(),
    published: boolean('published').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('job_role_employer_idx').on(t.employerId, t.title, t.id),
    // The public listing's order and keyset: published roles by (title, id).
    index('job_role_published_title_idx').on(t.published, t.title, t.id),
    index('job_role_search_idx').using('gin', jobRoleSearchDocument(t)),
  ],
);

/** The words a text search matches; the same expression in the index and in queries, so the index is used. */
export function jobRoleSearchDocument(t: { title: unknown; occupationCode: unknown; description: unknown }) {
  return sql`to_tsvector('english', ${t.title} || ' ' || ${t.occupationCode} || ' ' || ${t.description})`;
}

export const jobRoleSkill = employersSchema.table(
  'job_role_skill',
  {
    jobRoleId: uuid('job_role_id')
      .notNull()
      .references(() => jobRole.id, { onDelete: 'cascade' }),
    /** A `Skill` code owned by the providers service. */
    skillCode: text('skill_code').notNull(),
    /** The MQF level of the credential that proves the skill. */
    minimumLevel: integer('minimum_level').notNull(),
  },
  (t) => [
    primaryKey({ name: 'job_role_skill_pkey', columns: [t.jobRoleId, t.skillCode] }),
    index('job_role_skill_skill_idx').on(t.skillCode, t.jobRoleId),
    check('job_role_skill_level_check', sql`${t.minimumLevel} between 1 and 8`),
  ],
);

/**
 * Who works where, as employers record it. A record counts (for funding, say)
 * only once the learner it names confirms it; a learner who does not recognise
 * it declines it, and it stays, marked, so neither a retry of the recording
 * nor the employer's list ever shows it as pending again.
 */
export const employment = employersSchema.table(
  'employment',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** A `Learner` id owned by the learners service. */
    learnerId: uuid('learner_id').notNull(),
    employerId: uuid('employer_id')
      .notNull()
      .references(() => employer.id, { onDelete: 'cascade' }),
    jobTitle: text('job_title').notNull(),
    since: date('since', { mode: 'string' }).notNull(),
    /** The last day; the employment lasts until that day has passed (a notice period may set it ahead). */
    until: date('until', { mode: 'string' }),
    /** The employer records employment; it counts (for funding, say) once the learner confirms it. */
    confirmedByLearner: boolean('confirmed_by_learner').notNull().default(false),
    /** When the learner said the record is not theirs: it never counts, and cannot be confirmed or ended. */
    declinedAt: timestamp('declined_at', { withTimezone: true }),
    /** The token subject that recorded it (staff or partner system); null for records that predate recordEmployment. */
    recordedBy: text('recorded_by'),
    /** The token subject that ended it: the employer's staff, its partner system or the learner. */
    endedBy: text('ended_by'),
    /** The employer's idempotency key of the recordEmployment call that made it: a retry answers this record. */
    idempotencyKey: text('idempotency_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('employment_learner_idx').on(t.learnerId, t.since),
    index('employment_employer_idx').on(t.employerId, t.learnerId),
    // Employer.employment: its records, latest first, by (since, id).
    index('employment_employer_since_idx').on(t.employerId, t.since, t.id),
    // A learner has at most one current confirmed employer: that is what `currentEmployer` answers.
    uniqueIndex('employment_one_current_key')
      .on(t.learnerId)
      .where(sql`${t.until} is null and ${t.confirmedByLearner}`),
    // One open record of a learner per employer: recording them again while it is open is a CONFLICT, not a second prompt to the learner.
    uniqueIndex('employment_one_open_per_employer_key')
      .on(t.employerId, t.learnerId)
      .where(sql`${t.until} is null and ${t.declinedAt} is null`),
    uniqueIndex('employment_idempotency_key').on(t.employerId, t.idempotencyKey),
    check('employment_dates_check', sql`${t.until} is null or ${t.until} >= ${t.since}`),
    check('employment_confirmed_or_declined_check', sql`not (${t.confirmedByLearner} and ${t.declinedAt} is not null)`),
  ],
);

/** An employer's public statement that it recognises a course ("we recognise this course"). */
export const courseEndorsement = employersSchema.table(
  'course_endorsement',
  {
    employerId: uuid('employer_id')
      .notNull()
      .references(() => employer.id, { onDelete: 'cascade' }),
    /** A `Course` id owned by the providers service. */
    courseId: uuid('course_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One endorsement per employer and course: endorsing twice is idempotent.
    primaryKey({ name: 'course_endorsement_pkey', columns: [t.employerId, t.courseId] }),
    // Course.endorsements reads by course.
    index('course_endorsement_course_idx').on(t.courseId, t.createdAt),
  ],
);

/**
 * The people (EMPLOYER tokens) and partner systems (PARTNER tokens) that act
 * for an employer: a token's employerId counts only while its subject has an
 * account here (@tauliah/core staff-gate.ts and staff-accounts.ts).
 */
export const staffAccount = staffAccountTable(employersSchema, 'EMPLOYER', () => employer.id);

export const tables = { employer, jobRole, jobRoleSkill, employment, courseEndorsement, staffAccount };
export type EmployerRow = typeof employer.$inferSelect;
export type JobRoleRow = typeof jobRole.$inferSelect;
export type JobRoleSkillRow = typeof jobRoleSkill.$inferSelect;
export type EmploymentRow = typeof employment.$inferSelect;
export type CourseEndorsementRow = typeof courseEndorsement.$inferSelect;
export type StaffAccountRow = typeof staffAccount.$inferSelect;
