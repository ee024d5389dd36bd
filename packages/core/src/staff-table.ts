import { sql } from 'drizzle-orm';
import { check, index, primaryKey, text, timestamp, uuid, type AnyPgColumn, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * The staff-account table every owning service keeps, and the words it is
 * made of. Only drizzle is imported here: a service's db/schema.ts uses it,
 * and drizzle-kit loads that file outside the rest of core
 * (`@tauliah/core/staff-table`, like `@tauliah/core/outbox`).
 */
export const STAFF_ROLES = ['ADMIN', 'STAFF'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const STAFF_KINDS = ['PERSON', 'SYSTEM'] as const;
export type StaffKind = (typeof STAFF_KINDS)[number];

export const ORGANISATION_KINDS = ['PROVIDER', 'EMPLOYER', 'FUNDER'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** The account kinds of each organisation kind: SYSTEM only where a partner system (a PARTNER token) may act for it. */
export const ACCOUNT_KINDS: Readonly<Record<OrganisationKind, readonly StaffKind[]>> = {
  PROVIDER: STAFF_KINDS,
  EMPLOYER: STAFF_KINDS,
  FUNDER: ['PERSON'],
};

/**
 * The people and partner systems acting for the owning service's
 * organisations: one account per subject and organisation (the same subject
 * may be staff of several), removed with its organisation. The organisation's
 * id is the column `<kind>_id` (provider_id, funder_id).
 */
export function staffAccountTable<TSchema extends string>(schema: PgSchema<TSchema>, kind: OrganisationKind, organisationId: () => AnyPgColumn) {
  const noun = kind.toLowerCase();
  const kinds = ACCOUNT_KINDS[kind].map((k) => `'${k}'`).join(', ');
  return schema.table(
    'staff_account',
    {
      organisationId: uuid(`${noun}_id`).notNull().references(organisationId, { onDelete: 'cascade' }),
      /** The `sub` of the person's or partner system's token. */
      subject: text('subject').notNull(),
      name: text('name').notNull(),
      email: text('email').notNull(),
      kind: text('kind').notNull(),
      role: text('role').notNull(),
      /** The subject of whoever added the account. */
      addedBy: text('added_by').notNull(),
      addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (t) => [
      // Also serves the check on every request, my<Type>Account and the search for another ADMIN.
      primaryKey({ name: 'staff_account_pkey', columns: [t.organisationId, t.subject] }),
      // <Type>.staff: the order and keyset of the list.
      index(`staff_account_${noun}_name_idx`).on(t.organisationId, t.name, t.subject),
      check('staff_account_kind_check', sql`${t.kind} in (${sql.raw(kinds)})`),
      check('staff_account_role_check', sql`${t.role} in ('ADMIN', 'STAFF')`),
      check('staff_account_subject_check', sql`length(${t.subject}) between 1 and 255`),
    ],
  );
}
