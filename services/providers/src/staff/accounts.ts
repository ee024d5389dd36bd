import { StaffAccounts, type Database, type StaffCheck } from '@tauliah/core';
import { provider, staffAccount, type tables } from '../db/schema.ts';

/** Who acts for a provider: its staff (PROVIDER_STAFF tokens) and partner systems such as student records systems (PARTNER tokens), by core's staff-account rules. */
export const providerStaffAccounts = new StaffAccounts({ kind: 'PROVIDER', table: staffAccount, organisations: provider });

/** The check every request with a token acting for a provider passes here, where the accounts are kept. */
export const staffAccountsIn = (db: Database<typeof tables>): StaffCheck => providerStaffAccounts.check(db);
