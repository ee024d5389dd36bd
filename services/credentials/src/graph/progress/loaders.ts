import { graphLoader, rowsLoader, type LoaderContext, anyUuid } from '@tauliah/core';
import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import { awardConstituent, credential, credentialRecord, learnerEnrolment, type tables } from '../../db/schema.ts';
import { CONSENTED_SCOPES, PATHWAYS_CREDITING } from '../../graph-reads.ts';

/** The columns of a credential that progress (and the exit awards settled from it) is computed from. */
export const PROGRESS_COLUMNS = {
  id: credential.id,
  holderId: credential.holderId,
  issuerId: credential.issuerId,
  visibility: credential.visibility,
  courseId: credential.courseId,
  credits: credential.credits,
  status: credential.status,
  expiresAt: credential.expiresAt,
  renewalOf: credential.renewalOf,
};

/** Per-request loaders of pathway progress: every holder's credentials in one statement, consent and pathways in one graph call each. */
export function createProgressLoaders({ db, graph }: LoaderContext<typeof tables>) {
  return {
    /** Only the columns progress reads, for any number of holders at once. */
    heldCredentials: rowsLoader(
      (holderIds: readonly string[]) =>
        db
          .select(PROGRESS_COLUMNS)
          .from(credential)
          .where(anyUuid(credential.holderId, holderIds))
          .orderBy(asc(credential.holderId), asc(credential.issuedAt)),
      (row) => row.holderId,
    ),
    /** The providers each learner is enrolled with now (learner_enrolment, kept from the learners service's events; ended ones left out). */
    enrolments: rowsLoader(
      (learnerIds: readonly string[]) =>
        db
          .select()
          .from(learnerEnrolment)
          .where(and(anyUuid(learnerEnrolment.learnerId, learnerIds), isNull(learnerEnrolment.endedAt))),
      (row) => row.learnerId,
    ),
    /** Each holder's exit awards (awards/), whatever their status: one statement for any number of holders. */
    awardsOfHolder: rowsLoader(
      (holderIds: readonly string[]) =>
        db
          .select(credentialRecord)
          .from(credential)
          .where(and(anyUuid(credential.holderId, holderIds), isNotNull(credential.awardPathwayId)))
          .orderBy(asc(credential.holderId), asc(credential.awardPathwayId), asc(credential.awardStagePosition)),
      (row) => row.holderId,
    ),
    /** The credentials each award names as its evidence, in its order: one statement for all the awards of a response. */
    constituentsOfAward: rowsLoader(
      (awardIds: readonly string[]) =>
        db
          .select({ awardId: awardConstituent.awardId, credential: credentialRecord })
          .from(awardConstituent)
          .innerJoin(credential, eq(credential.id, awardConstituent.credentialId))
          .where(anyUuid(awardConstituent.awardId, awardIds))
          .orderBy(asc(awardConstituent.awardId), asc(awardConstituent.position)),
      (row) => row.awardId,
    ),
    consent: graphLoader(graph, CONSENTED_SCOPES),
    pathwaysCrediting: graphLoader(graph, PATHWAYS_CREDITING),
  };
}

export type ProgressLoaders = ReturnType<typeof createProgressLoaders>;
