// The table helper alone: drizzle-kit loads this file without the rest of core.
import { outboxTable } from '@tauliah/core/outbox';
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const learnersSchema = pgSchema('learners');

export const learner = learnersSchema.table(
  'learner',
  {
    id: uuid('id').primaryKey(),
    fullName: text('full_name').notNull(),
    email: text('email').notNull(),
    phone: text('phone'),
    dateOfBirth: date('date_of_birth', { mode: 'string' }).notNull(),
    citizenship: text('citizenship').notNull(),
    /** HMAC of the NRIC under a server key: lets us find duplicates without keeping the number. */
    nricHash: text('nric_hash'),
    /**
     * The NRIC's last four digits, for its masked form only, sealed with
     * AES-256-GCM under the learners' PII_ENCRYPTION_KEY and bound to the
     * learner's id (identity/nric.ts): a dump holds no digit of the NRIC beyond
     * what the date of birth already says.
     */
    nricLast4Sealed: text('nric_last4_sealed'),
    /**
     * Before nric_last4_sealed, the last four digits in clear. Nothing writes it
     * any more: the service seals what an older release left here, and clears
     * it, when it starts (sealClearNrics); a later release drops the column.
     */
    nricLast4: text('nric_last4'),
    /**
     * A non-citizen's passport: an HMAC under PII_HASH_KEY of the issuing
     * state and the number (identity/documents.ts), never the number itself.
     */
    passportHash: text('passport_hash'),
    /** The state that issued the passport, ISO 3166-1 alpha-3 as printed on it (MYS, IDN, GBR). */
    nationality: text('nationality'),
    state: text('state'),
    /**
     * The learner's own choice to let employers find them by their state in
     * talent search; off until they turn it on. Only while it is on do the
     * residence events carry the state (stateForTalentSearch, in residence/announce.ts).
     */
    shareStateInTalentSearch: boolean('share_state_in_talent_search').notNull().default(false),
    /**
     * The visibility of credentials issued to this learner from now on, their
     * own choice: PRIVATE until they choose. Issuers never choose it; the
     * preferences event carries it to credentials (preferences/announce.ts).
     */
    credentialVisibility: text('credential_visibility').notNull().default('PRIVATE'),
    /** Who created this record: the provider whose enrolment registered the learner (none when they registered themselves). What a provider may read follows its enrolments, never this. */
    registeredByProviderId: uuid('registered_by_provider_id'),
    registeredBySubject: text('registered_by_subject').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    /**
     * A person is their identity document and date of birth together: an
     * enrolment that gives both links to the learner they describe, and one
     * that gets either wrong is told nothing (enrolment/enrol.ts). The e-mail
     * is a contact detail, not an identity, and is not unique: families share
     * one, and a unique e-mail would tell anyone enrolling whether it is taken.
     */
    uniqueIndex('learner_nric_key').on(t.nricHash, t.dateOfBirth),
    uniqueIndex('learner_passport_key').on(t.passportHash, t.dateOfBirth),
    check('learner_citizenship_check', sql`${t.citizenship} in ('MALAYSIAN', 'PERMANENT_RESIDENT', 'NON_CITIZEN')`),
    check('learner_passport_check', sql`(${t.passportHash} is null) = (${t.nationality} is null)`),
    check('learner_credential_visibility_check', sql`${t.credentialVisibility} in ('PRIVATE', 'EMPLOYERS', 'PUBLIC')`),
  ],
);

export const consentGrant = learnersSchema.table(
  'consent_grant',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learner.id, { onDelete: 'cascade' }),
    granteeKind: text('grantee_kind').notNull(),
    granteeId: uuid('grantee_id').notNull(),
    scopes: text('scopes').array().notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    index('consent_grant_learner_idx').on(t.learnerId),
    index('consent_grant_grantee_idx').on(t.granteeKind, t.granteeId, t.learnerId),
    check('consent_grant_kind_check', sql`${t.granteeKind} in ('EMPLOYER', 'FUNDER', 'PROVIDER')`),
    check('consent_grant_scopes_check', sql`cardinality(${t.scopes}) > 0`),
  ],
);

/**
 * A learner's enrolment with a provider, under the provider's own student
 * number. A learner may be enrolled with many providers; what a provider (and
 * its partner systems) may read of a learner follows its ACTIVE enrolment
 * (policy.ts). Ended by the learner or the provider; a provider may enrol the
 * learner again later, as a new enrolment.
 */
export const enrolment = learnersSchema.table(
  'enrolment',
  {
    id: uuid('id').primaryKey(),
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learner.id, { onDelete: 'cascade' }),
    providerId: uuid('provider_id').notNull(),
    /** The provider's own number for the student, trimmed and in upper case (enrolment/student-number.ts). */
    studentNumber: text('student_number').notNull(),
    status: text('status').notNull().default('ACTIVE'),
    enrolledAt: timestamp('enrolled_at', { withTimezone: true }).notNull().defaultNow(),
    enrolledBySubject: text('enrolled_by_subject').notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedBySubject: text('ended_by_subject'),
    /** The idempotency key of the request that made it, if it had one (enrolment_request holds its answer). */
    idempotencyKey: text('idempotency_key'),
  },
  (t) => [
    uniqueIndex('enrolment_active_key').on(t.learnerId, t.providerId).where(sql`${t.status} = 'ACTIVE'`),
    uniqueIndex('enrolment_student_number_key').on(t.providerId, t.studentNumber).where(sql`${t.status} = 'ACTIVE'`),
    index('enrolment_learner_idx').on(t.learnerId),
    check('enrolment_status_check', sql`${t.status} in ('ACTIVE', 'ENDED')`),
    check('enrolment_ended_check', sql`(${t.status} = 'ENDED') = (${t.endedAt} is not null and ${t.endedBySubject} is not null)`),
  ],
);

/**
 * The answer to an enrolment request made with an idempotency key, per
 * provider: a retry with the key answers it again and enrols nobody twice.
 */
export const enrolmentRequest = learnersSchema.table(
  'enrolment_request',
  {
    providerId: uuid('provider_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** A keyed hash of the rows asked for (they hold identity numbers), so the key reused for other rows is a CONFLICT. */
    requestHash: text('request_hash').notNull(),
    results: jsonb('results').$type<EnrolmentRowOutcome[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.idempotencyKey] })],
);

/** What one row of an enrolment request came to: an enrolment (of a new or an existing learner) or a coded refusal. */
export type EnrolmentRowOutcome =
  | { outcome: 'ENROLLED' | 'LINKED'; learnerId: string; enrolmentId: string; code: null; message: null }
  | { outcome: null; learnerId: null; enrolmentId: null; code: 'BAD_USER_INPUT' | 'CONFLICT'; message: string };

/**
 * A learner's choice to be found by employers with a short headline of their
 * own (text, region, skills shown): a row while they are opted in, none
 * otherwise (off until they choose; clearing it deletes what they wrote).
 * Employers read it only while it exists (policy.ts, seesTalentHeadline).
 */
export const talentHeadline = learnersSchema.table(
  'talent_headline',
  {
    learnerId: uuid('learner_id')
      .primaryKey()
      .references(() => learner.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    /** A Malaysian state or federal territory the learner chose to show, or none: not necessarily their state on record. */
    region: text('region'),
    /** Skill codes the learner chose to show (up to 10): their words, not proof; talent search shows the proof. */
    skills: text('skills').array().notNull().default(sql`'{}'::text[]`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('talent_headline_text_check', sql`char_length(${t.text}) between 1 and 140`),
    check('talent_headline_skills_check', sql`cardinality(${t.skills}) <= 10`),
  ],
);

/**
 * An employer's request to a learner found in talent search: a message about
 * one of its job roles, asking for named consent scopes. The learner accepts
 * (which grants that consent, consent_id) or declines; unanswered, it lapses
 * at expires_at (read as EXPIRED without a write; stored as EXPIRED once the
 * employer asks again). A decline keeps the employer from asking that learner
 * again for 90 days (contact/request.ts).
 */
export const contactRequest = learnersSchema.table(
  'contact_request',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => learner.id, { onDelete: 'cascade' }),
    employerId: uuid('employer_id').notNull(),
    /** The employers service's job role, one of the employer's published roles when asked (read through the graph). */
    jobRoleId: uuid('job_role_id').notNull(),
    message: text('message').notNull(),
    scopes: text('scopes').array().notNull(),
    status: text('status').notNull().default('PENDING'),
    requestedBySubject: text('requested_by_subject').notNull(),
    /** The idempotency key the employer sent it with, if any: a retry with it answers this request. */
    idempotencyKey: text('idempotency_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Until when the learner may answer. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    /** The consent accepting it granted. */
    consentId: uuid('consent_id').references(() => consentGrant.id),
  },
  (t) => [
    // One request waiting per learner and employer: asking again waits for the answer.
    uniqueIndex('contact_request_pending_key').on(t.learnerId, t.employerId).where(sql`${t.status} = 'PENDING'`),
    uniqueIndex('contact_request_idempotency_key').on(t.employerId, t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
    // The employer's rolling 24-hour count and its list, newest first; and its list by status.
    index('contact_request_employer_idx').on(t.employerId, t.createdAt, t.id),
    index('contact_request_employer_status_idx').on(t.employerId, t.status, t.createdAt, t.id),
    // The learner's list, and whether a learner declined an employer within 90 days.
    index('contact_request_learner_idx').on(t.learnerId, t.employerId, t.status, t.answeredAt),
    check('contact_request_status_check', sql`${t.status} in ('PENDING', 'ACCEPTED', 'DECLINED', 'EXPIRED')`),
    check('contact_request_answered_check', sql`(${t.status} in ('ACCEPTED', 'DECLINED')) = (${t.answeredAt} is not null)`),
    check('contact_request_consent_check', sql`(${t.status} = 'ACCEPTED') = (${t.consentId} is not null)`),
    check('contact_request_message_check', sql`char_length(${t.message}) between 1 and 1000`),
    // Employers may be asked to be granted these scopes only (policy.ts, EMPLOYER_REQUESTABLE_SCOPES).
    check('contact_request_scopes_check', sql`cardinality(${t.scopes}) > 0 and ${t.scopes} <@ array['PROFILE', 'CONTACT', 'CREDENTIALS']::text[]`),
  ],
);

/**
 * The skills a learner says they are interested in, in their order
 * (preferences/interests.ts checks them against the taxonomy): what guides
 * their recommendations when they name no goal. A row while they have any;
 * seen by them and administrators only.
 */
export const learnerInterest = learnersSchema.table(
  'learner_interest',
  {
    learnerId: uuid('learner_id')
      .primaryKey()
      .references(() => learner.id, { onDelete: 'cascade' }),
    skillCodes: text('skill_codes').array().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('learner_interest_skill_codes_check', sql`cardinality(${t.skillCodes}) between 1 and 10`)],
);

/*
 * Guidance: which courses learners went on to complete after which, learned
 * from the credentials service's events (guidance/ledger.ts). Ids only: no
 * name, grade or date of birth; what a learner is recommended is counted over
 * other learners, never shown one by one.
 */

/**
 * Every credential the guidance heard of, by id: what makes an event applied
 * twice (a redelivery) or out of order change nothing. HELD counts towards
 * the learner's held courses; REVOKED and REPLACED (by a renewal) do not. A
 * revocation heard before its issuance is kept as REVOKED, so the late
 * issuance is ignored. achieved_at is when the course was first achieved: the
 * issuance, or for a renewal the credential it replaced.
 */
export const guidanceCredential = learnersSchema.table(
  'guidance_credential',
  {
    credentialId: uuid('credential_id').primaryKey(),
    learnerId: uuid('learner_id').notNull(),
    courseId: uuid('course_id').notNull(),
    status: text('status').notNull(),
    achievedAt: timestamp('achieved_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('guidance_credential_learner_idx').on(t.learnerId, t.courseId),
    check('guidance_credential_status_check', sql`${t.status} in ('HELD', 'REVOKED', 'REPLACED')`),
  ],
);

/** The courses each learner holds a HELD credential for, since the first was achieved: the order "took A, then B" is read from. */
export const heldCourse = learnersSchema.table(
  'held_course',
  {
    learnerId: uuid('learner_id').notNull(),
    courseId: uuid('course_id').notNull(),
    since: timestamp('since', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.learnerId, t.courseId] })],
);

/** How many learners hold each course now: the base "N of the learners who hold A" is counted against. */
export const courseHolders = learnersSchema.table(
  'course_holders',
  {
    courseId: uuid('course_id').primaryKey(),
    learners: integer('learners').notNull(),
  },
  (t) => [check('course_holders_learners_check', sql`${t.learners} >= 0`)],
);

/**
 * How many learners hold course_id and then achieved next_course_id (later,
 * or at the same moment with the greater id): "took A, then completed B".
 * Rows at zero are deleted.
 */
export const courseSequence = learnersSchema.table(
  'course_sequence',
  {
    courseId: uuid('course_id').notNull(),
    nextCourseId: uuid('next_course_id').notNull(),
    learners: integer('learners').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.courseId, t.nextCourseId] }),
    // The most-taken next courses of a course, read a few at a time per held course (guidance/similar.ts).
    index('course_sequence_top_idx').on(t.courseId, t.learners.desc(), t.nextCourseId),
    check('course_sequence_learners_check', sql`${t.learners} > 0`),
  ],
);

/** Events about learners for other services and partners (residence, preferences, enrolment, consent), written in the transaction of the change. */
export const outbox = outboxTable(learnersSchema);

export const tables = { learner, consentGrant, enrolment, enrolmentRequest, talentHeadline, contactRequest, learnerInterest, guidanceCredential, heldCourse, courseHolders, courseSequence, outbox };
export type LearnerRow = typeof learner.$inferSelect;
export type ConsentGrantRow = typeof consentGrant.$inferSelect;
export type EnrolmentRow = typeof enrolment.$inferSelect;
export type TalentHeadlineRow = typeof talentHeadline.$inferSelect;
export type ContactRequestRow = typeof contactRequest.$inferSelect;
export type LearnerInterestRow = typeof learnerInterest.$inferSelect;
