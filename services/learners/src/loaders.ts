import { actingProviderId, rowLoader, rowsLoader, uuidKeys, type LoaderContext } from '@tauliah/core';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { consentGrant, enrolment, learner, type tables } from './db/schema.ts';
import { granteeOf } from './policy.ts';

export function createLoaders({ db, viewer }: LoaderContext<typeof tables>) {
  const grantee = granteeOf(viewer);
  const providerId = actingProviderId(viewer);
  /** The ACTIVE enrolments with the provider the viewer acts for (none for anyone else, without a query). */
  const activeWithViewer = (where: ReturnType<typeof and>) =>
    providerId ? db.select().from(enrolment).where(and(eq(enrolment.providerId, providerId), eq(enrolment.status, 'ACTIVE'), where)) : Promise.resolve([]);
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
    /** Each learner's ACTIVE enrolment with the viewer's provider, if any: what a provider may read follows it (policy.ts). */
    enrolmentWithViewer: rowLoader((learnerIds: readonly string[]) => activeWithViewer(inArray(enrolment.learnerId, uuidKeys(learnerIds))), (row) => row.learnerId),
    /** The ACTIVE enrolment with the viewer's provider under each student number (already normalised), if any. */
    enrolmentByStudentNumber: rowLoader((numbers: readonly string[]) => activeWithViewer(inArray(enrolment.studentNumber, [...new Set(numbers)])), (row) => row.studentNumber),
    enrolment: rowLoader((ids: readonly string[]) => db.select().from(enrolment).where(inArray(enrolment.id, uuidKeys(ids))), (row) => row.id),
    /** Every enrolment of each learner, oldest first; the policy decides which the viewer sees. */
    enrolmentsOfLearner: rowsLoader(
      (learnerIds: readonly string[]) => db.select().from(enrolment).where(inArray(enrolment.learnerId, uuidKeys(learnerIds))).orderBy(asc(enrolment.enrolledAt), asc(enrolment.id)),
      (row) => row.learnerId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
