import { actingProviderId, Forbidden, isRole, requirePrincipal, type Viewer } from '@tauliah/core';
import type { ProgressLoaders } from './loaders.ts';

/** The scopes a learner granted the viewer; none when the learner is not there for the viewer. */
export async function scopesGranted(loaders: Pick<ProgressLoaders, 'consent'>, learnerId: string): Promise<string[]> {
  return (await loaders.consent.load(learnerId))?.consentedScopes ?? [];
}

/** Who may see a learner's progress without asking the learners service: the learner, ADMIN, and the pathway provider's staff or partner. */
export function mayAskWithoutConsent(viewer: Viewer, learnerId: string, pathwayProviderId: string): boolean {
  if (viewer.kind !== 'principal') return false;
  if (viewer.role === 'ADMIN') return true;
  if (viewer.role === 'LEARNER') return viewer.subject === learnerId;
  return actingProviderId(viewer) === pathwayProviderId;
}

/** Everyone else needs the learner's consent to the CREDENTIALS scope (a learner never holds consent for another learner). */
export const mayAskWithConsent = (viewer: Viewer, scopes: string[]) => !isRole(viewer, 'LEARNER') && scopes.includes('CREDENTIALS');

/**
 * Whom, of `learnerIds`, the viewer may see progress for on a pathway of
 * `pathwayProviderId`: the learner themselves, the pathway provider's staff
 * or partner, administrators, and anyone the learner granted CREDENTIALS.
 */
export async function permittedLearners(
  viewer: Viewer,
  learnerIds: string[],
  pathwayProviderId: string,
  loaders: Pick<ProgressLoaders, 'consent'>,
): Promise<Set<string>> {
  requirePrincipal(viewer);
  const permitted = new Set(learnerIds.filter((id) => mayAskWithoutConsent(viewer, id, pathwayProviderId)));
  const rest = learnerIds.filter((id) => !permitted.has(id));
  if (rest.length === 0 || isRole(viewer, 'LEARNER')) return permitted;
  const learners = await loaders.consent.loadMany(rest);
  rest.forEach((id, i) => {
    const learner = learners[i]!;
    // A graph that cannot answer is an error to report, not a refusal to pretend.
    if (learner instanceof Error) throw learner;
    if (mayAskWithConsent(viewer, learner?.consentedScopes ?? [])) permitted.add(id);
  });
  return permitted;
}

export function assertPermitted(permitted: Set<string>, learnerIds: string[]): void {
  const refused = learnerIds.filter((id) => !permitted.has(id));
  if (refused.length === 0) return;
  throw new Forbidden(
    `You may not see pathway progress of ${refused.length === 1 ? `learner ${refused[0]}` : `${refused.length} of these learners (${refused.slice(0, 5).join(', ')}${refused.length > 5 ? ', …' : ''})`}: ` +
      "it needs the learner, the pathway provider's staff, an administrator, or the learner's consent to the CREDENTIALS scope.",
  );
}
