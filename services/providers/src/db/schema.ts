import { outboxTable } from '@tauliah/core/outbox';
import { staffAccountTable } from '@tauliah/core/staff-table';
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

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
    /** When a platform ADMIN suspended it, and why: kept while it is suspended, cleared on reinstatement. */
    suspendedAt: timestamp('suspended_at', { withTimezone: true }),
    suspensionReason: text('suspension_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('provider_slug_key').on(t.slug),
    // One provider per MQA registration and per HRD Corp training-provider number: a second application for either is refused.
    uniqueIndex('provider_mqa_registration_key').on(t.mqaRegistration).where(sql`${t.mqaRegistration} is not null`),
    uniqueIndex('provider_hrd_corp_registration_key').on(t.hrdCorpRegistration).where(sql`${t.hrdCorpRegistration} is not null`),
    check(
      'provider_kind_check',
      sql`${t.kind} in ('ODL_UNIVERSITY', 'PUBLIC_UNIVERSITY', 'PRIVATE_UNIVERSITY', 'TRAINING_PROVIDER', 'INDUSTRY_ACADEMY')`,
    ),
    // A suspension has its time and reason together, and only while the provider is out of good standing
    // (older records may be out of good standing without either).
    check('provider_suspension_check', sql`(${t.suspendedAt} is null) = (${t.suspensionReason} is null) and (${t.suspendedAt} is null or not ${t.inGoodStanding})`),
  ],
);

/**
 * The skills taxonomy. A skill may name its entry in an external framework
 * (an ESCO URI, a MASCO code). A retired skill names its successor, which was
 * in use when it was retired: credentials proving the retired skill count for
 * the successor (skill.retired), and no course newly teaches it.
 */
export const skill = providersSchema.table(
  'skill',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull(),
    framework: text('framework'),
    frameworkReference: text('framework_reference'),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    successorCode: text('successor_code').references((): AnyPgColumn => skill.code),
  },
  (t) => [
    // The skills listing leaves retired skills out unless asked.
    index('skill_in_use_idx').on(t.code).where(sql`${t.retiredAt} is null`),
    index('skill_successor_idx').on(t.successorCode),
    check('skill_framework_check', sql`${t.framework} in ('ESCO', 'MASCO', 'ONET', 'OTHER')`),
    check('skill_framework_reference_check', sql`(${t.framework} is null) = (${t.frameworkReference} is null)`),
    check('skill_retired_check', sql`(${t.retiredAt} is null) = (${t.successorCode} is null)`),
    check('skill_successor_check', sql`${t.successorCode} <> ${t.code}`),
  ],
);

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
    /**
     * APEL.M admits a learner holding at least this share of the programme's credits through MCs.
     * Never below 50: MQA's APEL.M guidelines (2023) set half the programme's credits as the minimum.
     */
    apelThresholdPercent: integer('apel_threshold_percent').notNull().default(50),
  },
  (t) => [
    uniqueIndex('pathway_provider_code_key').on(t.providerId, t.code),
    check('pathway_programme_credits_check', sql`${t.targetProgrammeCredits} > 0`),
    check('pathway_apel_threshold_check', sql`${t.apelThresholdPercent} between 50 and 100`),
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

/**
 * The register of organisations applying to join the platform as a PROVIDER,
 * an EMPLOYER or a FUNDER, and what a platform ADMIN decided. An approved
 * PROVIDER becomes a provider row here; an approved EMPLOYER or FUNDER is
 * announced (organisation.approved) to the service that owns it. Decisions
 * are final: an application leaves PENDING once.
 */
export const organisationApplication = providersSchema.table(
  'organisation_application',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    state: text('state').notNull(),
    website: text('website'),
    /** PROVIDER: what kind of institution it is. */
    providerKind: text('provider_kind'),
    /** PROVIDER: its MQA registration and/or HRD Corp training-provider number (at least one). */
    mqaRegistration: text('mqa_registration'),
    hrdCorpTrainingProviderNumber: text('hrd_corp_training_provider_number'),
    /** EMPLOYER: its SSM company number; FUNDER: its registration (statutory body or company) number. */
    registrationNumber: text('registration_number'),
    /** EMPLOYER: what the employers service records about the company. */
    sector: text('sector'),
    size: text('size'),
    employeeCount: integer('employee_count'),
    hrdCorpEmployerNumber: text('hrd_corp_employer_number'),
    /** The first administrator: their token subject and contact, made the organisation's first ADMIN staff account. */
    administratorSubject: text('administrator_subject').notNull(),
    administratorName: text('administrator_name').notNull(),
    administratorEmail: text('administrator_email').notNull(),
    /** The `sub` of the token that applied: they, and platform administrators, read the application. */
    applicantSubject: text('applicant_subject').notNull(),
    /** The applicant's idempotency key, if they gave one: a retry with it answers this application. */
    idempotencyKey: text('idempotency_key'),
    status: text('status').notNull().default('PENDING'),
    reason: text('reason'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** The id of the organisation made on approval (a provider here; an employer or funder in its own service). */
    organisationId: uuid('organisation_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The same organisation cannot apply twice while pending: guarded here, whatever races in the code.
    uniqueIndex('organisation_application_pending_registration_key')
      .on(t.kind, t.registrationNumber)
      .where(sql`${t.status} = 'PENDING' and ${t.registrationNumber} is not null`),
    uniqueIndex('organisation_application_pending_mqa_key').on(t.mqaRegistration).where(sql`${t.status} = 'PENDING' and ${t.mqaRegistration} is not null`),
    uniqueIndex('organisation_application_pending_hrd_corp_key')
      .on(t.hrdCorpTrainingProviderNumber)
      .where(sql`${t.status} = 'PENDING' and ${t.hrdCorpTrainingProviderNumber} is not null`),
    uniqueIndex('organisation_application_idempotency_key').on(t.applicantSubject, t.idempotencyKey),
    // myOrganisationApplications: the applicant's own, newest first.
    index('organisation_application_applicant_idx').on(t.applicantSubject, t.createdAt, t.id),
    // organisationApplications: oldest first, by status, kind, both or neither; and the approved twin of an employer or funder.
    index('organisation_application_status_idx').on(t.status, t.kind, t.createdAt, t.id),
    index('organisation_application_kind_idx').on(t.kind, t.createdAt, t.id),
    index('organisation_application_created_idx').on(t.createdAt, t.id),
    index('organisation_application_registration_idx').on(t.kind, t.registrationNumber),
    check('organisation_application_kind_check', sql`${t.kind} in ('PROVIDER', 'EMPLOYER', 'FUNDER')`),
    check('organisation_application_status_check', sql`${t.status} in ('PENDING', 'APPROVED', 'REJECTED')`),
    check(
      'organisation_application_provider_check',
      sql`(${t.kind} = 'PROVIDER') = (${t.providerKind} is not null and (${t.mqaRegistration} is not null or ${t.hrdCorpTrainingProviderNumber} is not null))
        and (${t.kind} = 'PROVIDER' or (${t.mqaRegistration} is null and ${t.hrdCorpTrainingProviderNumber} is null))`,
    ),
    check('organisation_application_registration_check', sql`(${t.kind} = 'PROVIDER') = (${t.registrationNumber} is null)`),
    check(
      'organisation_application_employer_check',
      sql`(${t.kind} = 'EMPLOYER') = (${t.sector} is not null and ${t.size} is not null and ${t.employeeCount} is not null)
        and (${t.kind} = 'EMPLOYER' or (${t.sector} is null and ${t.size} is null and ${t.employeeCount} is null and ${t.hrdCorpEmployerNumber} is null))`,
    ),
    check('organisation_application_size_check', sql`${t.size} in ('MICRO', 'SMALL', 'MEDIUM', 'LARGE')`),
    check('organisation_application_employee_count_check', sql`${t.employeeCount} >= 0`),
    check(
      'organisation_application_decided_check',
      sql`(${t.status} = 'PENDING') = (${t.decidedAt} is null) and (${t.status} = 'PENDING') = (${t.decidedBy} is null) and (${t.status} = 'PENDING') = (${t.reason} is null)`,
    ),
    check('organisation_application_organisation_check', sql`(${t.status} = 'APPROVED') = (${t.organisationId} is not null)`),
  ],
);

/**
 * The events providers publishes (core's transactional outbox): organisations
 * approved to join as employers or funders, skills retired from the taxonomy.
 */
export const outbox = outboxTable(providersSchema);

/**
 * Partners' webhook endpoints: where an organisation (a provider, an employer
 * or a funder) wants the events that concern it POSTed, and which. Kept here
 * beside the register of organisations; the organisation itself may live in
 * another service (organisation_id names it there). An endpoint disabled (by
 * its organisation, or after failing for days) receives nothing new until enabled.
 */
export const webhookEndpoint = providersSchema.table(
  'webhook_endpoint',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationKind: text('organisation_kind').notNull(),
    organisationId: uuid('organisation_id').notNull(),
    url: text('url').notNull(),
    description: text('description'),
    /** The event types it receives, as partners read them (`credential.issued`). */
    eventTypes: text('event_types').array().notNull(),
    /** The subject of the token that registered it. */
    createdBy: text('created_by').notNull(),
    /** The registering call's idempotency key, if it gave one: a retry with it answers this endpoint. */
    idempotencyKey: text('idempotency_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    disabledReason: text('disabled_reason'),
    /** When the current run of failed deliveries began: null after any success. Five days of it disables the endpoint. */
    failingSince: timestamp('failing_since', { withTimezone: true }),
  },
  (t) => [
    // The organisation's list (oldest first) and the routing of each event to the organisations it concerns.
    index('webhook_endpoint_organisation_idx').on(t.organisationKind, t.organisationId, t.createdAt, t.id),
    uniqueIndex('webhook_endpoint_idempotency_key').on(t.organisationKind, t.organisationId, t.idempotencyKey),
    check('webhook_endpoint_organisation_kind_check', sql`${t.organisationKind} in ('PROVIDER', 'EMPLOYER', 'FUNDER')`),
    check('webhook_endpoint_event_types_check', sql`cardinality(${t.eventTypes}) > 0`),
    check('webhook_endpoint_disabled_check', sql`(${t.disabledAt} is null) = (${t.disabledReason} is null)`),
  ],
);

/**
 * An endpoint's signing secrets, sealed (AES-256-GCM under the providers'
 * WEBHOOK_SECRET_ENCRYPTION_KEY, bound to the endpoint): the current one
 * (retires_at null) and, after a rotation, its predecessor until it retires.
 */
export const webhookSecret = providersSchema.table(
  'webhook_secret',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoint.id, { onDelete: 'cascade' }),
    sealedSecret: text('sealed_secret').notNull(),
    /** The rotating call's idempotency key, if it gave one: a retry with it answers this secret. */
    idempotencyKey: text('idempotency_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    retiresAt: timestamp('retires_at', { withTimezone: true }),
  },
  (t) => [
    index('webhook_secret_endpoint_idx').on(t.endpointId, t.createdAt),
    uniqueIndex('webhook_secret_idempotency_key').on(t.endpointId, t.idempotencyKey),
    // One current secret per endpoint, whatever races.
    uniqueIndex('webhook_secret_current_key').on(t.endpointId).where(sql`${t.retiresAt} is null`),
  ],
);

/**
 * One event for one endpoint, and where its delivery stands: the queue the
 * delivery loop claims from and the record partners read. The body is the
 * exact JSON signed and sent; the event's id is its `webhook-id`, the same on
 * every attempt and redelivery.
 */
export const webhookDelivery = providersSchema.table(
  'webhook_delivery',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoint.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    body: text('body').notNull(),
    status: text('status').notNull().default('PENDING'),
    /** Attempts made, in all. */
    attempts: integer('attempts').notNull().default(0),
    /** Attempts made since it was last queued (an event, a redelivery, a replay): its place in the retry schedule. */
    scheduledAttempts: integer('scheduled_attempts').notNull().default(0),
    /** When the first attempt since it was last queued was made. */
    scheduledSince: timestamp('scheduled_since', { withTimezone: true }),
    /** The pause before the latest attempt (decorrelated jitter grows from it). */
    lastDelayMs: integer('last_delay_ms').notNull().default(0),
    /** While PENDING: when it is due. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** While an attempt is in hand: until when the instance making it holds it (past that, another may claim it). */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    lastStatusCode: integer('last_status_code'),
    lastErrorKind: text('last_error_kind'),
    lastError: text('last_error'),
    lastLatencyMs: integer('last_latency_ms'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    // A redelivered event (the broker's at-least-once) makes no second delivery.
    uniqueIndex('webhook_delivery_event_key').on(t.endpointId, t.eventId),
    // The delivery loop's question: what is due now.
    index('webhook_delivery_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'PENDING'`),
    // An endpoint's deliveries, newest first, all or by status.
    index('webhook_delivery_endpoint_idx').on(t.endpointId, t.createdAt, t.id),
    index('webhook_delivery_endpoint_status_idx').on(t.endpointId, t.status, t.createdAt, t.id),
    check('webhook_delivery_status_check', sql`${t.status} in ('PENDING', 'DELIVERED', 'FAILED')`),
    check('webhook_delivery_due_check', sql`(${t.status} = 'PENDING') = (${t.nextAttemptAt} is not null)`),
    check('webhook_delivery_delivered_check', sql`${t.status} <> 'DELIVERED' or ${t.deliveredAt} is not null`),
    check(
      'webhook_delivery_error_kind_check',
      sql`${t.lastErrorKind} in ('TIMEOUT', 'CONNECTION', 'DNS', 'FORBIDDEN_DESTINATION', 'HTTP_STATUS')`,
    ),
  ],
);

/** Every attempt at a delivery: when, the receiver's answer, how long it took, and why it failed. */
export const webhookAttempt = providersSchema.table(
  'webhook_attempt',
  {
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDelivery.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    statusCode: integer('status_code'),
    latencyMs: integer('latency_ms').notNull(),
    errorKind: text('error_kind'),
    error: text('error'),
  },
  (t) => [
    primaryKey({ columns: [t.deliveryId, t.attempt] }),
    check('webhook_attempt_error_kind_check', sql`${t.errorKind} in ('TIMEOUT', 'CONNECTION', 'DNS', 'FORBIDDEN_DESTINATION', 'HTTP_STATUS')`),
  ],
);

/**
 * The consents learners granted employers, as the learners service announces
 * them (consent.granted, consent.revoked): credential events go to the
 * employers a learner consented to. A revocation is final for its consent,
 * whichever of the two events arrives first.
 */
export const employerConsent = providersSchema.table(
  'employer_consent',
  {
    consentId: uuid('consent_id').primaryKey(),
    learnerId: uuid('learner_id').notNull(),
    employerId: uuid('employer_id').notNull(),
    /** Null while only the revocation has arrived. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('employer_consent_learner_idx').on(t.learnerId).where(sql`${t.revokedAt} is null`)],
);

/** One course's credits counted in an APEL.M application, as the learner's progress read them when they applied. */
export interface ApelMEvidenceEntry {
  /** The credential that earned them: the learner's own, active when they applied. */
  credentialId: string;
  /** The pathway's course the credits count for. */
  courseId: string;
  credits: number;
  /** Another provider's course recognised as `courseId`, when that is how it was earned (the credential is for this one). */
  recognisedCourseId: string | null;
}

/**
 * A learner's application for APEL.M entry to a pathway's target programme,
 * and the pathway provider's decision. The evidence is a snapshot taken when
 * the learner applied (their progress, read through the graph as them): the
 * credentials counted, the credits earned, and the rule they met then. An
 * application leaves PENDING once, to ADMITTED (with the credits
 * transferred) or REFUSED (with a reason); its history says who did what when.
 */
export const apelMApplication = providersSchema.table(
  'apel_m_application',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    pathwayId: uuid('pathway_id')
      .notNull()
      .references(() => pathway.id),
    /** The pathway's provider, which decides: kept with the application so its staff's checks and lists need no join. */
    providerId: uuid('provider_id')
      .notNull()
      .references(() => provider.id),
    learnerId: uuid('learner_id').notNull(),
    status: text('status').notNull().default('PENDING'),
    /** The programme applied for, its credits and the pathway's threshold, as they stood when the learner applied. */
    targetProgramme: text('target_programme').notNull(),
    programmeCredits: integer('programme_credits').notNull(),
    thresholdPercent: integer('threshold_percent').notNull(),
    creditsNeeded: integer('credits_needed').notNull(),
    creditsEarned: integer('credits_earned').notNull(),
    evidence: jsonb('evidence').$type<ApelMEvidenceEntry[]>().notNull(),
    /** ADMITTED: the credits of the programme the learner is exempted from. */
    creditsTransferred: integer('credits_transferred'),
    reason: text('reason'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** The learner's idempotency key, if they gave one: a retry with it answers this application. */
    idempotencyKey: text('idempotency_key'),
    /** The deciding call's idempotency key, if it gave one: a retry with it answers this decision. */
    decisionIdempotencyKey: text('decision_idempotency_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One application per learner and pathway that is pending or admitted, whatever races in the code.
    uniqueIndex('apel_m_application_open_key').on(t.learnerId, t.pathwayId).where(sql`${t.status} in ('PENDING', 'ADMITTED')`),
    uniqueIndex('apel_m_application_idempotency_key').on(t.learnerId, t.idempotencyKey),
    uniqueIndex('apel_m_application_decision_idempotency_key').on(t.providerId, t.decisionIdempotencyKey),
    // Learner.apelMApplications.
    index('apel_m_application_learner_idx').on(t.learnerId, t.createdAt, t.id),
    // Pathway.apelMApplications: oldest first, all or by status.
    index('apel_m_application_pathway_idx').on(t.pathwayId, t.createdAt, t.id),
    index('apel_m_application_pathway_status_idx').on(t.pathwayId, t.status, t.createdAt, t.id),
    index('apel_m_application_provider_idx').on(t.providerId),
    check('apel_m_application_status_check', sql`${t.status} in ('PENDING', 'ADMITTED', 'REFUSED')`),
    check('apel_m_application_threshold_check', sql`${t.thresholdPercent} between 50 and 100`),
    check('apel_m_application_programme_credits_check', sql`${t.programmeCredits} > 0`),
    // The learner met the rule when they applied: needed = ceil(threshold% of the programme), earned at least that.
    check(
      'apel_m_application_eligible_check',
      sql`${t.creditsNeeded} * 100 >= ${t.thresholdPercent} * ${t.programmeCredits} and (${t.creditsNeeded} - 1) * 100 < ${t.thresholdPercent} * ${t.programmeCredits} and ${t.creditsEarned} >= ${t.creditsNeeded}`,
    ),
    check(
      'apel_m_application_decided_check',
      sql`(${t.status} = 'PENDING') = (${t.decidedAt} is null) and (${t.status} = 'PENDING') = (${t.decidedBy} is null) and (${t.status} <> 'REFUSED' or ${t.reason} is not null)`,
    ),
    check(
      'apel_m_application_credits_transferred_check',
      sql`(${t.status} = 'ADMITTED') = (${t.creditsTransferred} is not null)
        and (${t.creditsTransferred} is null or ${t.creditsTransferred} between ${t.creditsNeeded} and least(${t.creditsEarned}, ${t.programmeCredits}))`,
    ),
  ],
);

/** Each change of an APEL.M application's state (submitted, admitted, refused): who made it, in which role, when. */
export const apelMApplicationEvent = providersSchema.table(
  'apel_m_application_event',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => apelMApplication.id, { onDelete: 'cascade' }),
    action: text('action').notNull(),
    /** The `sub` of the token that acted, and its role. */
    actorSubject: text('actor_subject').notNull(),
    actorRole: text('actor_role').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('apel_m_application_event_application_idx').on(t.applicationId, t.at, t.id),
    check('apel_m_application_event_action_check', sql`${t.action} in ('SUBMITTED', 'ADMITTED', 'REFUSED')`),
    check('apel_m_application_event_actor_role_check', sql`${t.actorRole} in ('LEARNER', 'PROVIDER_STAFF', 'PARTNER')`),
  ],
);

export const tables = {
  provider,
  skill,
  course,
  courseSkill,
  pathway,
  pathwayStage,
  stageCourse,
  creditRecognition,
  staffAccount,
  organisationApplication,
  outbox,
  webhookEndpoint,
  webhookSecret,
  webhookDelivery,
  webhookAttempt,
  employerConsent,
  apelMApplication,
  apelMApplicationEvent,
};
export type ProviderRow = typeof provider.$inferSelect;
export type SkillRow = typeof skill.$inferSelect;
export type CourseRow = typeof course.$inferSelect;
export type PathwayRow = typeof pathway.$inferSelect;
export type PathwayStageRow = typeof pathwayStage.$inferSelect;
export type CreditRecognitionRow = typeof creditRecognition.$inferSelect;
export type OrganisationApplicationRow = typeof organisationApplication.$inferSelect;
export type WebhookEndpointRow = typeof webhookEndpoint.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDelivery.$inferSelect;
export type WebhookAttemptRow = typeof webhookAttempt.$inferSelect;
export type WebhookSecretRow = typeof webhookSecret.$inferSelect;
export type ApelMApplicationRow = typeof apelMApplication.$inferSelect;
export type ApelMApplicationEventRow = typeof apelMApplicationEvent.$inferSelect;
