import type { DatabaseConnection } from '@tauliah/core';
import { bdse, courseId, providers } from '@tauliah/demo-data';
import { randomUUID } from 'node:crypto';

/** APEL.M applications, and the calls learners and providers make about them (the APEL.M tests). */

export const APPLICATION_FIELDS = `id status targetProgramme programmeCredits thresholdPercent creditsNeeded creditsEarned creditsTransferred reason submittedAt decidedAt
  pathway { id code } learner { id }
  evidence { credentialId credits course { code } recognisedCourse { code } }
  history { action by byRole at }`;
export const APPLY = `mutation($pathwayId: ID!, $key: String) { applyForApelM(pathwayId: $pathwayId, idempotencyKey: $key) { ${APPLICATION_FIELDS} } }`;
export const DECIDE = `mutation($id: ID!, $decision: ApelMDecision!, $credits: Int, $reason: String, $key: String) {
  decideApelMApplication(id: $id, decision: $decision, creditsTransferred: $credits, reason: $reason, idempotencyKey: $key) { ${APPLICATION_FIELDS} } }`;
export const ONE = `query($id: ID!) { apelMApplication(id: $id) { id status creditsTransferred history { action byRole } } }`;
export const QUEUE = `query($pathwayId: ID!, $status: ApelMApplicationStatus, $first: Int, $after: String) {
  pathway(id: $pathwayId) { apelMApplications(status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id status learner { id } creditsEarned } } } } }`;

export const odl = providers.odl;
export const uas = providers.publicUniversity;
/** The ODL's registrar (an ADMIN account, the PROVIDER_STAFF persona), a STAFF account of it, and UAS's registrar. */
export const odlStaff = { role: 'PROVIDER_STAFF', sub: 'staff:odl:registrar', providerId: odl.id } as const;
export const uasStaff = { role: 'PROVIDER_STAFF', sub: 'staff:uas:registrar', providerId: uas.id } as const;

/** The BDSE courses, 5 credits each, in stage order. */
export const bdseCourseIds = bdse.stages.flatMap((stage) => stage.requiredCourseIds);

export interface StoredApplication {
  pathwayId?: string;
  providerId?: string;
  learnerId?: string;
  programmeCredits?: number;
  thresholdPercent?: number;
  /** The BDSE courses counted, 5 credits each; or `credits` per course given. */
  courses?: number;
  credits?: number;
  createdAt?: string;
}

/**
 * An application as applying stores it (the evidence snapshot and its
 * SUBMITTED change), written straight into the providers tables: the tests of
 * deciding and listing need many, and applying reads the graph, which a
 * subgraph tested alone does not have (the end-to-end tests apply for real).
 */
export async function storeApplication(connection: DatabaseConnection, options: StoredApplication = {}): Promise<{ id: string; learnerId: string }> {
  const learnerId = options.learnerId ?? randomUUID();
  const courses = bdseCourseIds.slice(0, options.courses ?? 12);
  const credits = options.credits ?? 5;
  const evidence = courses.map((course) => ({ credentialId: randomUUID(), courseId: course, credits, recognisedCourseId: null }));
  const programmeCredits = options.programmeCredits ?? 120;
  const thresholdPercent = options.thresholdPercent ?? 50;
  const [row] = await connection.query<{ id: string }>(
    `insert into providers.apel_m_application (pathway_id, provider_id, learner_id, target_programme, programme_credits, threshold_percent,
       credits_needed, credits_earned, evidence, created_at)
     values ($1, $2, $3, 'Bachelor of Software Engineering (Hons)', $4, $5, $6, $7, $8::jsonb, coalesce($9::timestamptz, now())) returning id`,
    [
      options.pathwayId ?? bdse.id,
      options.providerId ?? odl.id,
      learnerId,
      programmeCredits,
      thresholdPercent,
      Math.ceil((programmeCredits * thresholdPercent) / 100),
      evidence.length * credits,
      JSON.stringify(evidence),
      options.createdAt ?? null,
    ],
  );
  await connection.query(
    `insert into providers.apel_m_application_event (application_id, action, actor_subject, actor_role, at)
     select id, 'SUBMITTED', learner_id::text, 'LEARNER', created_at from providers.apel_m_application where id = $1`,
    [row!.id],
  );
  return { id: row!.id, learnerId };
}

export const learnerToken = (learnerId: string) => ({ role: 'LEARNER', sub: learnerId }) as const;

export { courseId };
