import { formatRinggit } from '@tauliah/core';
/*
 * Why a course is recommended: each reason a kind a partner app may switch
 * on, the facts behind it, a sentence for people, and how much it weighed.
 */

export type ReasonKind =
  | 'MISSING_SKILL'
  | 'PATHWAY_REQUIRED'
  | 'PATHWAY_ELECTIVE'
  | 'PATHWAY_LATER_STAGE'
  | 'SIMILAR_LEARNERS'
  | 'INTEREST'
  | 'BUILDS_ON_CREDENTIAL'
  | 'MQF_PROGRESSION'
  | 'FUNDING';

export interface Reason {
  kind: ReasonKind;
  detail: string;
  weight: number;
  skillCode?: string;
  /** The course a reason refers to: the one similar learners held, the credential's course it builds on. */
  courseId?: string;
  stagePosition?: number;
  learners?: number;
  schemeId?: string;
  coveredSen?: number;
  mqfLevel?: number;
}

/** How much each kind counts: a goal's own reasons first, then what others did, then level and money. */
export const WEIGHT = {
  pathwayRequired: 6,
  missingSkill: 5,
  /** Each further missing skill the same course teaches. */
  anotherMissingSkill: 2,
  pathwayElective: 4,
  interest: 3,
  pathwayLaterStage: 1.5,
  buildsOnCredential: 1.5,
  /** SIMILAR_LEARNERS: this much, plus SIMILAR_RATE times the share of holders who went on to it. */
  similarLearners: 1,
  similarRate: 4,
  /** FUNDING: this much times the share of the fee a scheme covers. */
  funding: 1,
  mqfStepUp: 1,
  mqfSameLevel: 0.5,
  mqfFirstStep: 0.5,
  mqfTooFar: -1,
  mqfBelow: -1,
} as const;


/**
 * One sentence for people, from the reasons that weighed most (two of the
 * goal and similar learners at most) and the money: what a partner app shows
 * under the course.
 */
export function summarise(title: string, reasons: Reason[], feeSen: number, amountToPaySen: number): string {
  const leading = reasons
    .filter((r) => r.kind !== 'FUNDING' && r.kind !== 'MQF_PROGRESSION' && r.weight > 0)
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 2)
    .map((r) => lowerFirst(r.detail.replace(/\.$/u, '')));
  const because = leading.length > 0 ? `${title} is recommended because ${leading.join(', and ')}.` : `${title} is recommended.`;
  const money =
    amountToPaySen < feeSen ? ` You would pay ${formatRinggit(amountToPaySen)} of its ${formatRinggit(feeSen)} fee.` : feeSen > 0 ? ` Its fee is ${formatRinggit(feeSen)}; no scheme you are eligible for funds it.` : '';
  return because + money;
}

const lowerFirst = (text: string) => (/^[A-Z][a-z]/u.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text);
