import type { PathwayDefinition } from './pathway.ts';

/** The credential facts progress reads; status and expiry decide whether one counts. */
export interface HeldCredential {
  id: string;
  /** Null for a pathway's exit award: an award is earned from credentials, never counted as one. */
  courseId: string | null;
  credits: number | null;
  status: string;
  expiresAt: Date | null;
  renewalOf: string | null;
}

export interface StageProgress {
  position: number;
  title: string;
  complete: boolean;
  creditsEarned: number;
  missingCourseIds: string[];
  creditsStillNeeded: number;
  exitAward: string;
  exitJobRoleTitle: string | null;
}

export interface Progress {
  pathwayId: string;
  learnerId: string;
  creditsEarned: number;
  creditsRequired: number;
  percent: number;
  stages: StageProgress[];
  nextCourseIds: string[];
  exitAwards: Array<{ stagePosition: number; award: string; jobRoleTitle: string | null }>;
  earned: Array<{ courseId: string; credits: number; recognisedCourseId: string | null }>;
  apelCreditsNeeded: number;
  apelEligible: boolean;
  apelRule: string;
}

/**
 * The credits a learner holds per course. Only an ACTIVE credential that has
 * not expired counts; a credential that a renewal replaced never counts (the
 * renewal does, if active); and a course counts once however many
 * credentials name it, so piling up renewals or re-issues adds nothing.
 */
export function creditsByCourse(credentials: HeldCredential[], now: Date): Map<string, number> {
  return new Map([...countingCredentials(credentials, now)].map(([courseId, c]) => [courseId, c.credits ?? 0]));
}

/**
 * The credential that counts for each course, by creditsByCourse's rule (the
 * one with the most credits where several would count): what an exit award
 * names as the micro-credentials that earned it.
 */
export function countingCredentials<C extends HeldCredential>(credentials: C[], now: Date): Map<string, C> {
  const replaced = new Set(credentials.map((c) => c.renewalOf).filter((id): id is string => id !== null));
  const counting = new Map<string, C>();
  for (const c of credentials) {
    if (c.courseId === null || c.status !== 'ACTIVE' || (c.expiresAt && c.expiresAt <= now) || replaced.has(c.id)) continue;
    const current = counting.get(c.courseId);
    if (!current || (current.credits ?? 0) < (c.credits ?? 0)) counting.set(c.courseId, c);
  }
  return counting;
}

/** APEL.M: eligible when earned × 100 ≥ threshold% × programme credits, in integers (60 of 120 at 50% is eligible, 59 is not). */
export function apelCreditsNeeded(programmeCredits: number, thresholdPercent: number): number {
  return Math.ceil((programmeCredits * thresholdPercent) / 100);
}

/**
 * Progress counts courses (held, or recognised as a pathway course), never
 * skills: retiring a skill in favour of another (events/skill-retired.ts)
 * changes no one's progress, as a stage names courses, not skills.
 */
export function computeProgress(pathway: PathwayDefinition, learnerId: string, credentials: HeldCredential[], now: Date): Progress {
  const held = creditsByCourse(credentials, now);
  const pathwayCourses = new Set(pathway.stages.flatMap((s) => [...s.requiredCourseIds, ...s.electiveCourseIds]));

  // Each pathway course earned: held directly, or else through the best standing recognition of a course held.
  const earned = new Map<string, { credits: number; recognisedCourseId: string | null }>();
  for (const courseId of pathwayCourses) {
    const direct = held.get(courseId);
    if (direct !== undefined) earned.set(courseId, { credits: direct, recognisedCourseId: null });
  }
  for (const r of pathway.recognitions) {
    if (!pathwayCourses.has(r.courseId) || !held.has(r.recognisedCourseId)) continue;
    const current = earned.get(r.courseId);
    if (!current || (current.recognisedCourseId !== null && current.credits < r.creditsGranted)) {
      earned.set(r.courseId, { credits: r.creditsGranted, recognisedCourseId: r.recognisedCourseId });
    }
  }

  const stages = [...pathway.stages]
    .sort((a, b) => a.position - b.position)
    .map((stage): StageProgress => {
      const credit = (id: string) => earned.get(id)?.credits ?? 0;
      const missingCourseIds = stage.requiredCourseIds.filter((id) => !earned.has(id));
      const electiveCredits = stage.electiveCourseIds.reduce((sum, id) => sum + credit(id), 0);
      const creditsStillNeeded = Math.max(0, (stage.minimumCredits ?? 0) - electiveCredits);
      return {
        position: stage.position,
        title: stage.title,
        complete: missingCourseIds.length === 0 && creditsStillNeeded === 0,
        creditsEarned: stage.requiredCourseIds.reduce((sum, id) => sum + credit(id), 0) + electiveCredits,
        missingCourseIds,
        creditsStillNeeded,
        exitAward: stage.exitAward,
        exitJobRoleTitle: stage.exitJobRoleTitle,
      };
    });

  // Stacking: an exit award is reached when its stage and every stage before it are complete.
  const exitAwards = [];
  for (const stage of stages) {
    if (!stage.complete) break;
    exitAwards.push({ stagePosition: stage.position, award: stage.exitAward, jobRoleTitle: stage.exitJobRoleTitle });
  }

  const firstIncomplete = stages.findIndex((s) => !s.complete);
  const definition = firstIncomplete === -1 ? undefined : [...pathway.stages].sort((a, b) => a.position - b.position)[firstIncomplete];
  const nextCourseIds = definition
    ? [...stages[firstIncomplete]!.missingCourseIds, ...(stages[firstIncomplete]!.creditsStillNeeded > 0 ? definition.electiveCourseIds.filter((id) => !earned.has(id)) : [])]
    : [];

  const creditsEarned = [...earned.values()].reduce((sum, e) => sum + e.credits, 0);
  const creditsRequired = pathway.targetProgrammeCredits;
  const threshold = pathway.apelThresholdPercent;
  const needed = apelCreditsNeeded(creditsRequired, threshold);
  const apelEligible = creditsEarned * 100 >= threshold * creditsRequired;
  return {
    pathwayId: pathway.id,
    learnerId,
    creditsEarned,
    creditsRequired,
    percent: Math.min(100, Math.floor((creditsEarned * 100) / creditsRequired)),
    stages,
    nextCourseIds,
    exitAwards,
    earned: [...earned].map(([courseId, e]) => ({ courseId, ...e })),
    apelCreditsNeeded: needed,
    apelEligible,
    apelRule:
      `APEL.M admits with at least ${threshold}% of the programme's ${creditsRequired} credits earned through micro-credentials ` +
      `(${needed} credits); ${creditsEarned} earned, so ${apelEligible ? 'eligible' : `not yet eligible: ${needed - creditsEarned} more needed`}.`,
  };
}
