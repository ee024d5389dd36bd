import type { Database, InternalGraph } from '@tauliah/core';
import type { tables } from '../db/schema.ts';
import { readGuidanceFacts } from '../graph-reads.ts';
import { catalogueFor, DEFAULT_CATALOGUE, PublicCatalogue, type CatalogueAnswer, type CatalogueSettings } from './catalogue.ts';
import { pageOf, readFunding, type CourseFacts, type FundingOptions, type GuidanceFacts } from './facts.ts';
import { rankCourses, type RankedCourse } from './rank.ts';
import { WEIGHT } from './reasons.ts';
import { sequencesTo, similarLearners } from './similar.ts';

/** How many courses other learners took next are read, without a goal. */
const SIMILAR_CANDIDATES = 15;
/** Courses asked per skill a credential proves, without a goal. */
const COURSES_PER_HELD_SKILL = 4;
/** Below a score this close to the funding weight, rounding could not change the order: kept in the funding window to be safe. */
const ROUNDING_MARGIN = 0.01;
/**
 * Courses whose funding is read with the learner's own facts, before ranking names its window: all the catalogue
 * names, up to what one coursesById read takes. A course the window holds outside them costs a second funding read,
 * longer than funding for more courses in the first.
 */
const EARLY_FUNDING_COURSES = 100;

export interface RecommendationRequest {
  learnerId: string;
  goal: { jobRoleId: string } | { pathwayId: string } | null;
  interests: string[];
  first: number;
}

export interface GuidanceOptions {
  /**
   * The graph as the public sees it (no token), for the catalogue shared by
   * every learner. Without it the public part is read as the learner and kept
   * for this request only.
   */
  publicGraph?: InternalGraph;
  /** How long, and how much of, the public catalogue is kept (GUIDANCE_CATALOGUE_* in config.ts). */
  catalogue?: CatalogueSettings;
}

/**
 * A learner's next courses, ranked with their reasons. Costs one graph read
 * as the learner whatever the answer's size — their own facts (credentials,
 * skills gap or progress) with the funding of the courses the public
 * catalogue already names as likely candidates (a second, only when the
 * courses that can still make the answer hold one outside those) — the public
 * catalogue's courses (kept for a short time, catalogue.ts), and two SQL
 * statements: what similar learners completed next from the learner's held
 * courses, and the same counts for the likely candidates beside the graph
 * read (a third, only for candidates the learner's facts add).
 *
 * Funding weighs at most WEIGHT.funding, so it is asked only for the courses
 * ranked on every other reason within that much of the last place of the
 * answer: no course outside that window could overtake one inside it, and the
 * answer is the one funding for every candidate would give (so funding read
 * for more courses than the window changes nothing).
 */
export async function recommendCourses(
  db: Database<typeof tables>,
  graph: InternalGraph,
  request: RecommendationRequest,
  options: GuidanceOptions = {},
): Promise<RankedCourse[]> {
  const { learnerId, goal, interests, first } = request;
  const catalogue = options.publicGraph ? catalogueFor(db, options.catalogue ?? DEFAULT_CATALOGUE) : new PublicCatalogue({ ttlMs: 0, maxEntries: Number.MAX_SAFE_INTEGER });
  const publicGraph = options.publicGraph ?? graph;
  const pathwayId = goal && 'pathwayId' in goal ? goal.pathwayId : undefined;
  const similarRead = similarLearners(db, learnerId);
  // A failed read must not leave the other's rejection unheard.
  similarRead.catch(() => {});
  // What the goal names, or the courses similar learners took next without one, is read beside the learner's own facts.
  const publicRead = goal
    ? catalogue.read(publicGraph, { skills: [], pathwayId, courseIds: [] })
    : similarRead.then((similar) => {
        const courseIds = [...similar.sequences].sort((a, b) => b.learners / b.holders - a.learners / a.holders).map((s) => s.nextCourseId);
        return catalogue.read(publicGraph, { skills: [], interests, courseIds: [...new Set(courseIds)].slice(0, SIMILAR_CANDIDATES) });
      });
  publicRead.catch(() => {});
  // The learner's own facts are read with the funding of the courses the catalogue names before those facts are known:
  // funding, which reads the learner back, is the longer path, so waiting for the names costs the answer nothing.
  const likely = likelyCandidates(catalogue, publicGraph, goal, publicRead, similarRead);
  const ownRead = likely.then((ids) => readGuidanceFacts(graph, { learnerId, ...goal }, [...new Set(ids)].slice(0, EARLY_FUNDING_COURSES)));
  ownRead.catch(() => {});
  // What learners holding the same courses went on to complete, for the likely candidates, while the learner's own facts are read.
  const likelySequences = Promise.all([similarRead, likely]).then(async ([similar, ids]) => {
    const known = new Set(similar.sequences.map((s) => s.nextCourseId));
    const asked = [...new Set(ids)].filter((id) => !known.has(id));
    return { held: similar.held, asked: new Set(asked), sequences: await sequencesTo(db, similar.held, asked) };
  });
  likelySequences.catch(() => {});
  const [similar, own, goalCatalogue] = await Promise.all([similarRead, ownRead, publicRead]);
  // Then the courses teaching what is missing (or, without a goal, what the learner's credentials prove).
  const skills = goal ? (own.jobRole?.gapFor?.missing ?? []).map((m) => m.skill.code) : own.credentials.flatMap((c) => c.skills.map((s) => s.code));
  const { skillCourses } = await catalogue.read(publicGraph, { skills, courseIds: [] });
  const teaching = (code: string, limit: number) => pageOf((skillCourses.get(code) ?? []).slice(0, limit));

  const facts: GuidanceFacts = {
    credentials: goal ? own.credentials : own.credentials.map((c) => ({ ...c, skills: c.skills.map((s) => ({ ...s, courses: teaching(s.code, COURSES_PER_HELD_SKILL) })) })),
    jobRole: own.jobRole && {
      id: own.jobRole.id,
      title: own.jobRole.title,
      gapFor: own.jobRole.gapFor && { missing: own.jobRole.gapFor.missing.map((m) => ({ ...m, skill: { ...m.skill, courses: teaching(m.skill.code, Number.MAX_SAFE_INTEGER) } })) },
    },
    pathway: own.pathway && goalCatalogue.pathway && { ...goalCatalogue.pathway, progress: own.pathway.progress },
    interestCourses: goalCatalogue.interestCourses,
    courses: [...goalCatalogue.courses.values()],
  };

  const held = [...new Set([...similar.held, ...facts.credentials.flatMap((c) => (c.course && c.status !== 'REVOKED' ? [c.course.id] : []))])];
  const candidates = new Set<string>();
  const add = (id: string) => candidates.add(id);
  for (const missing of facts.jobRole?.gapFor?.missing ?? []) missing.skill.courses.edges.forEach((e) => add(e.node.id));
  for (const stage of facts.pathway?.stages ?? []) [...stage.requiredCourses, ...stage.electiveCourses].forEach((c) => add(c.id));
  facts.interestCourses.forEach((c) => add(c.id));
  for (const credential of facts.credentials) for (const skill of credential.skills) skill.courses?.edges.forEach((e) => add(e.node.id));
  const known = new Set(similar.sequences.map((s) => s.nextCourseId));
  const early = await likelySequences;
  // Asked already from every held course, unless the learner's credentials name a course the guidance has not heard of yet.
  const heardOfAll = held.length === early.held.length;
  const unasked = [...candidates].filter((id) => !known.has(id) && !(heardOfAll && early.asked.has(id)));
  const sequences = [...similar.sequences, ...(heardOfAll ? early.sequences : []), ...(await sequencesTo(db, held, unasked))];

  const input = { heldCourseIds: held, sequences, interests };
  const unfunded = rankCourses({ ...input, facts, first: Number.MAX_SAFE_INTEGER });
  const last = unfunded[first - 1];
  const window = last ? unfunded.filter((r) => r.score >= last.score - WEIGHT.funding - ROUNDING_MARGIN) : unfunded;
  const late = window.map((r) => r.course.id).filter((id) => !own.funding.has(id));
  const funding = late.length > 0 ? new Map([...own.funding, ...(await readFunding(graph, learnerId, late))]) : own.funding;
  return rankCourses({ ...input, facts: withFunding(facts, funding), first });
}

/**
 * The published courses the public catalogue names for the goal before the
 * learner's own facts are read: those teaching a job role's required skills at
 * its levels (the skills gap can only name some of them), a pathway's stages;
 * without a goal, those teaching what the courses the learner completed teach
 * (as their credentials will say), what similar learners took next and the
 * learner's interests. Reading the held courses' skills here also keeps them
 * in the catalogue for when the credentials arrive. None when the catalogue
 * cannot say (an unknown job role is the learner read's to report).
 */
async function likelyCandidates(
  catalogue: PublicCatalogue,
  publicGraph: InternalGraph,
  goal: RecommendationRequest['goal'],
  publicRead: Promise<CatalogueAnswer>,
  similarRead: Promise<{ held: string[] }>,
): Promise<string[]> {
  const published = (courses: CourseFacts[]) => courses.filter((c) => c.status === 'PUBLISHED').map((c) => c.id);
  try {
    if (goal && 'jobRoleId' in goal) {
      const { jobRole } = await catalogue.read(publicGraph, { skills: [], jobRoleId: goal.jobRoleId, courseIds: [] });
      const required = jobRole?.requiredSkills ?? [];
      const { skillCourses } = await catalogue.read(publicGraph, { skills: required.map((r) => r.skill.code), courseIds: [] });
      return required.flatMap((r) => published((skillCourses.get(r.skill.code) ?? []).filter((c) => c.mqfLevel !== null && c.mqfLevel >= r.minimumLevel)));
    }
    if (goal) {
      const { pathway } = await publicRead;
      return published((pathway?.stages ?? []).flatMap((s) => [...s.requiredCourses, ...s.electiveCourses]));
    }
    const { held } = await similarRead;
    const heldSkills = catalogue
      .read(publicGraph, { skills: [], courseIds: held })
      .then(({ courses }) => catalogue.read(publicGraph, { skills: [...courses.values()].flatMap((c) => c.skills.map((s) => s.code)), courseIds: [] }));
    const [{ interestCourses, courses }, { skillCourses }] = await Promise.all([publicRead, heldSkills]);
    const teaching = [...skillCourses.values()].flatMap((page) => page.slice(0, COURSES_PER_HELD_SKILL));
    return published([...teaching, ...courses.values(), ...interestCourses]).filter((id) => !held.includes(id));
  } catch {
    return [];
  }
}

/** The facts with each course's funding where it was read (null elsewhere): copies, so the kept catalogue never changes. */
function withFunding(facts: GuidanceFacts, funding: Map<string, FundingOptions>): GuidanceFacts {
  const funded = (course: CourseFacts): CourseFacts => ({ ...course, fundingOptions: funding.get(course.id) ?? null });
  const page = (p: { edges: Array<{ node: CourseFacts }> }) => ({ edges: p.edges.map((e) => ({ node: funded(e.node) })) });
  return {
    credentials: facts.credentials.map((c) => ({ ...c, skills: c.skills.map((s) => (s.courses ? { ...s, courses: page(s.courses) } : s)) })),
    jobRole: facts.jobRole && {
      ...facts.jobRole,
      gapFor: facts.jobRole.gapFor && { missing: facts.jobRole.gapFor.missing.map((m) => ({ ...m, skill: { ...m.skill, courses: page(m.skill.courses) } })) },
    },
    pathway: facts.pathway && {
      ...facts.pathway,
      stages: facts.pathway.stages.map((s) => ({ ...s, requiredCourses: s.requiredCourses.map(funded), electiveCourses: s.electiveCourses.map(funded) })),
    },
    interestCourses: facts.interestCourses.map(funded),
    courses: facts.courses.map(funded),
  };
}
