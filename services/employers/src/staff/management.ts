import { Conflict, Forbidden, NotFound, parseInput, requirePrincipal, type Principal } from '@tauliah/core';
import { and, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Context, Transaction } from '../context.ts';
import { employer, staffAccount, type StaffAccountRow } from '../db/schema.ts';
import { employerIdArgument } from '../graph/staff.inputs.ts';
import { staffManagementTarget } from '../policy.ts';
import { staffAccountRow } from './accounts.ts';

// FOR UPDATE OF takes an unqualified name: the alias.
const lockedEmployer = alias(employer, 'locked_employer');

/**
 * Locks the employer's row, so changes to one employer's staff run one at a
 * time, and checks under that lock that the caller may make them: a platform
 * administrator, or an ADMIN staff account of the employer. One statement.
 */
async function lockForManagement(tx: Transaction, principal: Principal, employerId: string, asPlatformAdmin: boolean): Promise<void> {
  const [locked] = await tx
    .select({ id: lockedEmployer.id, callerRole: staffAccount.role })
    .from(lockedEmployer)
    .leftJoin(staffAccount, and(eq(staffAccount.employerId, lockedEmployer.id), eq(staffAccount.subject, principal.subject)))
    .where(eq(lockedEmployer.id, employerId))
    .for('update', { of: lockedEmployer });
  if (!locked) throw new NotFound('Employer', employerId);
  if (asPlatformAdmin || locked.callerRole === 'ADMIN') return;
  if (!locked.callerRole) throw new Forbidden(`"${principal.subject}" is no longer a staff account of employer ${employerId}.`);
  throw new Forbidden(
    `Your staff account at employer ${employerId} has role ${locked.callerRole}: only its ADMIN staff accounts may add, change or remove staff. Ask one of its admins.`,
  );
}

/** Another ADMIN of the employer besides this subject: the condition that keeps an employer from losing its last admin. */
export const anotherAdmin = (employerId: string, subject: string) =>
  sql`exists (select 1 from ${staffAccount} other where other.employer_id = ${employerId} and other.role = 'ADMIN' and other.subject <> ${subject})`;

/** Why a guarded change touched no row: the account does not exist, or it is the last ADMIN. */
export async function explainUnchanged(tx: Transaction, employerId: string, subject: string, change: string): Promise<never> {
  if (!(await staffAccountRow(tx, employerId, subject))) throw new NotFound('EmployerStaffAccount', subject);
  throw new Conflict(
    `"${subject}" is the last ADMIN staff account of employer ${employerId} and cannot be ${change}: make another account ADMIN first.`,
    { employerId, subject },
  );
}

/** The account asked for is the one already there, detail for detail: adding it again is a retry, not a conflict. */
export const sameAccount = (row: StaffAccountRow, wanted: { name: string; email: string; kind: string; role: string }) =>
  row.name === wanted.name && row.email === wanted.email && row.kind === wanted.kind && row.role === wanted.role;

/** Resolves which employer's staff the caller changes, then runs the change in one transaction under that employer's lock. */
export async function manageStaff<T>(
  { viewer, db }: Pick<Context, 'viewer' | 'db'>,
  employerIdArg: string | null,
  change: (tx: Transaction, employerId: string, principal: Principal) => Promise<T>,
): Promise<T> {
  const principal = requirePrincipal(viewer);
  const named = parseInput(employerIdArgument, employerIdArg, 'employerId');
  const { employerId, asPlatformAdmin } = staffManagementTarget(principal, named);
  return db.transaction(async (tx) => {
    await lockForManagement(tx, principal, employerId, asPlatformAdmin);
    return change(tx, employerId, principal);
  });
}
