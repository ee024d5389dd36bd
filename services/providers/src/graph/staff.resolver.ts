import { staffGraph } from '@tauliah/core';
import type { Context } from '../context.ts';
import { providerStaffAccounts } from '../staff/accounts.ts';
import { Provider } from './provider.ts';
import { providerOf } from './provider.resolver.ts';

/** Who acts for a provider: `Provider.staff`, `myProviderAccount` and the staff mutations of its ADMINs (core's staff-graph.ts). */
export const { OrganisationStaffResolver: ProviderStaffResolver, StaffAccountResolver: ProviderStaffAccountResolver } = staffGraph<Provider, Context>({
  accounts: providerStaffAccounts,
  organisationType: Provider,
  organisationOf: (providerId, context) => providerOf({ providerId }, context),
  staffWork: 'courses, pathways, learners, credentials',
  systemExample: 'a student records system',
});
