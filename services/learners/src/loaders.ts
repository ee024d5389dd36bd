import { rowLoader, rowsLoader, uuidKeys, type LoaderContext } from '@tauliah/core';
import { and, eq, inArray } from 'drizzle-orm';
import { consentGrant, learner, type tables } from './db/schema.ts';
import { granteeOf } from './policy.ts';

export function createLoaders({ db, viewer }: LoaderContext<typeof tables>) {
  const grantee = granteeOf(viewer);
  return {
    learner: rowLoader((ids: readonly string[]) => db.select().from(learner).where(inArray(learner.id, uuidKeys(ids))), (row) => row.id),
    /** The consent grants each learner gave to the viewer's organisation (one query for any number of learners). */
    grantsToViewer: rowsLoader(
      async (learnerIds: readonly string[]) =>
        grantee
          ? db
              .select()
              .from(consentGrant)
              .where(
                and(
                  eq(consentGrant.granteeKind, grantee.kind),
                  eq(consentGrant.granteeId, grantee.id),
                  inArray(consentGrant.learnerId, uuidKeys(learnerIds)),
                ),
              )
          : [],
      (row) => row.learnerId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
