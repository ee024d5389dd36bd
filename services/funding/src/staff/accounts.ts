import { StaffAccounts, type Database, type StaffCheck } from '@tauliah/core';
import { funder, staffAccount, type tables } from '../db/schema.ts';

/** Who acts for a funder: its officers (FUNDER tokens), by core's staff-account rules. */
export const funderStaffAccounts = new StaffAccounts({ kind: 'FUNDER', table: staffAccount, organisations: funder });

/** The check every request with a token acting for a funder passes here, where the accounts are kept. */
export const staffAccountsIn = (db: Database<typeof tables>): StaffCheck => funderStaffAccounts.check(db);
