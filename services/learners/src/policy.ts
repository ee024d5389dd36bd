import { actingEmployerId, actingProviderId, type ConsentScope, Forbidden, isRole, type Viewer } from '@tauliah/core';
import type { ConsentGrantRow, EnrolmentRow } from './db/schema.ts';

/**
 * What a viewer may see of a learner, by scope:
 * - PROFILE: name and state;
 * - CONTACT: email and phone;
 * - PERSONAL: date of birth, citizenship and nationality (funders' eligibility inputs);
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

/** What the policy reads of a consent grant. */
export type GrantTerms = Pick<ConsentGrantRow, 'learnerId' | 'granteeKind' | 'granteeId' | 'scopes' | 'expiresAt' | 'revokedAt'>;

/** Consent grants that name this viewer's organisation, are not revoked and have not expired. */
export function grantsFor<G extends GrantTerms>(viewer: Viewer, grants: G[], now = new Date()): G[] {
  return grantsTo(granteeOf(viewer), grants, now);
}

/** Consent grants that name this organisation, are not revoked and have not expired (none for no organisation). */
export function grantsTo<G extends GrantTerms>(grantee: Grantee | null, grants: G[], now: Date): G[] {
  if (!grantee) return [];
  return grants.filter(
    (g) => g.granteeKind === grantee.kind && g.granteeId === grantee.id && !g.revokedAt && g.expiresAt > now,
  );
}

/** The organisation a viewer acts for, as consent grants name it. */
export interface Grantee {
  kind: 'EMPLOYER' | 'FUNDER' | 'PROVIDER';
  id: string;
}

export function granteeOf(viewer: Viewer): Grantee | null {
  const providerId = actingProviderId(viewer);
  if (providerId) return { kind: 'PROVIDER', id: providerId };
  const employerId = actingEmployerId(viewer);
  if (employerId) return { kind: 'EMPLOYER', id: employerId };
  if (isRole(viewer, 'FUNDER') && viewer.funderId) return { kind: 'FUNDER', id: viewer.funderId };
  return null;
}

/**
 * What the viewer's organisation holds about one learner: the learner's
 * consent grants to it and, for a provider, whether the learner is enrolled
 * with it now (an ACTIVE enrolment; see loaders.ts).
 */
export interface ViewerStanding {
  grants: GrantTerms[];
  enrolment: EnrolmentRow | null;
}

export function learnerScopes(viewer: Viewer, learnerId: string, { grants, enrolment }: ViewerStanding, now = new Date()): Set<LearnerScope> {
  if (viewer.kind !== 'principal') return NOTHING;
  if (isSelf(viewer, learnerId) || isRole(viewer, 'ADMIN')) return EVERYTHING;
  const scopes = new Set<LearnerScope>();
  // A provider the learner is enrolled with already holds their enrolment record; once the enrolment ends, it holds only what was consented.
  if (isEnrolledWithViewer(viewer, learnerId, enrolment)) {
    for (const scope of ['PROFILE', 'CONTACT', 'PERSONAL'] as const) scopes.add(scope);
  }
  for (const grant of grantsFor(viewer, grants, now)) {
    for (const scope of grant.scopes) {
      if (scope === 'PROFILE' || scope === 'CONTACT' || scope === 'PERSONAL') scopes.add(scope);
    }
  }
  if (actingEmployerId(viewer)) {
    for (const scope of scopes) if (!EMPLOYER_CEILING.has(scope)) scopes.delete(scope);
  }
  return scopes;
}

/**
 * The consent scopes of the learner's active grants to the viewer's organisation, sorted: what other services
 * read to honour consent (Learner.consentedScopes). The learner and administrators hold every scope (consent/access.ts).
 */
export function consentedScopesOf(viewer: Viewer, grants: GrantTerms[], now = new Date()): ConsentScope[] {
  const scopes = new Set<ConsentScope>();
  for (const grant of grantsFor(viewer, grants, now)) for (const scope of grant.scopes) scopes.add(scope as ConsentScope);
  return [...scopes].sort();
}

/** The learner's ACTIVE enrolment with the provider the viewer acts for. */
export function isEnrolledWithViewer(viewer: Viewer, learnerId: string, enrolment: EnrolmentRow | null): boolean {
  const providerId = actingProviderId(viewer);
  return Boolean(providerId && enrolment && enrolment.learnerId === learnerId && enrolment.providerId === providerId && enrolment.status === 'ACTIVE');
}

/**
 * Which of a learner's enrolments the viewer may see: the learner and
 * administrators all of them; a provider the learner is enrolled with its
 * own (past ones too); nobody else any (an enrolment says where someone studies).
 */
export function visibleEnrolments(viewer: Viewer, learnerId: string, enrolments: EnrolmentRow[], own: EnrolmentRow | null): EnrolmentRow[] | null {
  if (isSelf(viewer, learnerId) || isRole(viewer, 'ADMIN')) return enrolments;
  if (isEnrolledWithViewer(viewer, learnerId, own)) return enrolments.filter((e) => e.providerId === own!.providerId);
  return null;
}

/**
 * Who reads a learner's talent headline: the learner and administrators
 * always; an employer (its staff, or a partner system acting for it) while the
 * learner is opted in, which is whenever a headline exists; nobody else. To
 * anyone else it is null, exactly as for a learner who never opted in, so no
 * answer tells them whether this learner did.
 */
export function seesTalentHeadline(viewer: Viewer, learnerId: string): boolean {
  return isSelf(viewer, learnerId) || isRole(viewer, 'ADMIN') || Boolean(actingEmployerId(viewer));
}

/**
 * The consent scopes an employer may ask a learner for in a contact request:
 * what an employer can ever use. PERSONAL is beyond EMPLOYER_CEILING (never
 * shown to employers whatever was consented), and ELIGIBILITY is for funders'
 * eligibility checks, no purpose of a recruiter (PDPA: a purpose for each).
 */
export const EMPLOYER_REQUESTABLE_SCOPES = ['PROFILE', 'CONTACT', 'CREDENTIALS'] as const;

const WHY: Record<LearnerScope, string> = {
  PROFILE: "it needs the learner's consent to the PROFILE scope",
  CONTACT: "it needs the learner's consent to the CONTACT scope",
  PERSONAL: "it needs the learner's consent to the PERSONAL scope (never granted to employers)",
  IDENTITY: 'only the learner and administrators may see it',
};

export function assertScope(scopes: ReadonlySet<LearnerScope>, scope: LearnerScope, field: string): void {
  if (!scopes.has(scope)) throw new Forbidden(`You may not read ${field} of this learner: ${WHY[scope]}.`);
}
