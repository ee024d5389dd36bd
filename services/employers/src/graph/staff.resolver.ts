import { actingEmployerId, Conflict, ConnectionType, decodeCursor, Forbidden, pageSize, parseInput, requirePrincipal, toConnection, type Connection } from '@tauliah/core';
import { and, eq, ne, or } from 'drizzle-orm';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { staffAccount } from '../db/schema.ts';
import { isStaffOrAdmin } from '../policy.ts';
import { staffAccountRow, staffRefusal } from '../staff/accounts.ts';
import { anotherAdmin, explainUnchanged, manageStaff, sameAccount } from '../staff/management.ts';
import { Employer, employerBehind } from './employer.ts';
import { EmployerStaffInput, staffInputSchema, staffSubjectRule } from './staff.inputs.ts';
import { EmployerStaffAccount, EmployerStaffRole, toStaffAccount, type StaffAccountNode } from './staff.ts';

const EmployerStaffAccountConnection = ConnectionType('EmployerStaffAccount', EmployerStaffAccount);

const EMPLOYER_ID_ARG = { nullable: true, description: 'The employer, for platform administrators; staff always act for their own.' } as const;

@Resolver(() => Employer)
export class EmployerStaffResolver {
  @FieldResolver(() => EmployerStaffAccountConnection, {
    nullable: true,
    description: "The people and partner systems acting for the employer, by name. Only for the employer's own staff and administrators.",
  })
  async staff(
    @Root() employer: Employer,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
    @Ctx() { viewer, loaders }: Context,
  ): Promise<Connection<StaffAccountNode>> {
    if (!isStaffOrAdmin(viewer, employer.id)) throw new Forbidden("Only the employer's own staff and administrators may read its staff accounts.");
    const limit = pageSize(first);
    const cursor = decodeCursor(after, ['string', 'string']) as [string, string] | null;
    const [rows, total] = await Promise.all([loaders.staffPage(limit, cursor).load(employer.id), loaders.staffCount.load(employer.id)]);
    return toConnection(rows, limit, total?.count ?? 0, (row) => [row.name, row.subject], toStaffAccount);
  }
}

/** A staff account: the caller's own, and their employer's ADMINs adding, changing and removing the accounts acting for it. */
@Resolver(() => EmployerStaffAccount)
export class EmployerStaffAccountResolver {
  @Authorized('EMPLOYER', 'PARTNER')
  @Query(() => EmployerStaffAccount, { description: 'Your own staff account at the employer your token acts for: its role and kind.' })
  async myEmployerAccount(@Ctx() { viewer, db }: Context): Promise<StaffAccountNode> {
    const principal = requirePrincipal(viewer);
    const employerId = actingEmployerId(principal);
    if (!employerId) throw new Forbidden('Only a partner system acting for an employer has one.');
    const row = await staffAccountRow(db, employerId, principal.subject);
    // Removed since this request began: the same refusal the next request gets.
    if (!row) throw new Forbidden(staffRefusal(principal, employerId, null));
    return toStaffAccount(row);
  }

  @FieldResolver(() => Employer)
  async employer(@Root() account: StaffAccountNode, @Ctx() { loaders }: Context): Promise<Employer> {
    return employerBehind(account.employerId, loaders);
  }

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
