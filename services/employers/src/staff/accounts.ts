import { StaffAccounts, type Database, type StaffCheck } from '@tauliah/core';
import { employer, staffAccount, type tables } from '../db/schema.ts';

/** Who acts for an employer: its people (EMPLOYER tokens) and partner systems (PARTNER tokens), by core's staff-account rules. */
export const employerStaffAccounts = new StaffAccounts({ kind: 'EMPLOYER', table: staffAccount, organisations: employer });

/** The check every request with a token acting for an employer passes here, where the accounts are kept. */
export const staffAccountsIn = (db: Database<typeof tables>): StaffCheck => employerStaffAccounts.check(db);
