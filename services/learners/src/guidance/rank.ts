import { formatRinggit } from '@tauliah/core';
import { coursesOf, type CourseFacts, type GuidanceFacts } from './facts.ts';
import { summarise, WEIGHT, type Reason } from './reasons.ts';
import type { CourseSequence } from './similar.ts';

/*
 * Ranks the courses a learner could take next, from facts already read (the
 * graph, the guidance tables): pure, so every rule here is tested without a
 * database. A course the learner holds (any credential not revoked) is never
 * recommended; neither is one that is not published (retired).
 */

export interface RankedCourse {
  rank: number;
  course: CourseFacts;
  score: number;
  summary: string;
  reasons: Reason[];
  coveredSen: number;
  amountToPaySen: number;
  /** The scheme that covers most of the fee among those the learner is eligible for. */
  fundedBy: { id: string; name: string } | null;
}

export interface RankingInput {
  facts: GuidanceFacts;
  /** Held courses the guidance heard of from events, beside those the credentials service answered with. */
  heldCourseIds: string[];
  /** What learners holding the learner's courses went on to complete (MIN_SIMILAR_LEARNERS or more each). */
  sequences: CourseSequence[];
  interests: string[];
  first: number;
}

interface Candidate {
  course: CourseFacts;
  reasons: Reason[];
}

export function rankCourses({ facts, heldCourseIds, sequences, interests, first }: RankingInput): RankedCourse[] {
  const counted = facts.credentials.filter((c) => c.course && c.status !== 'REVOKED');
  const held = new Set([...heldCourseIds, ...counted.map((c) => c.course!.id)]);
  const active = counted.filter((c) => c.status === 'ACTIVE' && c.replacedBy === null);
  const levels = active.map((c) => c.mqfLevel).filter((l): l is number => l !== null);
  const highestLevel = levels.length > 0 ? Math.max(...levels) : null;
  const heldTitle = new Map(counted.map((c) => [c.course!.id, c.title]));

  const candidates = new Map<string, Candidate>();
  const consider = (course: CourseFacts, reason?: Reason) => {
    if (held.has(course.id) || course.status !== 'PUBLISHED') return;
    let candidate = candidates.get(course.id);
    if (!candidate) {
      candidate = { course, reasons: [] };
      candidates.set(course.id, candidate);
    }
    if (reason) candidate.reasons.push(reason);
  };

  // The goal: a job role's missing skills, at the level the role asks for.
  const role = facts.jobRole;
  for (const missing of role?.gapFor?.missing ?? []) {
    for (const course of coursesOf(missing.skill.courses)) {
      if (course.mqfLevel === null || course.mqfLevel < missing.minimumLevel) continue;
      const already = candidates.get(course.id)?.reasons.some((r) => r.kind === 'MISSING_SKILL');
      const proves = missing.heldLevel === null ? 'you do not prove yet' : `you prove only at level ${missing.heldLevel}`;
      consider(course, {
        kind: 'MISSING_SKILL',
        detail: `It teaches ${missing.skill.name} (${missing.skill.code}), which ${role!.title} requires at MQF level ${missing.minimumLevel} or above and ${proves}; this course is at level ${course.mqfLevel}.`,
        weight: already ? WEIGHT.anotherMissingSkill : WEIGHT.missingSkill,
        skillCode: missing.skill.code,
        mqfLevel: course.mqfLevel,
      });
    }
  }

  // The goal: a pathway's next stage, in order (a stage needs the ones before it), then the stage after.
  const pathway = facts.pathway;
  if (pathway?.progress) {
    const progress = new Map(pathway.progress.stages.map((s) => [s.position, s]));
    const stages = [...pathway.stages].sort((a, b) => a.position - b.position);
    const next = stages.findIndex((s) => !progress.get(s.position)?.complete);
    for (const [offset, stage] of [stages[next], stages[next + 1]].entries()) {
      if (next < 0 || !stage) continue;
      const standing = progress.get(stage.position);
      const missing = new Set(standing?.missingCourses.map((c) => c.id) ?? stage.requiredCourses.map((c) => c.id));
      const award = stage.exitAward === stage.title ? '' : ` (${stage.exitAward})`;
      const named = `stage ${stage.position}, "${stage.title}"${award}, of ${pathway.title}`;
      stage.requiredCourses.forEach((course, i) => {
        if (!missing.has(course.id)) return;
        consider(
          course,
          offset === 0
            ? { kind: 'PATHWAY_REQUIRED', detail: `It is required for ${named}, the next stage you have to complete.`, weight: WEIGHT.pathwayRequired - i * 0.01, stagePosition: stage.position }
            : { kind: 'PATHWAY_LATER_STAGE', detail: `It is required for ${named}, which follows once you complete stage ${stages[next]!.position}.`, weight: WEIGHT.pathwayLaterStage - i * 0.01, stagePosition: stage.position },
        );
      });
      const stillNeeded = standing?.creditsStillNeeded ?? stage.minimumCredits ?? 0;
      if (offset === 0 && stillNeeded > 0) {
        stage.electiveCourses.forEach((course, i) =>
          consider(course, {
            kind: 'PATHWAY_ELECTIVE',
            detail: `It is an elective of ${named}, which still needs ${stillNeeded} elective credit${stillNeeded === 1 ? '' : 's'}${course.credits ? `; it carries ${course.credits}` : ''}.`,
            weight: WEIGHT.pathwayElective - i * 0.01,
            stagePosition: stage.position,
          }),
        );
      }
    }
  }

  // Without a goal: what interests the learner, and what builds on what they hold.
  const goal = Boolean(role || pathway);
  for (const course of facts.interestCourses) consider(course);
  if (!goal) {
    for (const credential of active) for (const skill of credential.skills) for (const course of coursesOf(skill.courses)) consider(course);
    for (const course of facts.courses) consider(course);
  }

  // Reasons any candidate may have, whatever brought it here.
  const bestSequence = new Map<string, CourseSequence>();
  for (const s of sequences) {
    const best = bestSequence.get(s.nextCourseId);
    if (!best || s.learners / s.holders > best.learners / best.holders) bestSequence.set(s.nextCourseId, s);
  }
  const ranked = [...candidates.values()].map(({ course, reasons }) => {
    for (const skill of course.skills.filter((s) => interests.includes(s.code)).slice(0, 2)) {
      reasons.push({ kind: 'INTEREST', detail: `It teaches ${skill.name} (${skill.code}), one of your interests.`, weight: WEIGHT.interest, skillCode: skill.code });
    }
    const buildsOn = course.mqfLevel === null ? undefined : active.find((c) => c.mqfLevel !== null && c.mqfLevel < course.mqfLevel! && c.skills.some((s) => course.skills.some((t) => t.code === s.code)));
    if (buildsOn) {
      const skill = buildsOn.skills.find((s) => course.skills.some((t) => t.code === s.code))!;
      reasons.push({
        kind: 'BUILDS_ON_CREDENTIAL',
        detail: `It takes ${skill.name} (${skill.code}), which your credential "${buildsOn.title}" proves at MQF level ${buildsOn.mqfLevel}, to level ${course.mqfLevel}.`,
        weight: WEIGHT.buildsOnCredential,
        skillCode: skill.code,
        courseId: buildsOn.course!.id,
      });
    }
    const sequence = bestSequence.get(course.id);
    if (sequence) {
      const share = sequence.learners / Math.max(sequence.holders, sequence.learners);
      reasons.push({
        kind: 'SIMILAR_LEARNERS',
        detail: `${sequence.learners} learners who hold "${heldTitle.get(sequence.courseId) ?? 'a course you hold'}", as you do, went on to complete it.`,
        weight: WEIGHT.similarLearners + WEIGHT.similarRate * share,
        courseId: sequence.courseId,
        learners: sequence.learners,
      });
    }
    const level = mqfReason(course.mqfLevel, highestLevel);
    if (level) reasons.push(level);
    const funding = bestFunding(course);
    if (funding) {
      reasons.push({
        kind: 'FUNDING',
        detail: `${funding.scheme.name}, which you are eligible for, covers ${formatRinggit(funding.coveredSen)} of its ${formatRinggit(course.feeSen)} fee; you would pay ${formatRinggit(course.feeSen - funding.coveredSen)}.`,
        weight: course.feeSen > 0 ? WEIGHT.funding * (funding.coveredSen / course.feeSen) : 0,
        schemeId: funding.scheme.id,
        coveredSen: funding.coveredSen,
      });
    }
    const coveredSen = funding?.coveredSen ?? 0;
    const amountToPaySen = Math.max(0, course.feeSen - coveredSen);
    reasons.sort((a, b) => b.weight - a.weight);
    const score = Math.round(reasons.reduce((sum, r) => sum + r.weight, 0) * 1000) / 1000;
    return { course, score, reasons, coveredSen, amountToPaySen, fundedBy: funding?.scheme ?? null };
  });
  // Only courses with a reason of their own beyond level and money; ties go to the cheaper, then by code, so the order is stable.
  return ranked
    .filter((r) => r.reasons.some((reason) => reason.kind !== 'MQF_PROGRESSION' && reason.kind !== 'FUNDING'))
    .sort((a, b) => b.score - a.score || a.amountToPaySen - b.amountToPaySen || a.course.code.localeCompare(b.course.code) || a.course.id.localeCompare(b.course.id))
    .slice(0, first)
    // The sentence only for the courses answered: it costs more than the ranking of the rest.
    .map((r, i) => ({ rank: i + 1, ...r, summary: summarise(r.course.title, r.reasons, r.course.feeSen, r.amountToPaySen) }));
}

/** MQF progression: a step up from the learner's highest level is best; far above it, or below it, less so. */
function mqfReason(level: number | null, highest: number | null): Reason | null {
  if (level === null) return null;
  if (highest === null) {
    return level <= 3
      ? { kind: 'MQF_PROGRESSION', detail: `It is at MQF level ${level}, a first step for a learner with no levelled credential yet.`, weight: WEIGHT.mqfFirstStep, mqfLevel: level }
      : null;
  }
  if (level === highest + 1) return { kind: 'MQF_PROGRESSION', detail: `It is at MQF level ${level}, one step above your highest (${highest}).`, weight: WEIGHT.mqfStepUp, mqfLevel: level };
  if (level === highest) return { kind: 'MQF_PROGRESSION', detail: `It is at MQF level ${level}, the level of your highest credential.`, weight: WEIGHT.mqfSameLevel, mqfLevel: level };
  if (level > highest + 1) {
    return { kind: 'MQF_PROGRESSION', detail: `It is at MQF level ${level}, ${level - highest} levels above your highest (${highest}): a level ${highest + 1} course first may help.`, weight: WEIGHT.mqfTooFar, mqfLevel: level };
  }
  return { kind: 'MQF_PROGRESSION', detail: `It is at MQF level ${level}, below your highest (${highest}).`, weight: WEIGHT.mqfBelow, mqfLevel: level };
}

/** The eligible scheme covering the most of the fee, if any. */
function bestFunding(course: CourseFacts): { scheme: { id: string; name: string }; coveredSen: number } | null {
  let best: { scheme: { id: string; name: string }; coveredSen: number } | null = null;
  for (const option of course.fundingOptions ?? []) {
    const covered = option.eligibility.eligible ? (option.eligibility.coveredSen ?? 0) : 0;
    if (covered > 0 && (!best || covered > best.coveredSen)) best = { scheme: option.scheme, coveredSen: Math.min(covered, course.feeSen) };
  }
  return best;
}
