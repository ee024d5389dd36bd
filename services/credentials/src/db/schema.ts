import { outboxTable } from '@tauliah/core/outbox';
import { getTableColumns, sql } from 'drizzle-orm';
import { bigint, boolean, check, customType, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, unique, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

export const credentialsSchema = pgSchema('credentials');

/** A pathway as providers.pathway.defined carries it (packages/core contracts), without its event's bookkeeping. */
export interface PathwayCopyDefinition {
  pathwayId: string;
  providerId: string;
  code: string;
  title: string;
  targetProgramme: string;
  targetProgrammeCredits: number;
  apelThresholdPercent: number;
  stages: Array<{
    position: number;
    title: string;
    exitAward: string;
    awardType: 'Certificate' | 'Diploma';
    exitJobRoleTitle: string | null;
    minimumCredits: number | null;
    requiredCourseIds: string[];
    electiveCourseIds: string[];
  }>;
  recognitions: Array<{ courseId: string; recognisedCourseId: string; creditsGranted: number }>;
}

/** Stored statuses only: EXPIRED is derived from expires_at when read, so it never needs a job to flip it. */
export const STORED_STATUSES = ['ACTIVE', 'SUSPENDED', 'REVOKED'] as const;
export const VISIBILITIES = ['PRIVATE', 'EMPLOYERS', 'PUBLIC'] as const;

export const credential = credentialsSchema.table(
  'credential',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    holderId: uuid('holder_id').notNull(),
    /** The course it was earned on; null for a pathway's exit award (award_pathway_id), which no course gives. */
    courseId: uuid('course_id'),
    issuerId: uuid('issuer_id').notNull(),
    /**
     * For an exit award (awards/): the pathway and stage whose completion it
     * certifies, issued by the pathway's provider. One per learner, pathway
     * and stage, whatever its status (credential_one_award_idx).
     */
    awardPathwayId: uuid('award_pathway_id'),
    awardStagePosition: integer('award_stage_position'),
    /**
     * Set while an award is SUSPENDED because its stage stopped being complete
     * (not by its issuer's hand): such an award is reinstated when the stage
     * completes again, and only then.
     */
    awardIncompleteSince: timestamp('award_incomplete_since', { withTimezone: true }),
    // The achievement as it stood at issuance: a later change to the course does not rewrite a credential.
    title: text('title').notNull(),
    credits: integer('credits'),
    mqfLevel: integer('mqf_level'),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    status: text('status', { enum: STORED_STATUSES }).notNull().default('ACTIVE'),
    statusReason: text('status_reason'),
    visibility: text('visibility', { enum: VISIBILITIES }).notNull().default('PRIVATE'),
    /** The credential this one renewed: a renewal replaces, it does not add skill. */
    renewalOf: uuid('renewal_of').references((): AnyPgColumn => credential.id),
    /** Set when a renewal replaced this credential: it then no longer counts as a held achievement. */
    replacedBy: uuid('replaced_by'),
    /** The learner as the signed document names them: `urn:uuid:<learner id>`, never the NRIC. */
    subjectId: text('subject_id'),
    statusListId: uuid('status_list_id').references((): AnyPgColumn => statusList.id),
    statusIndex: integer('status_index'),
    /** The OB 3.0 credential as issued, before securing; the signed forms are made from it and never change after. */
    document: jsonb('document').$type<Record<string, unknown>>(),
    documentJwt: text('document_jwt'),
    /** Signed lazily, on first request (Data Integrity costs ~5-9 ms per credential). */
    documentDataIntegrity: jsonb('document_data_integrity').$type<Record<string, unknown>>(),
    /**
     * The holder's name as they published it by making this credential PUBLIC
     * (read through the graph as them, then): shown on its public page. Set
     * only by the holder's act, erased when it stops being PUBLIC; a credential
     * issued PUBLIC by the learner's preference has none until they set it.
     */
    publicHolderName: text('public_holder_name'),
    /**
     * The issuer's own student number for the holder, when it issued by one:
     * kept as it was at issuance, for the issuer to reconcile with its records.
     */
    studentNumber: text('student_number'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Learner.credentials reads a holder's credentials in issue order.
    index('credential_holder_idx').on(t.holderId, t.issuedAt),
    index('credential_course_idx').on(t.courseId),
    // issuedCredentials: an issuer's credentials newest first, whole or narrowed to a course or a stored status.
    index('credential_issuer_idx').on(t.issuerId, t.issuedAt, t.id),
    index('credential_issuer_course_idx').on(t.issuerId, t.courseId, t.issuedAt, t.id),
    index('credential_issuer_status_idx').on(t.issuerId, t.status, t.issuedAt, t.id),
    // One credential per learner and course that still counts: issuing it again is refused, renewal replaces it.
    uniqueIndex('credential_one_per_course_idx')
      .on(t.holderId, t.courseId)
      .where(sql`${t.status} in ('ACTIVE', 'SUSPENDED') and ${t.replacedBy} is null`),
    // A credential is renewed at most once: a second renewal of it is refused by the database.
    uniqueIndex('credential_renewal_of_idx').on(t.renewalOf),
    // An exit award is issued once per learner, pathway and stage, however many events race to issue it.
    uniqueIndex('credential_one_award_idx')
      .on(t.holderId, t.awardPathwayId, t.awardStagePosition)
      .where(sql`${t.awardPathwayId} is not null`),
    // A credential is earned on a course, or is a stage's exit award: exactly one of the two.
    check('credential_course_or_award_check', sql`(${t.courseId} is null) = (${t.awardPathwayId} is not null) and (${t.awardPathwayId} is null) = (${t.awardStagePosition} is null)`),
    unique('credential_status_slot_unique').on(t.statusListId, t.statusIndex),
    check('credential_status_check', sql`${t.status} in ('ACTIVE', 'SUSPENDED', 'REVOKED')`),
    check('credential_visibility_check', sql`${t.visibility} in ('PRIVATE', 'EMPLOYERS', 'PUBLIC')`),
    check('credential_credits_check', sql`${t.credits} is null or ${t.credits} >= 0`),
    check('credential_mqf_level_check', sql`${t.mqfLevel} is null or ${t.mqfLevel} between 1 and 8`),
    check('credential_expiry_check', sql`${t.expiresAt} is null or ${t.expiresAt} > ${t.issuedAt}`),
  ],
);

/** The skills a credential verifies, one row each, so "who holds skill X" is an index lookup. */
export const credentialSkill = credentialsSchema.table(
  'credential_skill',
  {
    credentialId: uuid('credential_id')
      .notNull()
      .references(() => credential.id, { onDelete: 'cascade' }),
    skillCode: text('skill_code').notNull(),
  },
  (t) => [primaryKey({ columns: [t.credentialId, t.skillCode] }), index('credential_skill_code_idx').on(t.skillCode, t.credentialId)],
);

/**
 * The talent search index: one row per skill of each credential that may count
 * for employers (ACTIVE, not replaced by a renewal, shared with EMPLOYERS or
 * PUBLIC). Rebuilt for a holder in the same transaction as every write to
 * their credentials (talent/proofs.ts). Expiry and issuer standing change
 * without a write, so searches check them when they run.
 */
export const talentProof = credentialsSchema.table(
  'talent_proof',
  {
    skillCode: text('skill_code').notNull(),
    /** The MQF level of the proving credential; 0 for a credential without one. */
    level: integer('level').notNull(),
    holderId: uuid('holder_id').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    issuerId: uuid('issuer_id').notNull(),
    credentialId: uuid('credential_id')
      .notNull()
      .references(() => credential.id, { onDelete: 'cascade' }),
    /** The state the holder lets employers find them by (learner_residence); null when they do not share one. */
    holderState: text('holder_state'),
  },
  (t) => [
    primaryKey({ name: 'talent_proof_pkey', columns: [t.credentialId, t.skillCode] }),
    // A search reads one range per requested skill (skill, level >= minLevel) and answers from the index alone.
    index('talent_proof_search_idx').on(t.skillCode, t.level, t.holderId, t.issuedAt, t.expiresAt, t.issuerId, t.credentialId),
    // The state filter narrows each skill range to one state first.
    index('talent_proof_state_idx').on(t.skillCode, t.holderState, t.level, t.holderId, t.issuedAt),
    // Rebuilding one holder's proofs.
    index('talent_proof_holder_idx').on(t.holderId),
  ],
);

/**
 * Every skill each learner proves in talent_proof, as one array under a GIN
 * index: an ALL search first intersects the posting lists of its skills here
 * (a few dozen learners instead of every holder of each skill), then checks
 * level, expiry and standing on those learners' proofs. A superset by design:
 * expiry and standing are checked on the proofs. Rebuilt with the proofs.
 */
export const talentHolder = credentialsSchema.table(
  'talent_holder',
  {
    holderId: uuid('holder_id').primaryKey(),
    skills: text('skills').array().notNull(),
  },
  (t) => [index('talent_holder_skills_idx').using('gin', t.skills)],
);

/**
 * The state each learner lets employers find them by in talent search, kept
 * from the learners service's events (learnerResidenceEvent): talent search
 * filters on it through talent_proof.holder_state, which is updated with it
 * in one transaction, and has no other source. A row means the learner is
 * known from events (state null: they do not share one, or gave none); a
 * learner without a row is searched under no state.
 */
export const learnerResidence = credentialsSchema.table('learner_residence', {
  learnerId: uuid('learner_id').primaryKey(),
  state: text('state'),
  /** The version of the event it came from: an older or repeated event changes nothing. */
  version: bigint('version', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The visibility each learner chose for credentials issued to them, kept from
 * the learners service's events (learnerPreferencesEvent): issuance takes it,
 * never the issuer's wish. A learner without a row gets PRIVATE.
 */
export const learnerPreference = credentialsSchema.table('learner_preference', {
  learnerId: uuid('learner_id').primaryKey(),
  credentialVisibility: text('credential_visibility', { enum: ['PRIVATE', 'EMPLOYERS', 'PUBLIC'] }).notNull(),
  /** The version of the event it came from: an older or repeated event changes nothing. */
  version: bigint('version', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The providers each learner is enrolled with, kept from the learners
 * service's events (learnerEnrolledEvent, learnerEnrolmentEndedEvent): a
 * provider reads a learner's pathway progress without their consent only
 * while enrolled with it. An ended enrolment keeps its row, marked ended with
 * the version of the event that ended it: the two events reach separate
 * consumers, so a late "enrolled" older than the ending must not revive it.
 */
export const learnerEnrolment = credentialsSchema.table(
  'learner_enrolment',
  {
    learnerId: uuid('learner_id').notNull(),
    providerId: uuid('provider_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** The version of the last event applied (0: filed by a seed); an older or repeated event changes nothing. */
    version: bigint('version', { mode: 'number' }).notNull().default(0),
    /** Set while the enrolment has ended; an "enrolled" event newer than the ending clears it. */
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.learnerId, t.providerId] }), index('learner_enrolment_provider_idx').on(t.providerId)],
);

/**
 * The skills of the taxonomy a platform ADMIN retired, each with the skill it
 * now counts as, kept from the providers service's events (skillRetiredEvent).
 * Credentials keep the codes they were issued with (the signed documents name
 * them); talent search and skills gaps read this small table when they expand
 * the codes they match, so no proof is ever rewritten. Any code is recorded,
 * known here or not: a credential may name it later.
 */
export const skillSuccession = credentialsSchema.table(
  'skill_succession',
  {
    /** The retired skill's code. */
    code: text('code').primaryKey(),
    /** The skill the latest event named in its place. */
    successorCode: text('successor_code').notNull(),
    /**
     * Where the chain of successors ends (A for B, B for C: C), the skill in
     * use it counts as; the code itself while its chain runs into a loop (bad
     * data), so a loop merges nothing.
     */
    currentCode: text('current_code').notNull(),
    /** The version of the event it came from: an older or repeated event changes nothing. */
    version: bigint('version', { mode: 'number' }).notNull(),
    retiredAt: timestamp('retired_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Every retired code that counts as a given skill in use, for expanding a search or a requirement.
  (t) => [index('skill_succession_current_idx').on(t.currentCode, t.code)],
);

/**
 * The pathways providers defined, each as last announced (providers.pathway.defined,
 * kept by events/pathway-defined.ts): exit awards are settled from these in
 * event consumers, which have no viewer to read a pathway through the graph.
 * `definition` is the event's payload, read as a PathwayDefinition.
 */
export const pathwayCopy = credentialsSchema.table(
  'pathway_copy',
  {
    pathwayId: uuid('pathway_id').primaryKey(),
    providerId: uuid('provider_id').notNull(),
    definition: jsonb('definition').$type<PathwayCopyDefinition>().notNull(),
    /** The version of the event it came from (0: filed by the seed): an older or repeated event changes nothing. */
    version: bigint('version', { mode: 'number' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
);

/** Each course a pathway credits (a stage course, or a course recognised as one): which pathways a learner's courses touch. */
export const pathwayCopyCourse = credentialsSchema.table(
  'pathway_copy_course',
  {
    pathwayId: uuid('pathway_id')
      .notNull()
      .references(() => pathwayCopy.pathwayId, { onDelete: 'cascade' }),
    courseId: uuid('course_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.pathwayId, t.courseId] }), index('pathway_copy_course_course_idx').on(t.courseId, t.pathwayId)],
);

/**
 * The consents learners granted providers, kept from the learners service's
 * events (consent.granted, consent.revoked): a provider holding CREDENTIALS
 * reads every credential of the learner, so its exit awards are settled from
 * all of them. Only PROVIDER grantees are kept. A revocation arriving before
 * its grant stays revoked.
 */
export const providerConsent = credentialsSchema.table(
  'provider_consent',
  {
    consentId: uuid('consent_id').primaryKey(),
    learnerId: uuid('learner_id').notNull(),
    providerId: uuid('provider_id').notNull(),
    scopes: text('scopes').array().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('provider_consent_learner_idx').on(t.learnerId, t.providerId)],
);

/** The credentials an exit award names as its evidence (in its signed document): the micro-credentials that earned it. */
export const awardConstituent = credentialsSchema.table(
  'award_constituent',
  {
    awardId: uuid('award_id')
      .notNull()
      .references(() => credential.id, { onDelete: 'cascade' }),
    credentialId: uuid('credential_id')
      .notNull()
      .references(() => credential.id),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.awardId, t.credentialId] }), index('award_constituent_credential_idx').on(t.credentialId)],
);

/** A provider as an issuer: its did:web, and its standing as last read from the providers service at issuance. */
export const issuer = credentialsSchema.table(
  'issuer',
  {
    providerId: uuid('provider_id').primaryKey(),
    did: text('did').notNull().unique(),
    /** The public base URL its documents (credential ids, status lists) were minted under. */
    baseUrl: text('base_url').notNull(),
    name: text('name').notNull(),
    website: text('website'),
    /** Its registration with the Malaysian Qualifications Agency, as the providers service last reported it at issuance. */
    mqaRegistration: text('mqa_registration'),
    inGoodStanding: boolean('in_good_standing').notNull().default(true),
    /**
     * While it is suspended, since when: what it issued before then stays valid
     * (it can issue nothing while suspended). Null when in good standing, or
     * when it lost its standing before the time was recorded (then nothing of
     * it counts).
     */
    suspendedAt: timestamp('suspended_at', { withTimezone: true }),
    /** The version (outbox position) of the last providers.provider.standing event applied: older ones change nothing. */
    standingVersion: bigint('standing_version', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
);

/** Every key an issuer has signed with. The one without `retired_at` signs; retired ones stay published so old credentials verify. */
export const issuerKey = credentialsSchema.table(
  'issuer_key',
  {
    id: text('id').primaryKey(),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => issuer.providerId),
    publicKeyMultibase: text('public_key_multibase').notNull(),
    /** The Ed25519 seed under AES-256-GCM with the key-encryption key from config; never stored in the clear. */
    sealedSeed: text('sealed_seed').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    /**
     * Set when the key was reported compromised: from this time on anything it
     * signed is a forgery as far as we know. The key leaves the DID document,
     * and only a credential our own record shows issued before this time, with
     * exactly the document presented, still verifies.
     */
    compromisedFrom: timestamp('compromised_from', { withTimezone: true }),
    /** When the compromise was recorded (compromised_from may be earlier). */
    compromiseReportedAt: timestamp('compromise_reported_at', { withTimezone: true }),
  },
  (t) => [
    index('issuer_key_provider_idx').on(t.providerId, t.createdAt),
    // At most one signing key per issuer at a time, even when two rotations race.
    uniqueIndex('issuer_key_one_active_idx').on(t.providerId).where(sql`${t.retiredAt} is null`),
  ],
);

export const STATUS_LIST_PURPOSES = ['message', 'revocation'] as const;

/**
 * A Bitstring Status List, in the spec's bit order. Purpose `revocation`
 * (every list made now): 1-bit entries in `bits`, set while a credential is
 * revoked or suspended, so any Bitstring Status List verifier reads "not
 * valid"; `suspension_bits` marks which of those are only suspended (served as
 * its own `suspension` list). Purpose `message`: the lists made before, 2-bit
 * entries (0 valid, 1 suspended, 2 revoked), kept and served as they were so
 * credentials already issued keep verifying.
 */
export const statusList = credentialsSchema.table(
  'status_list',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => issuer.providerId),
    /** Lists from before this column are 2-bit `message` lists; new ones are inserted as `revocation`. */
    purpose: text('purpose', { enum: STATUS_LIST_PURPOSES }).notNull().default('message'),
    bits: bytea('bits').notNull(),
    /** Purpose `revocation` only: 1 bit per entry, set while the credential is suspended (its `bits` entry is then set too). */
    suspensionBits: bytea('suspension_bits'),
    allocated: integer('allocated').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('status_list_provider_idx').on(t.providerId, t.createdAt),
    check('status_list_purpose_check', sql`${t.purpose} in ('message', 'revocation')`),
    check('status_list_suspension_check', sql`(${t.purpose} = 'revocation') = (${t.suspensionBits} is not null)`),
  ],
);

/**
 * A link a learner made to show one of their credentials (its page, badge and
 * signed documents) to whoever they give it, until it expires or they revoke
 * it. Only the SHA-256 of its secret token is kept: the URL is shown once.
 * The holder's name, read through the graph as them when they made the link,
 * is shown through it and erased when they revoke it.
 */
export const credentialShareLink = credentialsSchema.table(
  'credential_share_link',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    credentialId: uuid('credential_id')
      .notNull()
      .references(() => credential.id, { onDelete: 'cascade' }),
    holderId: uuid('holder_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    holderName: text('holder_name'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('credential_share_link_token_idx').on(t.tokenHash),
    // Credential.shareLinks, newest first; counting a credential's live links.
    index('credential_share_link_credential_idx').on(t.credentialId, t.createdAt),
  ],
);

/** A cohort call's results under its idempotency key: a retry answers these instead of issuing again. */
export const cohortIssuance = credentialsSchema.table(
  'cohort_issuance',
  {
    providerId: uuid('provider_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** A hash of the request, so the same key with another payload is a conflict, not a replay. */
    requestHash: text('request_hash').notNull(),
    /** One per item, in order; `details` (what an error names) only in results recorded since it existed. */
    results: jsonb('results').$type<Array<{ credentialId: string | null; code: string | null; message: string | null; details?: Record<string, string> }>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.idempotencyKey] })],
);

/**
 * The events credentials publishes (core's transactional outbox): each
 * credential issued, revoked, suspended, reinstated or renewed, recorded in
 * the transaction that made the change (issuance/announce.ts). They are news,
 * not state: credentials issued before the outbox existed, and the demo
 * credentials the seed loads, are history and never announced.
 */
export const outbox = outboxTable(credentialsSchema);

export const tables = { credential, credentialSkill, talentProof, talentHolder, learnerResidence, learnerPreference, learnerEnrolment, skillSuccession, pathwayCopy, pathwayCopyCourse, providerConsent, awardConstituent, issuer, issuerKey, statusList, cohortIssuance, credentialShareLink, outbox };
export type IssuerRow = typeof issuer.$inferSelect;
export type IssuerKeyRow = typeof issuerKey.$inferSelect;
export type StatusListRow = typeof statusList.$inferSelect;
export type CredentialShareLinkRow = typeof credentialShareLink.$inferSelect;
/** A credential without its (large) documents: what every read but a document request needs. */
export type CredentialRow = Omit<typeof credential.$inferSelect, 'document' | 'documentJwt' | 'documentDataIntegrity'>;
const { document: _document, documentJwt: _jwt, documentDataIntegrity: _dataIntegrity, ...recordColumns } = getTableColumns(credential);
/** The columns of a CredentialRow, for `select(credentialRecord)` and `returning(credentialRecord)`. */
export const credentialRecord = recordColumns;
export type CredentialSkillRow = typeof credentialSkill.$inferSelect;
