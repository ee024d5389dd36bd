// The table helper alone: drizzle-kit loads this file without the rest of core.
import { outboxTable } from '@tauliah/core/outbox';
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

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
    registeredByProviderId: uuid('registered_by_provider_id'),
    registeredBySubject: text('registered_by_subject').notNull(),
    /** A partner's idempotency key, so a retried enrolment creates no second learner. */
    idempotencyKey: text('idempotency_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('learner_email_key').on(sql`lower(${t.email})`),
    uniqueIndex('learner_nric_hash_key').on(t.nricHash),
    uniqueIndex('learner_idempotency_key').on(t.registeredBySubject, t.idempotencyKey),
    index('learner_registered_by_provider_idx').on(t.registeredByProviderId),
    check('learner_citizenship_check', sql`${t.citizenship} in ('MALAYSIAN', 'PERMANENT_RESIDENT', 'NON_CITIZEN')`),
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

/** Events about learners for other services (residence, preferences, enrolment), written in the transaction of the change. */
export const outbox = outboxTable(learnersSchema);

export const tables = { learner, consentGrant, outbox };
export type LearnerRow = typeof learner.$inferSelect;
export type ConsentGrantRow = typeof consentGrant.$inferSelect;
