import { rowLoader, rowsLoader, uuidKeys, type Database } from '@tauliah/core';
import { asc, inArray } from 'drizzle-orm';
import { funder, scheme, type tables } from './db/schema.ts';

export function createLoaders(db: Database<typeof tables>) {
  return {
    funder: rowLoader((ids: readonly string[]) => db.select().from(funder).where(inArray(funder.id, uuidKeys(ids))), (row) => row.id),
    scheme: rowLoader((ids: readonly string[]) => db.select().from(scheme).where(inArray(scheme.id, uuidKeys(ids))), (row) => row.id),
    /** Every scheme of each funder, drafts included; callers keep what the viewer may see. */
    schemesOfFunder: rowsLoader(
      (ids: readonly string[]) => db.select().from(scheme).where(inArray(scheme.funderId, uuidKeys(ids))).orderBy(asc(scheme.code)),
      (row) => row.funderId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
