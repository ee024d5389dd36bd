import { createInternalGraph, createLogger, type InternalGraph } from '@tauliah/core';
import { courseByCode, demoId, jobRoles } from '@tauliah/demo-data';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PublicCatalogue } from '../src/guidance/catalogue.ts';

/*
 * The public catalogue recommendations share between learners: read as the
 * public, so nothing a viewer may see beyond it (a draft course, an
 * unpublished pathway or job role) can ever be kept and shown to another.
 */

let graph: TestGraph;
let publicGraph: InternalGraph;
const staff = 'PROVIDER_STAFF' as const;
const SE2102 = courseByCode.get('SE2102')!;
let draftCourseId: string;
let draftPathwayId: string;

beforeAll(async () => {
  graph = await startTestGraph();
  publicGraph = createInternalGraph({ url: () => graph.gateway.url, authorization: undefined, requestId: 'catalogue-test', log: createLogger({ level: 'silent' }) });
  const course = {
    code: 'SE9901',
    title: 'Software Architecture (draft)',
    description: 'Not yet in the catalogue.',
    credits: SE2102.credits,
    notionalHours: SE2102.credits! * 40,
    mqfLevel: SE2102.mqfLevel,
    learningOutcomes: ['Document the architecture of a system.'],
    skillCodes: ['SW-DESIGN'],
    feeSen: 100_000,
    deliveryMode: 'ONLINE',
    accreditation: 'MQA_ACCREDITED',
    assessment: 'Portfolio',
  };
  draftCourseId = (await graph.gateway.ok(`mutation($input: CourseInput!) { createCourse(input: $input) { id } }`, { as: staff, variables: { input: course } })).createCourse.id;
  const pathway = {
    code: 'BDSE-DRAFT',
    title: 'Software Engineering (draft)',
    description: 'Not yet published.',
    targetProgramme: 'Bachelor of Software Engineering (Hons)',
    targetProgrammeCredits: 120,
    apelThresholdPercent: 50,
    stages: [{ title: 'Programming', requiredCourseIds: [courseByCode.get('SE1101')!.id, draftCourseId], exitAward: 'Professional Certificate in Programming' }],
  };
  draftPathwayId = (await graph.gateway.ok(`mutation($input: PathwayInput!) { createPathway(input: $input) { id } }`, { as: staff, variables: { input: pathway } })).createPathway.id;
});
afterAll(() => graph?.stop());

describe('the public catalogue recommendations are made of', () => {
  it('keeps the published courses teaching a skill, and never a draft one, even its provider could read', async () => {
    // Its provider's staff sees the draft: a read as a viewer could have let it in.
    const asStaff = await graph.gateway.ok(`query($id: ID!) { coursesById(ids: [$id]) { id status } }`, { as: staff, variables: { id: draftCourseId } });
    expect(asStaff.coursesById).toEqual([{ id: draftCourseId, status: 'DRAFT' }]);
    const catalogue = new PublicCatalogue({ ttlMs: 60_000, maxEntries: 100 });
    const answer = await catalogue.read(publicGraph, { skills: ['SW-DESIGN'], courseIds: [draftCourseId, SE2102.id] });
    const kept = answer.skillCourses.get('SW-DESIGN')!;
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((c) => c.status === 'PUBLISHED')).toBe(true);
    expect(kept.map((c) => c.id)).not.toContain(draftCourseId);
    expect([...answer.courses.keys()]).toEqual([SE2102.id]);
    expect(catalogue.holds('skill', 'SW-DESIGN')).toBe(true);
    // Asked again, the draft is still absent: what was kept is what the public saw.
    expect((await catalogue.read(publicGraph, { skills: [], courseIds: [draftCourseId] })).courses.size).toBe(0);
  });

  it("keeps a pathway's stages without the draft course its provider named in them; an unknown pathway is NOT_FOUND and nothing is kept", async () => {
    const catalogue = new PublicCatalogue({ ttlMs: 60_000, maxEntries: 100 });
    const asStaff = await graph.gateway.ok(`query($id: ID!) { pathway(id: $id) { stages { requiredCourses { id } } } }`, { as: staff, variables: { id: draftPathwayId } });
    expect(asStaff.pathway.stages[0].requiredCourses.map((c: { id: string }) => c.id)).toContain(draftCourseId);
    const { pathway } = await catalogue.read(publicGraph, { skills: [], pathwayId: draftPathwayId, courseIds: [] });
    expect(pathway!.stages[0]!.requiredCourses.map((c) => c.id)).toEqual([courseByCode.get('SE1101')!.id]);
    const unknown = randomUUID();
    await expect(catalogue.read(publicGraph, { skills: [], pathwayId: unknown, courseIds: [] })).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(catalogue.holds('pathway', unknown)).toBe(false);
    expect(catalogue.holds('pathway', draftPathwayId)).toBe(true);
  });

  it('keeps nothing of an unpublished job role: a learner asking about one is NOT_FOUND and the catalogue is unchanged', async () => {
    const learner = await graph.tokens.tokenFor({ role: 'LEARNER', sub: demoId('learner:nurul') });
    const response = await graph.gateway.query(`query($goal: RecommendationGoalInput) { me { recommendations(goal: $goal) { rank } } }`, {
      token: learner,
      variables: { goal: { jobRoleId: demoId('job-role:embedded-engineer-draft') } },
    });
    // The catalogue keeps courses and pathways only: a job role, published or not, is read as the learner for each request.
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it("keeps a published job role with the courses teaching each skill it requires, from one read: asked next, those skills need none", async () => {
    const role = jobRoles.find((r) => r.published)!;
    let reads = 0;
    const counting: InternalGraph = { query: (query, variables) => ((reads += 1), publicGraph.query(query, variables)) };
    const catalogue = new PublicCatalogue({ ttlMs: 60_000, maxEntries: 100 });
    const { jobRole } = await catalogue.read(counting, { skills: [], jobRoleId: role.id, courseIds: [] });
    const codes = jobRole!.requiredSkills.map((r) => r.skill.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(reads).toBe(1);
    expect(codes.every((code) => catalogue.holds('skill', code))).toBe(true);
    const kept = await catalogue.read(counting, { skills: codes, courseIds: [] });
    expect(reads).toBe(1);
    // The same courses a skill's own read keeps: published ones only.
    const fresh = await new PublicCatalogue({ ttlMs: 60_000, maxEntries: 100 }).read(publicGraph, { skills: codes, courseIds: [] });
    expect(kept.skillCourses).toEqual(fresh.skillCourses);
    expect([...kept.skillCourses.values()].flat().every((c) => c.status === 'PUBLISHED')).toBe(true);
  });

  it('serves what it keeps for its time only, then reads again; and keeps no more entries than it may', async () => {
    let now = 0;
    const catalogue = new PublicCatalogue({ ttlMs: 30_000, maxEntries: 2 }, () => now);
    await catalogue.read(publicGraph, { skills: ['SW-DESIGN', 'DATABASES'], courseIds: [] });
    expect(catalogue.holds('skill', 'DATABASES')).toBe(true);
    now = 30_000;
    expect(catalogue.holds('skill', 'DATABASES')).toBe(false);
    await catalogue.read(publicGraph, { skills: ['DATABASES', 'WEB-BACKEND', 'WEB-FRONTEND'], courseIds: [] });
    expect(catalogue.size).toBe(2);
    expect(catalogue.holds('skill', 'WEB-FRONTEND')).toBe(true);
  });
});
