import { readOnce, type InternalGraph } from '@tauliah/core';
import type { CourseFacts, PathwayStageFacts } from './facts.ts';

/*
 * The public part of what recommendations are made of: the published courses
 * teaching a skill, a pathway's stages with their courses, the catalogue's
 * courses for a set of interests, courses by id. It is the same for every
 * viewer, so it is read AS THE PUBLIC (no token: providers answers what it
 * shows anyone, never a draft or an unpublished pathway) and kept in the
 * learners process for a short time (GUIDANCE_CATALOGUE_TTL_SECONDS; a
 * published change reaches recommendations that much later), at most
 * GUIDANCE_CATALOGUE_MAX_ENTRIES entries (the oldest go first). Nothing of a
 * viewer is ever read into it: what is the learner's own (credentials, skills
 * gap, progress, funding) is read as the learner for each request (facts.ts).
 */

/** Courses kept per skill: enough for COURSES_PER_SKILL and COURSES_PER_HELD_SKILL, first by code. */
export const COURSES_PER_SKILL = 5;
/** Courses asked for the learner's interests together. */
export const INTEREST_COURSES = 30;

const COURSE_FACTS = 'id code title status mqfLevel credits feeSen skills { code name }';

export interface PublicPathway {
  id: string;
  code: string;
  title: string;
  stages: PathwayStageFacts[];
}

/** A published job role's required skills, as anyone may read them: what a learner's skills gap can name. */
export interface PublicJobRole {
  id: string;
  requiredSkills: Array<{ minimumLevel: number; skill: { code: string } }>;
}

export interface CatalogueSettings {
  ttlMs: number;
  maxEntries: number;
}

export const DEFAULT_CATALOGUE: CatalogueSettings = { ttlMs: 30_000, maxEntries: 5_000 };

type Entry =
  | { kind: 'skill'; value: CourseFacts[] }
  | { kind: 'pathway'; value: PublicPathway }
  | { kind: 'jobRole'; value: PublicJobRole }
  | { kind: 'interests'; value: CourseFacts[] } | { kind: 'course'; value: CourseFacts | null };
type Kind = Entry['kind'];
type ValueOf<K extends Kind> = Extract<Entry, { kind: K }>['value'];

/** What one request asks of the catalogue. */
export interface CatalogueQuestion {
  skills: string[];
  pathwayId?: string;
  jobRoleId?: string;
  interests?: string[];
  courseIds: string[];
}

export interface CatalogueAnswer {
  skillCourses: Map<string, CourseFacts[]>;
  pathway: PublicPathway | null;
  jobRole: PublicJobRole | null;
  interestCourses: CourseFacts[];
  courses: Map<string, CourseFacts>;
}

/**
 * The public catalogue as the guidance keeps it. Entries are immutable once
 * stored (ranking copies what it changes); a read for several missing entries
 * is one graph request; a question already being read is not read twice.
 */
export class PublicCatalogue {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly settings: CatalogueSettings = DEFAULT_CATALOGUE,
    private readonly now: () => number = Date.now,
  ) {}

  /** How many entries it holds (for tests and operators). */
  get size(): number {
    return this.entries.size;
  }

  /** Drops every entry. */
  clear(): void {
    this.entries.clear();
  }

  /** Whether a skill's courses, a pathway, an interest set or a course is kept now. */
  holds(kind: Kind, key: string): boolean {
    const entry = this.entries.get(`${kind}:${key}`);
    return !!entry && this.now() - entry.at < this.settings.ttlMs;
  }

  /** Reads what is not kept through `publicGraph`, the graph as the public sees it: never a viewer's. */
  async read(publicGraph: InternalGraph, question: CatalogueQuestion): Promise<CatalogueAnswer> {
    const interestKey = question.interests && question.interests.length > 0 ? question.interests.join(',') : null;
    const wanted: Array<{ kind: Kind; key: string; arg: string }> = [
      ...[...new Set(question.skills)].map((code) => ({ kind: 'skill' as const, key: code, arg: code })),
      ...(question.pathwayId ? [{ kind: 'pathway' as const, key: question.pathwayId, arg: question.pathwayId }] : []),
      ...(question.jobRoleId ? [{ kind: 'jobRole' as const, key: question.jobRoleId, arg: question.jobRoleId }] : []),
      ...(interestKey ? [{ kind: 'interests' as const, key: interestKey, arg: interestKey }] : []),
      ...[...new Set(question.courseIds)].map((id) => ({ kind: 'course' as const, key: id, arg: id })),
    ];
    // This read's own handles on its entries: what it stores may be evicted by the bound before it is awaited.
    const values = new Map<string, Promise<unknown>>();
    const missing = wanted.filter((w) => {
      const entry = this.entries.get(`${w.kind}:${w.key}`);
      if (entry && this.now() - entry.at < this.settings.ttlMs) values.set(`${w.kind}:${w.key}`, entry.value);
      return !values.has(`${w.kind}:${w.key}`);
    });
    if (missing.length > 0) {
      const read = readPublic(publicGraph, missing, question.interests ?? []);
      for (const [i, m] of missing.entries()) {
        // A job role comes with the courses teaching its skills, kept as those skills' entries: the candidates it names in one read.
        const value = m.kind === 'jobRole' ? read.then((answer) => this.keepSkillsOf(answer[i] as PublicJobRoleWithCourses | null)) : read.then((answer) => answer[i]);
        // A failed read is not kept: the next request asks again.
        value.catch(() => {
          if (this.entries.get(`${m.kind}:${m.key}`)?.value === value) this.entries.delete(`${m.kind}:${m.key}`);
        });
        values.set(`${m.kind}:${m.key}`, value);
        this.store(`${m.kind}:${m.key}`, value);
      }
    }
    const get = <K extends Kind>(kind: K, key: string) => values.get(`${kind}:${key}`)! as Promise<ValueOf<K>>;
    const [skillPages, pathway, jobRole, interestCourses, courses] = await Promise.all([
      Promise.all([...new Set(question.skills)].map(async (code) => [code, await get('skill', code)] as const)),
      question.pathwayId ? get('pathway', question.pathwayId) : null,
      question.jobRoleId ? get('jobRole', question.jobRoleId) : null,
      interestKey ? get('interests', interestKey) : [],
      Promise.all([...new Set(question.courseIds)].map((id) => get('course', id))),
    ]);
    return {
      skillCourses: new Map(skillPages),
      pathway,
      jobRole,
      interestCourses,
      courses: new Map(courses.filter((c): c is CourseFacts => c !== null).map((c) => [c.id, c])),
    };
  }

  /** Keeps the courses teaching each of a job role's skills, where not kept already, and answers the role without them. */
  private keepSkillsOf(role: PublicJobRoleWithCourses | null): PublicJobRole | null {
    if (!role) return null;
    for (const { skill } of role.requiredSkills) {
      if (!this.holds('skill', skill.code)) this.store(`skill:${skill.code}`, Promise.resolve(nodes(skill)));
    }
    return { id: role.id, requiredSkills: role.requiredSkills.map((r) => ({ minimumLevel: r.minimumLevel, skill: { code: r.skill.code } })) };
  }

  private store(key: string, value: Promise<unknown>): void {
    this.entries.delete(key);
    this.entries.set(key, { at: this.now(), value });
    // Oldest first (Map keeps insertion order): the bound holds whatever the mix of questions.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.settings.maxEntries) break;
      this.entries.delete(oldest);
    }
  }
}

type PublicAnswer = Record<string, unknown>;

/**
 * One public document for every missing entry. An unknown or unpublished
 * pathway or job role is the owner's NOT_FOUND, passed on (the learner could
 * not read it either); a course the public cannot see (a draft) is simply absent.
 */
async function readPublic(graph: InternalGraph, missing: Array<{ kind: Kind; arg: string }>, interests: string[]): Promise<unknown[]> {
  const variables: Record<string, unknown> = {};
  const declarations: string[] = [];
  const parts: string[] = [];
  const courseIds = missing.filter((m) => m.kind === 'course').map((m) => m.arg);
  missing.forEach((m, i) => {
    if (m.kind === 'skill') {
      variables[`s${i}`] = m.arg;
      declarations.push(`$s${i}: String!`);
      parts.push(`s${i}: skill(code: $s${i}) { courses(first: ${COURSES_PER_SKILL}) { edges { node { ...Course } } } }`);
    } else if (m.kind === 'pathway') {
      variables.pathwayId = m.arg;
      declarations.push('$pathwayId: ID!');
      parts.push('pathway(id: $pathwayId) { id code title stages { position title exitAward minimumCredits requiredCourses { ...Course } electiveCourses { ...Course } } }');
    } else if (m.kind === 'jobRole') {
      variables.jobRoleId = m.arg;
      declarations.push('$jobRoleId: ID!');
      parts.push(`jobRole(id: $jobRoleId) { id requiredSkills { minimumLevel skill { code courses(first: ${COURSES_PER_SKILL}) { edges { node { ...Course } } } } } }`);
    } else if (m.kind === 'interests') {
      variables.interests = interests;
      declarations.push('$interests: [String!]!');
      parts.push(`interestCourses: courses(filter: { skillCodes: $interests }, first: ${INTEREST_COURSES}) { edges { node { ...Course } } }`);
    }
  });
  if (courseIds.length > 0) {
    variables.courseIds = courseIds;
    declarations.push('$courseIds: [ID!]!');
    parts.push('coursesById(ids: $courseIds) { ...Course }');
  }
  const data = await readOnce<PublicAnswer>(
    graph,
    'the published courses and pathways recommendations are made of',
    // Every part names courses by the fragment.
    `query PublicCatalogue(${declarations.join(', ')}) { ${parts.join(' ')} } fragment Course on Course { ${COURSE_FACTS} }`,
    variables,
  );
  const byId = new Map(((data.coursesById as CourseFacts[] | undefined) ?? []).map((c) => [c.id, c]));
  return missing.map((m, i) => {
    if (m.kind === 'skill') return nodes(data[`s${i}`] as { courses: Page } | null);
    if (m.kind === 'pathway') return data.pathway;
    if (m.kind === 'jobRole') return data.jobRole;
    if (m.kind === 'interests') return nodes({ courses: data.interestCourses as Page });
    return byId.get(m.arg) ?? null;
  });
}

interface Page {
  edges: Array<{ node: CourseFacts }>;
}

/** A job role as the catalogue reads it: each required skill with the courses teaching it. */
type PublicJobRoleWithCourses = { id: string; requiredSkills: Array<{ minimumLevel: number; skill: { code: string; courses: Page } }> };

const nodes = (skill: { courses: Page } | null): CourseFacts[] => skill?.courses.edges.map((e) => e.node) ?? [];

/** One catalogue per running service (its database handle): two graphs in one process (tests) never share one. */
const catalogues = new WeakMap<object, PublicCatalogue>();

export function catalogueFor(owner: object, settings: CatalogueSettings): PublicCatalogue {
  let catalogue = catalogues.get(owner);
  if (!catalogue) {
    catalogue = new PublicCatalogue(settings);
    catalogues.set(owner, catalogue);
  }
  return catalogue;
}

/** The catalogue's settings from the service's configuration (config.ts). */
export const catalogueSettings = (config: { GUIDANCE_CATALOGUE_TTL_SECONDS: number; GUIDANCE_CATALOGUE_MAX_ENTRIES: number }): CatalogueSettings => ({
  ttlMs: config.GUIDANCE_CATALOGUE_TTL_SECONDS * 1000,
  maxEntries: config.GUIDANCE_CATALOGUE_MAX_ENTRIES,
});
