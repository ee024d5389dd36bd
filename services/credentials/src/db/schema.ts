import { sql } from 'drizzle-orm';
import { check, index, integer, pgSchema, primaryKey, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

export const credentialsSchema = pgSchema('credentials');

/** Stored statuses only: EXPIRED is derived from expires_at when read, so it never needs a job to flip it. */
export const STORED_STATUSES = ['ACTIVE', 'SUSPENDED', 'REVOKED'] as const;
export const VISIBILITIES = ['PRIVATE', 'EMPLOYERS', 'PUBLIC'] as const;

export const credential = credentialsSchema.table(
  'credential',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    holderId: uuid('holder_id').notNull(),
    courseId: uuid('course_id').notNull(),
    issuerId: uuid('issuer_id').notNull(),
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Learner.credentials reads a holder's credentials in issue order.
    index('credential_holder_idx').on(t.holderId, t.issuedAt),
    index('credential_course_idx').on(t.courseId),
    index('credential_issuer_idx').on(t.issuerId),
    index('credential_renewal_of_idx').on(t.renewalOf),
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

export const tables = { credential, credentialSkill };
export type CredentialRow = typeof credential.$inferSelect;
export type CredentialSkillRow = typeof credentialSkill.$inferSelect;
