import type { Database } from '@tauliah/core';
import { funders, schemes } from '@tauliah/demo-data';
import { funder, type tables } from './db/schema.ts';
import { insertSchemes } from './scheme-store.ts';

/** HRD Corp and a B40 aid fund, and their published schemes (rules validated like any funder's). */
export async function seed(db: Database<typeof tables>): Promise<void> {
  await db.insert(funder).values(Object.values(funders).map((f) => ({ ...f })));
  await insertSchemes(db, Object.values(schemes));
}
