import { demoId, providers } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { course, courseSkill } from '../src/db/schema.ts';
import { providersService } from '../src/index.ts';

let graph: TestSubgraph<typeof providersService.tables>;
const draftId = demoId('course:SE9901-draft');
const otherProviderStaff = { role: 'PROVIDER_STAFF', sub: 'staff:uas:registrar', providerId: providers.publicUniversity.id } as const;

beforeAll(async () => {
  graph = await startTestSubgraph(providersService);
  await graph.db.insert(course).values({
    id: draftId,
    providerId: providers.odl.id,
    code: 'SE9901',
    title: 'Quantum Software Engineering',
    description: 'Not yet approved by senate.',
    credits: 5,
    notionalHours: 200,
    mqfLevel: 4,
    learningOutcomes: ['Explain qubits.'],
    feeSen: 120_000,
    deliveryMode: 'ONLINE',
    accreditation: 'MQA_PROVISIONAL',
    assessment: 'Project',
    status: 'DRAFT',
  });
  await graph.db.insert(courseSkill).values({ courseId: draftId, skillCode: 'PROG-FUND', position: 0 });
});
afterAll(() => graph?.stop());

const COURSE = `{ course(id: "${draftId}") { code status provider { slug } } }`;
const SEARCH = `{ courses(filter: { text: "Quantum", statuses: [DRAFT, PUBLISHED] }) { totalCount edges { node { code } } } }`;
const PROVIDER_COURSES = `{ provider(id: "${providers.odl.id}") { courses(first: 100) { totalCount edges { node { code } } } } }`;
const SKILL_COURSES = `{ skill(code: "PROG-FUND") { courses { edges { node { code } } } } }`;
const ENTITY = `{ _entities(representations: [{ __typename: "Course", id: "${draftId}" }]) { ... on Course { code } } }`;

const codes = (connection: { edges: Array<{ node: { code: string } }> }) => connection.edges.map((e) => e.node.code);

describe('draft courses', () => {
  it('are hidden from the public everywhere a course can be reached', async () => {
    const byId = await graph.client.query(COURSE);
    expect(codesOf(byId)).toEqual(['NOT_FOUND']);
    expect((await graph.client.ok(SEARCH)).courses.totalCount).toBe(0);
    expect(codes((await graph.client.ok(PROVIDER_COURSES)).provider.courses)).not.toContain('SE9901');
    expect(codes((await graph.client.ok(SKILL_COURSES)).skill.courses)).not.toContain('SE9901');
    expect((await graph.client.ok(ENTITY))._entities).toEqual([null]);
  });

  it("are hidden from other providers' staff and from learners and employers", async () => {
    for (const who of [otherProviderStaff, 'LEARNER', 'EMPLOYER'] as const) {
      expect(codesOf(await graph.client.query(COURSE, { as: who }))).toEqual(['NOT_FOUND']);
      expect((await graph.client.ok(SEARCH, { as: who })).courses.totalCount).toBe(0);
    }
  });

  it("are visible to the provider's own staff and partner system", async () => {
    for (const who of ['PROVIDER_STAFF', 'PARTNER'] as const) {
      expect((await graph.client.ok(COURSE, { as: who })).course).toEqual({ code: 'SE9901', status: 'DRAFT', provider: { slug: 'utn' } });
      expect(codes((await graph.client.ok(SEARCH, { as: who })).courses)).toEqual(['SE9901']);
      const own = (await graph.client.ok(PROVIDER_COURSES, { as: who })).provider.courses;
      expect(own.totalCount).toBe(36);
      expect(codes(own)).toContain('SE9901');
      expect((await graph.client.ok(ENTITY, { as: who }))._entities).toEqual([{ code: 'SE9901' }]);
    }
  });

  it('stay out of the default catalogue and skill listings even for their own staff', async () => {
    const catalogue = await graph.client.ok(`{ courses(filter: { text: "Quantum" }) { totalCount } }`, { as: 'PROVIDER_STAFF' });
    expect(catalogue.courses.totalCount).toBe(0);
    expect(codes((await graph.client.ok(SKILL_COURSES, { as: 'PROVIDER_STAFF' })).skill.courses)).not.toContain('SE9901');
  });

  it('are visible to administrators', async () => {
    expect((await graph.client.ok(COURSE, { as: 'ADMIN' })).course.status).toBe('DRAFT');
    expect((await graph.client.ok(SEARCH, { as: 'ADMIN' })).courses.totalCount).toBe(1);
  });
});
