import { actingEmployerId, actingProviderId, Forbidden, isRole, type Viewer } from '@tauliah/core';
import type { ConsentGrantRow, LearnerRow } from './db/schema.ts';

/**
 * What a viewer may see of a learner, by scope:
 * - PROFILE: name and state;
 * - CONTACT: email and phone;
 * - PERSONAL: date of birth and citizenship (funders' eligibility inputs);
 * - IDENTITY: the masked NRIC, the learner's consent grants and their choices
 *   about sharing (shareStateInTalentSearch): the learner's and administrators' only.
 * PDPA: personal data leaves its owner only for a purpose the learner consented to.
 */
export type LearnerScope = 'PROFILE' | 'CONTACT' | 'PERSONAL' | 'IDENTITY';

const EVERYTHING = new Set<LearnerScope>(['PROFILE', 'CONTACT', 'PERSONAL', 'IDENTITY']);
const NOTHING = new Set<LearnerScope>();

/** Employers never see date of birth, citizenship or NRIC, whatever was consented. */
const EMPLOYER_CEILING = new Set<LearnerScope>(['PROFILE', 'CONTACT']);

export const isSelf = (viewer: Viewer, learnerId: string) => isRole(viewer, 'LEARNER') && viewer.subject === learnerId;

/** Consent grants that name this viewer's organisation, are not revoked and have not expired. */
export function grantsFor(viewer: Viewer, grants: ConsentGrantRow[], now = new Date()): ConsentGrantRow[] {
  const grantee = granteeOf(viewer);
  if (!grantee) return [];
  return grants.filter(
    (g) => g.granteeKind === grantee.kind && g.granteeId === grantee.id && !g.revokedAt && g.expiresAt > now,
  );
}

export function granteeOf(viewer: Viewer): { kind: 'EMPLOYER' | 'FUNDER' | 'PROVIDER'; id: string } | null {
  const providerId = actingProviderId(viewer);
  if (providerId) return { kind: 'PROVIDER', id: providerId };
  const employerId = actingEmployerId(viewer);
  if (employerId) return { kind: 'EMPLOYER', id: employerId };
  if (isRole(viewer, 'FUNDER') && viewer.funderId) return { kind: 'FUNDER', id: viewer.funderId };
  return null;
}

export function learnerScopes(viewer: Viewer, learner: LearnerRow, grants: ConsentGrantRow[]): Set<LearnerScope> {
  if (viewer.kind !== 'principal') return NOTHING;
  if (isSelf(viewer, learner.id) || isRole(viewer, 'ADMIN')) return EVERYTHING;
  const scopes = new Set<LearnerScope>();
  // The provider that enrolled a learner already holds their enrolment record.
  const providerId = actingProviderId(viewer);
  if (providerId && learner.registeredByProviderId === providerId) {
    for (const scope of ['PROFILE', 'CONTACT', 'PERSONAL'] as const) scopes.add(scope);
  }
  for (const grant of grantsFor(viewer, grants)) {
    for (const scope of grant.scopes) {
      if (scope === 'PROFILE' || scope === 'CONTACT' || scope === 'PERSONAL') scopes.add(scope);
    }
  }
  if (actingEmployerId(viewer)) {
    for (const scope of scopes) if (!EMPLOYER_CEILING.has(scope)) scopes.delete(scope);
  }
  return scopes;
}

const WHY: Record<LearnerScope, string> = {
  PROFILE: "it needs the learner's consent to the PROFILE scope",
  CONTACT: "it needs the learner's consent to the CONTACT scope",
  PERSONAL: "it needs the learner's consent to the PERSONAL scope (never granted to employers)",
  IDENTITY: 'only the learner and administrators may see it',
};

export function assertScope(scopes: Set<LearnerScope>, scope: LearnerScope, field: string): void {
  if (!scopes.has(scope)) throw new Forbidden(`You may not read ${field} of this learner: ${WHY[scope]}.`);
}
