import type { Database, StaffKind, StaffLookup, StaffRole } from '@tauliah/core';
import { and, eq } from 'drizzle-orm';
import { staffAccount, type tables } from './db/schema.ts';

/** The check every request with a token acting for an employer passes: one statement on the primary key. */
export function staffAccountsIn(db: Database<typeof tables>): StaffLookup {
  return async (employerId, subject) => {
    const [row] = await db
      .select({ role: staffAccount.role, kind: staffAccount.kind })
      .from(staffAccount)
      .where(and(eq(staffAccount.employerId, employerId), eq(staffAccount.subject, subject)));
    return row ? { role: row.role as StaffRole, kind: row.kind as StaffKind } : null;
  };
}
