import { actingProviderId, type Viewer } from '@tauliah/core';
import type { ApelMApplicationRow } from '../db/schema.ts';
import { mayManageCourses } from '../policy.ts';

/**
 * Who sees an APEL.M application: the learner who applied, the pathway's
 * provider (its staff and its partner systems, which the learner applied to
 * and so shared the evidence with) and platform administrators. Anyone else
 * is told it does not exist.
 */
export function seesApelMApplication(viewer: Viewer, row: Pick<ApelMApplicationRow, 'learnerId' | 'providerId'>): boolean {
  if (viewer.kind !== 'principal') return false;
  if (viewer.role === 'ADMIN') return true;
  if (viewer.role === 'LEARNER') return viewer.subject === row.learnerId;
  return actingProviderId(viewer) === row.providerId;
}

/**
 * Who decides one: the pathway's provider, through any of its staff accounts
 * (ADMIN or STAFF, as for every other provider write: its courses, pathways,
 * recognitions and credentials) or its partner system (a student management
 * system recording admissions). Platform administrators read but do not
 * decide: admission to a programme is the institution's academic decision.
 */
export function decidesApelMApplication(viewer: Viewer, row: Pick<ApelMApplicationRow, 'providerId'>): boolean {
  const providerId = actingProviderId(viewer);
  return providerId !== undefined && providerId === row.providerId;
}

/** Who lists the applications to a pathway: its provider's staff and partner systems, and platform administrators. */
export function listsApelMApplications(viewer: Viewer, pathway: { providerId: string }): boolean {
  return mayManageCourses(viewer, pathway.providerId);
}
