import { graphLoader, rowsLoader, uuidKeys, type LoaderContext } from '@tauliah/core';
import { and, asc, inArray, isNull } from 'drizzle-orm';
import { credential, learnerEnrolment, type tables } from '../../db/schema.ts';
import { CONSENTED_SCOPES, PATHWAYS_CREDITING } from '../../graph-reads.ts';

/** Per-request loaders of pathway progress: every holder's credentials in one statement, consent and pathways in one graph call each. */
export function createProgressLoaders({ db, graph }: LoaderContext<typeof tables>) {
  return {
    /** Only the columns progress reads, for any number of holders at once. */
    heldCredentials: rowsLoader(
      (holderIds: readonly string[]) =>
        db
          .select({
            id: credential.id,
            holderId: credential.holderId,
            issuerId: credential.issuerId,
            visibility: credential.visibility,
            courseId: credential.courseId,
            credits: credential.credits,
            status: credential.status,
            expiresAt: credential.expiresAt,
            renewalOf: credential.renewalOf,
          })
          .from(credential)
          .where(inArray(credential.holderId, uuidKeys(holderIds)))
          .orderBy(asc(credential.holderId), asc(credential.issuedAt)),
      (row) => row.holderId,
    ),
    /** The providers each learner is enrolled with now (learner_enrolment, kept from the learners service's events; ended ones left out). */
    enrolments: rowsLoader(
      (learnerIds: readonly string[]) =>
        db
          .select()
          .from(learnerEnrolment)
          .where(and(inArray(learnerEnrolment.learnerId, uuidKeys(learnerIds)), isNull(learnerEnrolment.endedAt))),
      (row) => row.learnerId,
    ),
    consent: graphLoader(graph, CONSENTED_SCOPES),
    pathwaysCrediting: graphLoader(graph, PATHWAYS_CREDITING),
  };
}

export type ProgressLoaders = ReturnType<typeof createProgressLoaders>;
