import { staffKindFor, type Database, type Principal, type StaffCheck } from '@tauliah/core';
import { and, eq } from 'drizzle-orm';
import { staffAccount, type StaffAccountRow, type tables } from '../db/schema.ts';

/** A subject's staff account at an employer, or undefined: one statement on the primary key, in a transaction or not. */
export async function staffAccountRow(db: Pick<Database<typeof tables>, 'select'>, employerId: string, subject: string): Promise<StaffAccountRow | undefined> {
  const [row] = await db
    .select()
    .from(staffAccount)
    .where(and(eq(staffAccount.employerId, employerId), eq(staffAccount.subject, subject)));
  return row;
}

/** Why a principal acting for an employer is refused, with the remedy, or undefined when its account lets it act. */
export function staffRefusal(principal: Principal, employerId: string, account: Pick<StaffAccountRow, 'kind'> | undefined | null): string | undefined {
  const needed = staffKindFor(principal);
  if (!account) {
    return `The token's subject "${principal.subject}" is not a staff account of employer ${employerId}; an admin of that employer can add it with addEmployerStaff${needed === 'SYSTEM' ? ' (kind SYSTEM)' : ''}.`;
  }
  if (account.kind !== needed) {
    return `The token's subject "${principal.subject}" is a ${account.kind} staff account of employer ${employerId}, but a token with role ${principal.role} needs a ${needed} account; an admin of that employer can remove it and add it again with addEmployerStaff (kind ${needed}).`;
  }
  return undefined;
}

/** The check every request with a token acting for an employer passes here, where the accounts are kept. */
export function staffAccountsIn(db: Database<typeof tables>): StaffCheck {
  return async (principal, employerId) => staffRefusal(principal, employerId, await staffAccountRow(db, employerId, principal.subject));
}
