import { actingProviderId, Forbidden, requirePrincipal, type Viewer } from '@tauliah/core';
import { maySeeCredential } from '../../policy.ts';
import type { ProgressLoaders } from './loaders.ts';

/** The scopes a learner granted the viewer; none when the learner is not there for the viewer. */
export async function scopesGranted(loaders: Pick<ProgressLoaders, 'consent'>, learnerId: string): Promise<string[]> {
  return (await loaders.consent.load(learnerId))?.consentedScopes ?? [];
}

/**
 * What a viewer's progress answer about a learner may be computed from.
 * Progress is derived from credentials, so it must never tell a viewer of a
 * credential it could not read directly:
 * - EVERY credential: for the learner themselves, administrators, and anyone
 *   the learner granted CREDENTIALS;
 * - READABLE ones only (those the viewer may see: its own issues, and those
 *   the learner made visible to it): for a provider the learner is enrolled
 *   with, which needs no consent;
 * - nothing (FORBIDDEN) for everyone else, whoever owns the pathway.
 */
export type ProgressBasis = 'EVERY_CREDENTIAL' | 'READABLE_CREDENTIALS';

/**
 * The basis the viewer has for each of `learnerIds`; learners missing from
 * the map are refused. The learners' consent is asked of the graph only
 * where it can change the answer: not for an enrolled learner whose every
 * credential the provider may read anyway.
 */
export async function progressBases(
  viewer: Viewer,
  learnerIds: string[],
  loaders: Pick<ProgressLoaders, 'consent' | 'enrolments' | 'heldCredentials'>,
): Promise<Map<string, ProgressBasis>> {
  const principal = requirePrincipal(viewer);
  if (principal.role === 'ADMIN') return new Map(learnerIds.map((id) => [id, 'EVERY_CREDENTIAL']));
  // A learner never holds consent or enrolments for another learner.
  if (principal.role === 'LEARNER') return new Map(learnerIds.filter((id) => id === principal.subject).map((id) => [id, 'EVERY_CREDENTIAL']));
  const bases = new Map<string, ProgressBasis>();
  const providerId = actingProviderId(principal);
  const enrolled = new Set<string>();
  if (providerId) {
    const [enrolments, held] = await Promise.all([loaders.enrolments.loadMany(learnerIds), loaders.heldCredentials.loadMany(learnerIds)]);
    learnerIds.forEach((id, i) => {
      const [enrolledWith, credentials] = [enrolments[i], held[i]];
      if (enrolledWith instanceof Error) throw enrolledWith;
      if (credentials instanceof Error) throw credentials;
      if (!enrolledWith?.some((e) => e.providerId === providerId)) return;
      enrolled.add(id);
      // Consent would add nothing the provider cannot already read.
      if ((credentials ?? []).every((c) => maySeeCredential(principal, c))) bases.set(id, 'EVERY_CREDENTIAL');
    });
  }
  const asking = learnerIds.filter((id) => !bases.has(id));
  const learners = await loaders.consent.loadMany(asking);
  asking.forEach((id, i) => {
    const learner = learners[i];
    // A graph that cannot answer is an error to report, not a refusal to pretend.
    if (learner instanceof Error) throw learner;
    if (learner?.consentedScopes.includes('CREDENTIALS')) bases.set(id, 'EVERY_CREDENTIAL');
    else if (enrolled.has(id)) bases.set(id, 'READABLE_CREDENTIALS');
  });
  return bases;
}

/** The credentials a progress answer on this basis may count. */
export const countable = <C extends { issuerId: string; holderId: string; visibility: 'PRIVATE' | 'EMPLOYERS' | 'PUBLIC' }>(viewer: Viewer, basis: ProgressBasis, credentials: C[]): C[] =>
  basis === 'EVERY_CREDENTIAL' ? credentials : credentials.filter((c) => maySeeCredential(viewer, c));

export function assertPermitted(bases: Map<string, ProgressBasis>, learnerIds: string[]): void {
  const refused = learnerIds.filter((id) => !bases.has(id));
  if (refused.length === 0) return;
  throw new Forbidden(
    `You may not see pathway progress of ${refused.length === 1 ? `learner ${refused[0]}` : `${refused.length} of these learners (${refused.slice(0, 5).join(', ')}${refused.length > 5 ? ', …' : ''})`}: ` +
      "it is for the learner, an administrator, anyone the learner granted CREDENTIALS, and a provider the learner is enrolled with.",
  );
}
