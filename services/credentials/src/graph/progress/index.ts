import type { Database, Viewer } from '@tauliah/core';
import type { tables } from '../../db/schema.ts';

/** Pathway progress and APEL.M eligibility (Pathway.progress, Learner.pathways). */
export const progressResolvers: Array<new () => object> = [];

export function createProgressLoaders(_db: Database<typeof tables>, _viewer: Viewer) {
  return {};
}
