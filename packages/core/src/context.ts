import type { AuthChecker } from 'type-graphql';
import type { Logger } from 'pino';
import { Forbidden, Unauthenticated } from './errors.ts';
import type { Principal, Role, Viewer } from './identity.ts';

/** What every resolver receives: who asks, the request id, a logger and this request's DataLoaders. */
export interface RequestContext<TLoaders = unknown> {
  viewer: Viewer;
  requestId: string;
  log: Logger;
  loaders: TLoaders;
  /** The request came from the federation gateway (see gateway-trust.ts). */
  fromGateway: boolean;
}

/**
 * type-graphql's auth checker: `@Authorized()` needs a signed-in principal,
 * `@Authorized('ADMIN', ...)` one of those roles. Row-level rules live in each
 * entity's policy module, next to the data they protect.
 */
export const authChecker: AuthChecker<RequestContext, Role> = ({ context }, roles) => {
  const { viewer } = context;
  if (viewer.kind !== 'principal') throw new Unauthenticated();
  if (roles.length === 0 || roles.includes(viewer.role)) return true;
  throw new Forbidden(`This needs one of the roles ${roles.join(', ')}; your token has role ${viewer.role}.`);
};

/** The signed-in principal, or UNAUTHENTICATED. */
export function requirePrincipal(viewer: Viewer): Principal {
  if (viewer.kind !== 'principal') throw new Unauthenticated();
  return viewer;
}

export const isRole = (viewer: Viewer, ...roles: Role[]): viewer is Principal =>
  viewer.kind === 'principal' && roles.includes(viewer.role);

/** The provider a principal acts for (staff of it, or a partner system acting for it). */
export function actingProviderId(viewer: Viewer): string | undefined {
  return isRole(viewer, 'PROVIDER_STAFF', 'PARTNER') ? viewer.providerId : undefined;
}

/** The employer a principal acts for (its staff, or a partner system acting for it). */
export function actingEmployerId(viewer: Viewer): string | undefined {
  return isRole(viewer, 'EMPLOYER', 'PARTNER') ? viewer.employerId : undefined;
}
