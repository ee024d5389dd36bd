import { Conflict, readOnce, Unavailable, type InternalGraph } from '@tauliah/core';
import type { ApelMEvidenceEntry } from './db/schema.ts';

/*
 * The reads providers makes of other services' data, through the graph as
 * the viewer (see docs/architecture.md).
 */

export interface RegisteredOrganisation {
  id: string;
  name: string;
}

/** Each owning service's answer to "which organisation has this registration number" (ADMIN only; null when none). */
const REGISTERED = {
  EMPLOYER: { what: 'the employer with this registration number', field: 'employerByRegistrationNumber' },
  FUNDER: { what: 'the funder with this registration number', field: 'funderByRegistrationNumber' },
} as const;

/**
 * The employer or funder its owning service already keeps under a
 * registration number, asked as the deciding platform administrator: an
 * organisation that joined some other way (the demo data, an earlier
 * approval) must not be created twice. A read that fails fails the decision:
 * approving blind could make the same company twice.
 */
export async function registeredOrganisation(graph: InternalGraph, kind: keyof typeof REGISTERED, registrationNumber: string): Promise<RegisteredOrganisation | null> {
  const { what, field } = REGISTERED[kind];
  const data = await readOnce<Record<string, RegisteredOrganisation | null>>(
    graph,
    what,
    `query($registrationNumber: String!) { ${field}(registrationNumber: $registrationNumber) { id name } }`,
    { registrationNumber },
  );
  return data[field] ?? null;
}

/** A learner's standing on a pathway as the learner's own progress told it when they applied for APEL.M. */
export interface ApelMStanding {
  eligible: boolean;
  creditsEarned: number;
  creditsRequired: number;
  creditsNeeded: number;
  /** The rule, with the figures, in the credentials service's words. */
  rule: string;
  evidence: ApelMEvidenceEntry[];
}

interface ApelMStandingAnswer {
  pathway: {
    progress: {
      creditsEarned: number;
      creditsRequired: number;
      apelCreditsNeeded: number;
      apelEligible: boolean;
      apelRule: string;
      earned: Array<{ course: { id: string }; credits: number; recognisedCourse: { id: string } | null }>;
    } | null;
  } | null;
  /** `course` is null for a stacked exit award, which certifies a stage, not a course. */
  me: { credentials: Array<{ id: string; course: { id: string } | null; replacedBy: string | null }> | null } | null;
}

/**
 * The learner's progress on a pathway and the credentials it counted, read
 * as the learner, who sees every credential they hold: the evidence of an
 * APEL.M application. Progress names the courses it counted; each course's
 * credential is the learner's one ACTIVE credential for it not replaced by a
 * renewal (credentials keeps one such per course), for a recognised course
 * the credential for the course recognised. A read that fails fails the
 * application: applying blind would record evidence nobody checked.
 */
export async function apelMStanding(graph: InternalGraph, pathwayId: string, learnerId: string): Promise<ApelMStanding> {
  const data = await readOnce<ApelMStandingAnswer>(
    graph,
    'your progress on the pathway and your credentials',
    `query ApelMStanding($pathwayId: ID!, $learnerId: ID!) {
      pathway(id: $pathwayId) { progress(learnerId: $learnerId) {
        creditsEarned creditsRequired apelCreditsNeeded apelEligible apelRule
        earned { course { id } credits recognisedCourse { id } } } }
      me { credentials(status: [ACTIVE]) { id course { id } replacedBy } } }`,
    { pathwayId, learnerId },
  );
  const progress = data.pathway?.progress;
  if (!progress) throw new Unavailable('Could not read your progress on the pathway from the credentials service; try again shortly.');
  const counting = new Map((data.me?.credentials ?? []).flatMap((c) => (c.replacedBy === null && c.course ? [[c.course.id, c.id] as const] : [])));
  const evidence = progress.earned.map((earned): ApelMEvidenceEntry => {
    const held = earned.recognisedCourse?.id ?? earned.course.id;
    const credentialId = counting.get(held);
    // Progress and the credentials are read in one request; a credential issued or revoked between the two parts is the only way here.
    if (!credentialId) throw new Conflict('Your credentials changed while you applied: apply again.');
    return { credentialId, courseId: earned.course.id, credits: earned.credits, recognisedCourseId: earned.recognisedCourse?.id ?? null };
  });
  return {
    eligible: progress.apelEligible,
    creditsEarned: progress.creditsEarned,
    creditsRequired: progress.creditsRequired,
    creditsNeeded: progress.apelCreditsNeeded,
    rule: progress.apelRule,
    evidence,
  };
}
