import { actingEmployerId, actingFunderId, actingProviderId, Forbidden, isRole, readOnce, requirePrincipal, type Database, type InternalGraph, type OrganisationKind, type Viewer } from '@tauliah/core';
import type { tables } from '../db/schema.ts';
import { providerStaffAccounts } from '../staff/accounts.ts';

/** An organisation owning webhook endpoints. */
export interface WebhookOwner {
  kind: OrganisationKind;
  id: string;
}

/** The organisation a token acts for: a provider (its staff or partner system), an employer (likewise) or a funder (its officers). */
export function actingOrganisation(viewer: Viewer): WebhookOwner | undefined {
  const providerId = actingProviderId(viewer);
  if (providerId) return { kind: 'PROVIDER', id: providerId };
  const employerId = actingEmployerId(viewer);
  if (employerId) return { kind: 'EMPLOYER', id: employerId };
  const funderId = actingFunderId(viewer);
  return funderId ? { kind: 'FUNDER', id: funderId } : undefined;
}

const NOUN: Record<OrganisationKind, string> = { PROVIDER: 'provider', EMPLOYER: 'employer', FUNDER: 'funder' };

/**
 * Who manages an organisation's webhook endpoints: its ADMIN staff, and its
 * partner systems (a PARTNER token, whose SYSTEM account the staff gate has
 * already confirmed). A STAFF person may not: an endpoint decides where the
 * organisation's events go. A provider's accounts are read here, where they
 * are kept; an employer's or funder's role is asked of its owner through the
 * graph, with the caller's own token (my<Type>Account).
 */
export async function managedOrganisation(context: { viewer: Viewer; db: Database<typeof tables>; graph: InternalGraph }): Promise<WebhookOwner> {
  const principal = requirePrincipal(context.viewer);
  const owner = actingOrganisation(principal);
  if (!owner) {
    throw new Forbidden(
      isRole(principal, 'ADMIN')
        ? "Platform administrators read webhook endpoints; an organisation's ADMIN staff or its partner system manage them."
        : "Webhook endpoints are managed by an organisation's ADMIN staff or its partner system: your token acts for no organisation.",
    );
  }
  if (principal.role === 'PARTNER') return owner;
  const role = owner.kind === 'PROVIDER' ? (await providerStaffAccounts.account(context.db, owner.id, principal.subject))?.role : await roleThroughGraph(context.graph, owner.kind);
  if (role !== 'ADMIN') {
    throw new Forbidden(
      `Your staff account at ${NOUN[owner.kind]} ${owner.id} has role ${role ?? 'none'}: only its ADMIN staff accounts and partner systems manage its webhook endpoints. Ask one of its admins.`,
    );
  }
  return owner;
}

/** The caller's role at the employer or funder their token acts for, as the service keeping its accounts answers it. */
async function roleThroughGraph(graph: InternalGraph, kind: Exclude<OrganisationKind, 'PROVIDER'>): Promise<string | undefined> {
  const field = kind === 'EMPLOYER' ? 'myEmployerAccount' : 'myFunderAccount';
  const answer = await readOnce<Record<string, { role: string } | null>>(graph, 'your staff account', `query WebhookManager { ${field} { role } }`);
  return answer[field]?.role;
}
