import type { Database, StaffKind, StaffLookup, StaffRole } from '@tauliah/core';
import { and, eq } from 'drizzle-orm';
import { staffAccount, type StaffAccountRow, type tables } from './db/schema.ts';

/** A subject's staff account at an employer, or undefined: one statement on the primary key, in a transaction or not. */
export async function staffAccountRow(db: Pick<Database<typeof tables>, 'select'>, employerId: string, subject: string): Promise<StaffAccountRow | undefined> {
  const [row] = await db
    .select()
    .from(staffAccount)
    .where(and(eq(staffAccount.employerId, employerId), eq(staffAccount.subject, subject)));
  return row;
}

/** The check every request with a token acting for an employer passes. */
export function staffAccountsIn(db: Database<typeof tables>): StaffLookup {
  return async (employerId, subject) => {
    const row = await staffAccountRow(db, employerId, subject);
    return row ? { role: row.role as StaffRole, kind: row.kind as StaffKind } : null;
  };
}
