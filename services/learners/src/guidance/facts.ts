import { readOnce, readOnceWithOptional, type InternalGraph } from '@tauliah/core';

/*
 * What a learner's recommendations need that is the learner's own, read
 * through the graph AS THE LEARNER (readOnce), so each owner authorises them
 * as if they had asked themselves: their credentials (credentials), the
 * goal's job role and their skills gap (employers, credentials) or their
 * progress on the pathway (credentials), and the funding they are eligible
 * for (funding) on the courses the catalogue already names as likely, in one
 * document; then, only for courses that can still make the answer and were not
 * among those, funding again in a second. The courses themselves, the same for
 * everyone, come from the public catalogue (catalogue.ts).
 */

export interface CourseFacts {
  id: string;
  code: string;
  title: string;
  status: string;
  mqfLevel: number | null;
  credits: number | null;
  feeSen: number;
  skills: Array<{ code: string; name: string }>;
  /** Null when not read: only the courses that can still make the answer are asked about (recommend.ts). */
  fundingOptions: Array<{ scheme: { id: string; name: string }; eligibility: { eligible: boolean; coveredSen: number | null } }> | null;
}

export interface HeldCredentialFacts {
  /** Null for an award that stacks other credentials rather than completing a course. */
  course: { id: string } | null;
  title: string;
  status: string;
  mqfLevel: number | null;
  replacedBy: string | null;
  skills: Array<{ code: string; name: string; courses?: CoursePage }>;
}

interface CoursePage {
  edges: Array<{ node: CourseFacts }>;
}

export interface JobRoleFacts {
  id: string;
  title: string;
  gapFor: {
    missing: Array<{ skill: { code: string; name: string; courses: CoursePage }; minimumLevel: number; heldLevel: number | null }>;
  } | null;
}

export interface PathwayStageFacts {
  position: number;
  title: string;
  exitAward: string;
  minimumCredits: number | null;
  requiredCourses: CourseFacts[];
  electiveCourses: CourseFacts[];
}

export interface PathwayFacts {
  id: string;
  code: string;
  title: string;
  stages: PathwayStageFacts[];
  progress: { stages: Array<{ position: number; complete: boolean; creditsStillNeeded: number; missingCourses: Array<{ id: string }> }> } | null;
}

export interface GuidanceFacts {
  credentials: HeldCredentialFacts[];
  jobRole: JobRoleFacts | null;
  pathway: PathwayFacts | null;
  /** Published courses teaching any of the skills the learner is interested in. */
  interestCourses: CourseFacts[];
  /** The courses other learners took next, by id. */
  courses: CourseFacts[];
}

export interface GuidanceQuestion {
  learnerId: string;
  jobRoleId?: string;
  pathwayId?: string;
}

/** The learner's own part of one question, as they may read it. */
export interface LearnerFacts {
  credentials: HeldCredentialFacts[];
  jobRole: { id: string; title: string; gapFor: { missing: Array<{ skill: { code: string; name: string }; minimumLevel: number; heldLevel: number | null }> } | null } | null;
  pathway: { id: string; progress: PathwayFacts['progress'] } | null;
  /** The funding of the courses asked about with the facts, by course; empty when none were asked or funding could not answer. */
  funding: Map<string, FundingOptions>;
}

const FUNDING_OPTIONS = 'fundingOptions(learnerId: $learnerId) { scheme { id name } eligibility { eligible coveredSen } }';

/**
 * The document of the learner's own facts for one question: only the parts it
 * asks about, and the funding of `fundingCourseIds` (aliased `funding`).
 */
export function learnerDocument(question: GuidanceQuestion, fundingCourseIds: string[] = []): { query: string; variables: Record<string, unknown> } {
  // The learner is named only where a part asks about them; me is the learner already.
  const namesLearner = !!(question.jobRoleId || question.pathwayId) || fundingCourseIds.length > 0;
  const variables: Record<string, unknown> = namesLearner ? { learnerId: question.learnerId } : {};
  const declarations = namesLearner ? ['$learnerId: ID!'] : [];
  const parts = ['me { credentials(status: [ACTIVE, SUSPENDED, EXPIRED]) { course { id } title status mqfLevel replacedBy skills { code name } } }'];
  if (question.jobRoleId) {
    variables.jobRoleId = question.jobRoleId;
    declarations.push('$jobRoleId: ID!');
    parts.push('jobRole(id: $jobRoleId) { id title gapFor(learnerId: $learnerId) { missing { minimumLevel heldLevel skill { code name } } } }');
  }
  if (question.pathwayId) {
    variables.pathwayId = question.pathwayId;
    declarations.push('$pathwayId: ID!');
    parts.push('pathway(id: $pathwayId) { id progress(learnerId: $learnerId) { stages { position complete creditsStillNeeded missingCourses { id } } } }');
  }
  if (fundingCourseIds.length > 0) {
    variables.fundingCourseIds = fundingCourseIds;
    declarations.push('$fundingCourseIds: [ID!]!');
    parts.push(`funding: coursesById(ids: $fundingCourseIds) { id ${FUNDING_OPTIONS} }`);
  }
  return { query: `query RecommendationsFor${declarations.length > 0 ? `(${declarations.join(', ')})` : ''} { ${parts.join(' ')} }`, variables };
}

type Answer = {
  me: { credentials: HeldCredentialFacts[] | null } | null;
  jobRole?: LearnerFacts['jobRole'];
  pathway?: LearnerFacts['pathway'];
  funding?: FundedCourse[] | null;
};

type FundedCourse = { id: string; fundingOptions: FundingOptions | null };

/**
 * Reads the learner's own facts for one question in one graph request, with
 * the funding of `fundingCourseIds`. An unknown (or, for a learner,
 * unpublished) job role or pathway is the owner's NOT_FOUND, passed on; a
 * service that cannot answer makes it Unavailable — except funding, which the
 * answer can ask again for the courses it needs (readFunding): should it fail
 * here, `funding` is empty.
 */
export async function readGuidanceFacts(graph: InternalGraph, question: GuidanceQuestion, fundingCourseIds: string[] = []): Promise<LearnerFacts> {
  const { query, variables } = learnerDocument(question, fundingCourseIds);
  const { data, failed } = await readOnceWithOptional<Answer>(graph, 'what your recommendations are made of', query, variables, ['funding']);
  return {
    credentials: data.me?.credentials ?? [],
    jobRole: data.jobRole ?? null,
    pathway: data.pathway ?? null,
    funding: failed.has('funding') ? new Map<string, FundingOptions>() : fundingByCourse(data.funding ?? []),
  };
}

export type FundingOptions = NonNullable<CourseFacts['fundingOptions']>;

/**
 * The funding the learner is eligible for on these courses, in one graph
 * request (one list, so the gateway asks funding once): as the learner, whose
 * eligibility facts funding reads as they may see them.
 */
export async function readFunding(graph: InternalGraph, learnerId: string, courseIds: string[]): Promise<Map<string, FundingOptions>> {
  if (courseIds.length === 0) return new Map();
  const data = await readOnce<{ coursesById: FundedCourse[] }>(
    graph,
    'the funding you are eligible for',
    `query RecommendationFunding($learnerId: ID!, $ids: [ID!]!) { coursesById(ids: $ids) { id ${FUNDING_OPTIONS} } }`,
    { learnerId, ids: courseIds },
  );
  return fundingByCourse(data.coursesById);
}

const fundingByCourse = (courses: FundedCourse[]): Map<string, FundingOptions> => new Map(courses.map((c) => [c.id, c.fundingOptions ?? []]));

/** Every course a page of courses holds. */
export const coursesOf = (page: CoursePage | undefined): CourseFacts[] => page?.edges.map((e) => e.node) ?? [];

/** A page of courses as ranking reads them. */
export const pageOf = (courses: CourseFacts[]): CoursePage => ({ edges: courses.map((node) => ({ node })) });
