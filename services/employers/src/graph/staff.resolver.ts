import { actingEmployerId, ConnectionType, decodeCursor, Forbidden, pageSize, requirePrincipal, staffRefusal, toConnection, type Connection } from '@tauliah/core';
import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { isStaffOrAdmin } from '../policy.ts';
import { staffAccountRow } from '../staff-accounts.ts';
import { Employer, employerBehind } from './employer.ts';
import { EmployerStaffAccount, toStaffAccount, type StaffAccountNode } from './staff.ts';

const EmployerStaffAccountConnection = ConnectionType('EmployerStaffAccount', EmployerStaffAccount);

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
}
