import { NotFound, staffGraph } from '@tauliah/core';
import type { Context } from '../context.ts';
import { funderStaffAccounts } from '../staff/accounts.ts';
import { Funder, toFunder } from './funder.ts';

/** Who acts for a funder: `Funder.staff`, `myFunderAccount` and the staff mutations of its ADMINs (core's staff-graph.ts). */
export const { OrganisationStaffResolver: FunderStaffResolver, StaffAccountResolver: FunderStaffAccountResolver } = staffGraph<Funder, Context>({
  accounts: funderStaffAccounts,
  organisationType: Funder,
  organisationOf: async (funderId, { loaders }) => {
    const row = await loaders.funder.load(funderId);
    if (!row) throw new NotFound('Funder', funderId);
    return toFunder(row);
  },
  staffWork: "schemes, course approvals, applications, eligibility; HRD Corp's also levy payments",
});
