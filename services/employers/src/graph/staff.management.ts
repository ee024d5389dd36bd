import { Conflict, Forbidden, NotFound, parseInput, requirePrincipal, type Principal } from '@tauliah/core';
import { and, eq, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Context, Transaction } from '../context.ts';
import { employer, staffAccount, type StaffAccountRow } from '../db/schema.ts';
import { staffManagementTarget } from '../policy.ts';
import { staffAccountRow } from '../staff-accounts.ts';
import { EmployerStaffAccount, EmployerStaffRole, toStaffAccount, type StaffAccountNode } from './staff.ts';
import { employerIdArgument, EmployerStaffInput, staffInputSchema, staffSubjectRule } from './staff.inputs.ts';

const EMPLOYER_ID_ARG = { nullable: true, description: 'The employer, for platform administrators; staff always act for their own.' } as const;

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
const anotherAdmin = (employerId: string, subject: string) =>
  sql`exists (select 1 from ${staffAccount} other where other.employer_id = ${employerId} and other.role = 'ADMIN' and other.subject <> ${subject})`;

/** Why a guarded change touched no row: the account does not exist, or it is the last ADMIN. */
async function explainUnchanged(tx: Transaction, employerId: string, subject: string, change: string): Promise<never> {
  if (!(await staffAccountRow(tx, employerId, subject))) throw new NotFound('EmployerStaffAccount', subject);
  throw new Conflict(
    `"${subject}" is the last ADMIN staff account of employer ${employerId} and cannot be ${change}: make another account ADMIN first.`,
    { employerId, subject },
  );
}

const sameAccount = (row: StaffAccountRow, wanted: { name: string; email: string; kind: string; role: string }) =>
  row.name === wanted.name && row.email === wanted.email && row.kind === wanted.kind && row.role === wanted.role;

/** Resolves which employer's staff the caller changes, then runs the change in one transaction under that employer's lock. */
async function manageStaff<T>(
  { viewer, db }: Context,
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

@Resolver(() => EmployerStaffAccount)
export class EmployerStaffManagementResolver {
  @Authorized('EMPLOYER', 'PARTNER', 'ADMIN')
  @Mutation(() => EmployerStaffAccount, {
    description:
      "Adds a person or partner system to act for your employer (ADMIN staff only), or, for platform administrators, for the employer named. Adding the same account again changes nothing; the same subject with other details is a CONFLICT.",
  })
  async addEmployerStaff(
    @Arg('input', () => EmployerStaffInput) input: EmployerStaffInput,
    @Arg('employerId', () => ID, EMPLOYER_ID_ARG) employerIdArg: string | null,
    @Ctx() context: Context,
  ): Promise<StaffAccountNode> {
    const values = parseInput(staffInputSchema, input, 'input');
    return manageStaff(context, employerIdArg, async (tx, employerId, principal) => {
      const [added] = await tx
        .insert(staffAccount)
        .values({ ...values, employerId, addedBy: principal.subject })
        .onConflictDoNothing()
        .returning();
      if (added) return toStaffAccount(added);
      const existing = await staffAccountRow(tx, employerId, values.subject);
      if (existing && sameAccount(existing, values)) return toStaffAccount(existing);
      throw new Conflict(
        `"${values.subject}" is already a staff account of employer ${employerId}, with other details (${existing?.kind} ${existing?.role}, ${existing?.name}, ${existing?.email}): change its role with changeEmployerStaffRole, or remove it and add it again.`,
        { employerId, subject: values.subject },
      );
    });
  }

  @Authorized('EMPLOYER', 'PARTNER', 'ADMIN')
  @Mutation(() => EmployerStaffAccount, { description: 'Makes a staff account ADMIN or STAFF. The last ADMIN of an employer cannot be made STAFF.' })
  async changeEmployerStaffRole(
    @Arg('subject', () => String) subjectArg: string,
    @Arg('role', () => EmployerStaffRole) role: EmployerStaffRole,
    @Arg('employerId', () => ID, EMPLOYER_ID_ARG) employerIdArg: string | null,
    @Ctx() context: Context,
  ): Promise<StaffAccountNode> {
    const subject = parseInput(staffSubjectRule, subjectArg, 'subject');
    return manageStaff(context, employerIdArg, async (tx, employerId) => {
      const [changed] = await tx
        .update(staffAccount)
        .set({ role })
        .where(
          and(
            eq(staffAccount.employerId, employerId),
            eq(staffAccount.subject, subject),
            role === EmployerStaffRole.ADMIN ? undefined : or(ne(staffAccount.role, 'ADMIN'), anotherAdmin(employerId, subject)),
          ),
        )
        .returning();
      return changed ? toStaffAccount(changed) : explainUnchanged(tx, employerId, subject, 'made STAFF');
    });
  }

  @Authorized('EMPLOYER', 'PARTNER', 'ADMIN')
  @Mutation(() => EmployerStaffAccount, {
    description: 'Removes a staff account: its tokens stop acting for the employer. Returns the account removed. The last ADMIN of an employer cannot be removed.',
  })
  async removeEmployerStaff(
    @Arg('subject', () => String) subjectArg: string,
    @Arg('employerId', () => ID, EMPLOYER_ID_ARG) employerIdArg: string | null,
    @Ctx() context: Context,
  ): Promise<StaffAccountNode> {
    const subject = parseInput(staffSubjectRule, subjectArg, 'subject');
    return manageStaff(context, employerIdArg, async (tx, employerId) => {
      const [removed] = await tx
        .delete(staffAccount)
        .where(
          and(
            eq(staffAccount.employerId, employerId),
            eq(staffAccount.subject, subject),
            or(ne(staffAccount.role, 'ADMIN'), anotherAdmin(employerId, subject)),
          ),
        )
        .returning();
      return removed ? toStaffAccount(removed) : explainUnchanged(tx, employerId, subject, 'removed');
    });
  }
}
