import { actingProviderId, anyUuid, builtOnceByKeys, graphLoader, rowLoader, rowsLoader, uuidKeys, type Database, type LoaderContext } from '@tauliah/core';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { countLearnersContactRequests, learnersContactRequests, type ListedRow } from './contact/list.ts';
import { consentGrant, enrolment, learner, learnerInterest, talentHeadline, type tables } from './db/schema.ts';
import type { ContactRequestStatus } from './graph/contact-request.ts';
import { JOB_ROLES, SKILLS } from './graph-reads.ts';
import { granteeOf } from './policy.ts';
import { ViewerAccesses } from './consent/access.ts';

/** Learners by id, under every answer about one (`me` first): built once. */
const learnersById = builtOnceByKeys(learner.id, 'uuid', (db: Database<typeof tables>, byIds, shape) => db.select().from(learner).where(byIds).prepare(`learners_by_id_${shape}`));

/** What the policy reads of a grant (policy.ts): fewer columns to map for the 10,000 learners of a funder's batch. */
const VIEWER_GRANT_COLUMNS = {
  learnerId: consentGrant.learnerId,
  granteeKind: consentGrant.granteeKind,
  granteeId: consentGrant.granteeId,
  scopes: consentGrant.scopes,
  expiresAt: consentGrant.expiresAt,
  revokedAt: consentGrant.revokedAt,
};

/** Which page of each learner's contact requests: the same for every learner a request lists them for. */
export interface ContactRequestPage {
  status: ContactRequestStatus | null;
  limit: number;
  after: string | null;
}

export function createLoaders({ db, viewer, graph }: LoaderContext<typeof tables>) {
  const grantee = granteeOf(viewer);
  const providerId = actingProviderId(viewer);
  /** The ACTIVE enrolments with the provider the viewer acts for (none for anyone else, without a query). */
  const activeWithViewer = (where: ReturnType<typeof and>) =>
    providerId ? db.select().from(enrolment).where(and(eq(enrolment.providerId, providerId), eq(enrolment.status, 'ACTIVE'), where)) : Promise.resolve([]);
  /** Each learner's ACTIVE enrolment with the viewer's provider, if any: what a provider may read follows it (policy.ts). */
  const enrolmentWithViewer = rowLoader((learnerIds: readonly string[]) => activeWithViewer(anyUuid(enrolment.learnerId, learnerIds)), (row) => row.learnerId);
  const contactRequestPages = new Map<string, ReturnType<typeof rowsLoader<string, ListedRow>>>();
  const contactRequestCounts = new Map<string, ReturnType<typeof rowLoader<string, { learnerId: string; n: number }>>>();
  return {
    learner: rowLoader((ids: readonly string[]) => learnersById(db, ids), (row) => row.id),
    enrolmentWithViewer,
    /** What the viewer holds of each learner (field scopes and consented scopes), for a whole batch at once (consent/access.ts). */
    viewerAccess: new ViewerAccesses(viewer, {
      grantsToViewer: async (learnerIds) =>
        grantee
          ? db
              .select(VIEWER_GRANT_COLUMNS)
              .from(consentGrant)
              .where(and(eq(consentGrant.granteeKind, grantee.kind), eq(consentGrant.granteeId, grantee.id), anyUuid(consentGrant.learnerId, learnerIds)))
          : [],
      enrolmentsWithViewer: async (learnerIds) => (providerId ? enrolmentWithViewer.loadMany(learnerIds) : []),
    }),
    /** The ACTIVE enrolment with the viewer's provider under each student number (already normalised), if any. */
    enrolmentByStudentNumber: rowLoader((numbers: readonly string[]) => activeWithViewer(inArray(enrolment.studentNumber, [...new Set(numbers)])), (row) => row.studentNumber),
    enrolment: rowLoader((ids: readonly string[]) => db.select().from(enrolment).where(anyUuid(enrolment.id, ids)), (row) => row.id),
    /** Each learner's talent headline, while they are opted in to being found. */
    talentHeadline: rowLoader((learnerIds: readonly string[]) => db.select().from(talentHeadline).where(anyUuid(talentHeadline.learnerId, learnerIds)), (row) => row.learnerId),
    /** The skills each learner said they are interested in, if any. */
    interests: rowLoader((learnerIds: readonly string[]) => db.select().from(learnerInterest).where(anyUuid(learnerInterest.learnerId, learnerIds)), (row) => row.learnerId),
    consentGrant: rowLoader((ids: readonly string[]) => db.select().from(consentGrant).where(anyUuid(consentGrant.id, ids)), (row) => row.id),
    /** Job roles as the viewer sees them, read through the graph from employers (graph-reads.ts). */
    jobRole: graphLoader(graph, JOB_ROLES),
    /** Skills of the taxonomy by code, read through the graph from providers (graph-reads.ts). */
    skill: graphLoader(graph, SKILLS),
    /** One page of each learner's contact requests, one statement for every learner listed with the same page (contact/list.ts). */
    contactRequestsOfLearner: (page: ContactRequestPage) => {
      const key = JSON.stringify(page);
      let loader = contactRequestPages.get(key);
      if (!loader) {
        loader = rowsLoader((learnerIds: readonly string[]) => learnersContactRequests(db, uuidKeys(learnerIds), page), (row: ListedRow) => row.request.learnerId);
        contactRequestPages.set(key, loader);
      }
      return loader;
    },
    /** How many requests to each learner match a status (all of them for null), one statement for every learner counted alike. */
    contactRequestCount: (status: ContactRequestStatus | null) => {
      const key = String(status);
      let loader = contactRequestCounts.get(key);
      if (!loader) {
        loader = rowLoader((learnerIds: readonly string[]) => countLearnersContactRequests(db, uuidKeys(learnerIds), status), (row) => row.learnerId);
        contactRequestCounts.set(key, loader);
      }
      return loader;
    },
    /** Every enrolment of each learner, oldest first; the policy decides which the viewer sees. */
    enrolmentsOfLearner: rowsLoader(
      (learnerIds: readonly string[]) => db.select().from(enrolment).where(anyUuid(enrolment.learnerId, learnerIds)).orderBy(asc(enrolment.enrolledAt), asc(enrolment.id)),
      (row) => row.learnerId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
