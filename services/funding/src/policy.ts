import { actingEmployerId, actingFunderId, Forbidden, isRole, NotFound, type Viewer } from '@tauliah/core';
import type { ApplicationRow, SchemeRow } from './db/schema.ts';
import type { Loaders } from './loaders.ts';

/**
 * Funders publish their schemes, budgets included, for everyone to read. An
 * unpublished scheme (a draft) is seen only by its own funder's staff and by
 * administrators; to anyone else it does not exist.
 *
 * A token acting for a funder only gets this far while its subject is one of
 * the funder's staff accounts (@tauliah/core staff-gate.ts), so acting for it
 * is being its staff.
 */
export const ownFunderId = actingFunderId;

export const seesScheme = (viewer: Viewer, scheme: SchemeRow) =>
  scheme.published || ownFunderId(viewer) === scheme.funderId || isRole(viewer, 'ADMIN');

export function visibleScheme(viewer: Viewer, scheme: SchemeRow | null, id: string): SchemeRow {
  if (!scheme || !seesScheme(viewer, scheme)) throw new NotFound('Scheme', id);
  return scheme;
}

/** Only the staff of the funder that owns a scheme decide its course approvals and applications. */
export function decidingFunder(viewer: Viewer, scheme: SchemeRow | null): SchemeRow {
  if (!scheme) throw new NotFound('Scheme', 'unknown');
  if (ownFunderId(viewer) !== scheme.funderId) throw new Forbidden("Only the staff of the scheme's own funder may decide this.");
  return scheme;
}

/** The learner sees all their applications, a funder those to its schemes, an employer its own claims, administrators all. */
export function seesApplication(viewer: Viewer, row: ApplicationRow, scheme: SchemeRow | null): boolean {
  if (viewer.kind !== 'principal') return false;
  if (viewer.role === 'ADMIN' || (viewer.role === 'LEARNER' && viewer.subject === row.learnerId)) return true;
  if (ownFunderId(viewer)) return scheme?.funderId === ownFunderId(viewer);
  const employerId = actingEmployerId(viewer);
  return !!employerId && row.employerId === employerId;
}

/**
 * The levy is paid to HRD Corp: its own officers record the payments and read
 * every employer's levy account. Not another funder's officers, and not
 * platform administrators, who act for no funder (as with every funder write).
 */
export async function actsForHrdCorp(viewer: Viewer, loaders: Pick<Loaders, 'funder'>): Promise<boolean> {
  const funderId = ownFunderId(viewer);
  return !!funderId && (await loaders.funder.load(funderId))?.kind === 'HRD_CORP';
}

/** An employer's levy account, its balance and payments: its own staff, HRD Corp's officers and administrators. */
export async function readsLevyAccountOf(viewer: Viewer, employerId: string, loaders: Pick<Loaders, 'funder'>): Promise<boolean> {
  return actingEmployerId(viewer) === employerId || isRole(viewer, 'ADMIN') || (await actsForHrdCorp(viewer, loaders));
}
