import { readEach, readGrouped, readList } from '@tauliah/core';
import { PATHWAY_DEFINITION, type PathwayDefinition } from './graph/progress/pathway.ts';
import type { CourseSnapshot } from './signing/documents.ts';

/*
 * Every read credentials makes of other services' data, through the graph as
 * the viewer (see docs/architecture.md): loaded per request in loaders.ts.
 */

export interface IssuableCourse extends CourseSnapshot {
  validityMonths: number | null;
  status: 'DRAFT' | 'PUBLISHED' | 'RETIRED';
  provider: { id: string; name: string; website: string | null; mqaRegistration: string | null; inGoodStanding: boolean };
}

/**
 * The most keys one aliased read (readEach) asks about per graph request: one
 * aliased field each, and the gateway refuses an operation with more aliases
 * than its MAX_QUERY_ALIASES (30 by default), as it would a client's. A
 * larger batch goes out as several requests at once.
 */
export const ALIASES_PER_READ = 30;

/** A cohort's courses as the caller may see them, snapshotted into the credentials (absent: unknown, or not the caller's to see). */
export const ISSUABLE_COURSES = readEach<IssuableCourse>({
  what: 'the courses to credential',
  field: 'course',
  argument: 'id',
  argumentType: 'ID!',
  selection: 'id code title description credits mqfLevel learningOutcomes validityMonths status skills { code name } provider { id name website mqaRegistration inGoodStanding }',
  maxBatchSize: ALIASES_PER_READ,
});

/**
 * Which learners exist, asked as the caller: only their ids, so nothing read
 * here reaches talent search, whose state filter knows only what the learner
 * chose to share (learner_residence).
 */
export const KNOWN_LEARNERS = readList<{ id: string }>({
  what: 'the learners to credential',
  field: 'learners',
  argument: 'ids',
  argumentType: '[ID!]!',
  selection: 'id',
  keyOf: (learner) => learner.id,
});

/**
 * A student number as the learners service keeps and looks it up: trimmed, in
 * upper case, 1 to 64 letters, digits and . / _ - (its enrolment rule).
 * Anything else is refused before asking, since the owner refuses such an
 * argument outright rather than answer it absent.
 */
export function studentNumberAsKept(raw: string): string | null {
  const kept = raw.trim().toUpperCase();
  return /^[A-Z0-9][A-Z0-9./_-]{0,63}$/.test(kept) ? kept : null;
}

/**
 * Learners by the caller's own student numbers, asked as the caller in one
 * request: the learners service answers only its provider's active
 * enrolments, so another provider's student, or nobody, is absent alike. Only
 * ids: nothing read here is stored but the learner id and the number the
 * caller gave.
 */
export const LEARNERS_BY_STUDENT_NUMBER = readList<{ studentNumber: string; learner: { id: string } }>({
  what: 'the learners by student number',
  field: 'studentsByNumber',
  argument: 'studentNumbers',
  argumentType: '[String!]!',
  selection: 'studentNumber learner { id }',
  keyOf: (student) => student.studentNumber,
  valid: (studentNumber) => studentNumberAsKept(studentNumber) === studentNumber,
});

/**
 * A learner's name, asked as the learner themselves (the holder making a
 * credential PUBLIC or a share link): stored only with what they published.
 */
export const LEARNER_NAMES = readList<{ id: string; fullName: string | null }>({
  what: "the holder's name",
  field: 'learners',
  argument: 'ids',
  argumentType: '[ID!]!',
  selection: 'id fullName',
  keyOf: (learner) => learner.id,
});

/** The scopes each learner granted the viewer, from the learners service (consent lives there). */
export const CONSENTED_SCOPES = readList<{ id: string; consentedScopes: string[] }>({
  what: "the learners' consent",
  field: 'learners',
  argument: 'ids',
  argumentType: '[ID!]!',
  selection: 'id consentedScopes',
  keyOf: (learner) => learner.id,
});

const credits = (pathway: PathwayDefinition, courseId: string) =>
  pathway.stages.some((s) => s.requiredCourseIds.includes(courseId) || s.electiveCourseIds.includes(courseId)) ||
  pathway.recognitions.some((r) => r.recognisedCourseId === courseId);

/**
 * The definitions of the pathways crediting each course, from the providers
 * service: @requires cannot reach pathways from a Learner (nothing on a
 * learner names them), so Learner.pathways asks the graph.
 */
export const PATHWAYS_CREDITING = readGrouped<PathwayDefinition>({
  what: 'pathway definitions',
  field: 'pathways',
  argument: 'courseIds',
  argumentType: '[ID!]!',
  selection: PATHWAY_DEFINITION,
  belongsTo: credits,
});
