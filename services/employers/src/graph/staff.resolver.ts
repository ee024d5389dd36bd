import { staffGraph } from '@tauliah/core';
import type { Context } from '../context.ts';
import { employerStaffAccounts } from '../staff/accounts.ts';
import { Employer, employerBehind } from './employer.ts';

/** Who acts for an employer: `Employer.staff`, `myEmployerAccount` and the staff mutations of its ADMINs (core's staff-graph.ts). */
export const { OrganisationStaffResolver: EmployerStaffResolver, StaffAccountResolver: EmployerStaffAccountResolver } = staffGraph<Employer, Context>({
  accounts: employerStaffAccounts,
  organisationType: Employer,
  organisationOf: (employerId, { loaders }) => employerBehind(employerId, loaders),
  staffWork: 'job roles, endorsements, talent search',
  systemExample: 'an HR system',
});
