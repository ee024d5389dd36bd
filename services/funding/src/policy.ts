import { isRole, NotFound, type Viewer } from '@tauliah/core';
import type { SchemeRow } from './db/schema.ts';

/**
 * Funders publish their schemes, budgets included, for everyone to read. An
 * unpublished scheme (a draft) is seen only by its own funder's staff and by
 * administrators; to anyone else it does not exist.
 */
export const ownFunderId = (viewer: Viewer): string | undefined => (isRole(viewer, 'FUNDER') ? viewer.funderId : undefined);

export const seesScheme = (viewer: Viewer, scheme: SchemeRow) =>
  scheme.published || ownFunderId(viewer) === scheme.funderId || isRole(viewer, 'ADMIN');

export function visibleScheme(viewer: Viewer, scheme: SchemeRow | null, id: string): SchemeRow {
  if (!scheme || !seesScheme(viewer, scheme)) throw new NotFound('Scheme', id);
  return scheme;
}
