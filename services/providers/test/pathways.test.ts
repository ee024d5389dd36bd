import { bdse, bdseCourses, btel, btelEssentialCourses, btelFurtherCourses, demoId, providers, skills } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providersService } from '../src/index.ts';

let graph: TestSubgraph<typeof providersService.tables>;

beforeAll(async () => {
  graph = await startTestSubgraph(providersService);
});
afterAll(() => graph?.stop());

const PATHWAY = `query($id: ID!) { pathway(id: $id) {
  code targetProgramme targetProgrammeCredits apelThresholdPercent provider { slug }
  stages { position title minimumCredits exitAward exitJobRoleTitle requiredCourses { code credits } electiveCourses { code credits } }
} }`;

interface Stage {
  position: number;
  minimumCredits: number | null;
  exitJobRoleTitle: string | null;
  requiredCourses: Array<{ code: string; credits: number }>;
  electiveCourses: Array<{ code: string; credits: number }>;
}

describe('stackable pathways', () => {
  it('stacks BDSE in seven ordered stages, exiting as a Junior Full-Stack Software Engineer after the third', async () => {
    const { pathway } = await graph.client.ok(PATHWAY, { variables: { id: bdse.id } });
    expect(pathway).toMatchObject({
      code: 'BDSE',
      targetProgramme: 'Bachelor of Software Engineering (Hons)',
      targetProgrammeCredits: 120,
      apelThresholdPercent: 50,
      provider: { slug: 'utn' },
    });
    const stages = pathway.stages as Stage[];
    expect(stages.map((s) => s.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(stages[2]!.exitJobRoleTitle).toBe('Junior Full-Stack Software Engineer');
    expect(stages.map((s) => s.requiredCourses.map((c) => c.code))).toEqual(bdseCourses.map((courses) => courses.map((c) => c.code)));
    expect(stages.every((s) => s.electiveCourses.length === 0 && s.minimumCredits === null)).toBe(true);
  });

  it('stacks BTEL as seven essentials over two stages, then 42 credits from fourteen electives', async () => {
    const { pathway } = await graph.client.ok(PATHWAY, { variables: { id: btel.id } });
    const stages = pathway.stages as Stage[];
    expect(stages.map((s) => s.position)).toEqual([1, 2, 3]);
    const essentials = [...stages[0]!.requiredCourses, ...stages[1]!.requiredCourses].map((c) => c.code);
    expect(essentials).toEqual(btelEssentialCourses.map((c) => c.code));
    expect(stages[1]!.exitJobRoleTitle).toBe('Junior Electronic Technician');
    expect(stages[2]).toMatchObject({ minimumCredits: 42, requiredCourses: [] });
    expect(stages[2]!.electiveCourses.map((c) => c.code)).toEqual(btelFurtherCourses.map((c) => c.code));
    expect(stages[2]!.electiveCourses.reduce((sum, c) => sum + c.credits, 0)).toBe(42);
  });

  it("lists a provider's pathways, and all of them", async () => {
    const own = await graph.client.ok(`{ pathways(providerId: "${providers.odl.id}") { code } }`);
    expect(own.pathways).toEqual([{ code: 'BDSE' }, { code: 'BTEL' }]);
    const none = await graph.client.ok(`{ pathways(providerId: "${providers.trainingProvider.id}") { code } }`);
    expect(none.pathways).toEqual([]);
    const all = await graph.client.ok(`{ pathways { code } provider(id: "${providers.odl.id}") { pathways { code } } }`);
    expect(all.pathways).toEqual([{ code: 'BDSE' }, { code: 'BTEL' }]);
    expect(all.provider.pathways).toEqual(all.pathways);
  });

  it('answers NOT_FOUND for an unknown pathway and BAD_USER_INPUT for a malformed id', async () => {
    expect(codesOf(await graph.client.query(PATHWAY, { variables: { id: demoId('pathway:nowhere') } }))).toEqual(['NOT_FOUND']);
    const malformed = await graph.client.query(PATHWAY, { variables: { id: 'BDSE' } });
    expect(codesOf(malformed)).toEqual(['BAD_USER_INPUT']);
    expect(malformed.errors?.[0]?.extensions?.problems).toEqual([{ field: 'id', message: 'must be a pathway id (a UUID)' }]);
    expect(codesOf(await graph.client.query(`{ pathways(providerId: "utn") { code } }`))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('providers', () => {
  it('describes each issuer with its registrations and standing', async () => {
    const data = await graph.client.ok(`{ providers { slug kind mqaRegistration hrdCorpRegistration inGoodStanding } }`);
    expect(data.providers).toEqual([
      { slug: 'akt', kind: 'TRAINING_PROVIDER', mqaRegistration: null, hrdCorpRegistration: 'HRDC-TP-204417', inGoodStanding: true },
      { slug: 'uas', kind: 'PUBLIC_UNIVERSITY', mqaRegistration: 'MQA-DU012', hrdCorpRegistration: null, inGoodStanding: true },
      { slug: 'utn', kind: 'ODL_UNIVERSITY', mqaRegistration: 'MQA-DU041', hrdCorpRegistration: 'HRDC-TP-100231', inGoodStanding: true },
    ]);
  });

  it("pages through one provider's published courses", async () => {
    const query = `query($after: String) { provider(id: "${providers.odl.id}") { name courses(first: 30, after: $after) {
      totalCount edges { node { code } } pageInfo { hasNextPage endCursor } } } }`;
    const first = await graph.client.ok(query);
    expect(first.provider.courses.totalCount).toBe(35);
    expect(first.provider.courses.edges).toHaveLength(30);
    const rest = await graph.client.ok(query, { variables: { after: first.provider.courses.pageInfo.endCursor } });
    expect(rest.provider.courses.edges).toHaveLength(5);
    expect(rest.provider.courses.pageInfo.hasNextPage).toBe(false);
  });

  it('answers NOT_FOUND for an unknown provider', async () => {
    expect(codesOf(await graph.client.query(`{ provider(id: "${demoId('provider:nobody')}") { name } }`))).toEqual(['NOT_FOUND']);
  });
});

describe('the skills taxonomy', () => {
  it('lists every skill by code and the published courses teaching one', async () => {
    const data = await graph.client.ok(`{ skills { code } skill(code: "PCB-DESIGN") { name courses { totalCount edges { node { code provider { slug } } } } } }`);
    expect(data.skills.map((s: { code: string }) => s.code)).toEqual(skills.map((s) => s.code).sort());
    expect(data.skill.name).toBe('PCB design');
    expect(data.skill.courses.edges).toEqual([
      { node: { code: 'AKT-PCB', provider: { slug: 'akt' } } },
      { node: { code: 'EE2103', provider: { slug: 'utn' } } },
    ]);
  });

  it('answers NOT_FOUND for an unknown skill and BAD_USER_INPUT for a malformed code', async () => {
    expect(codesOf(await graph.client.query(`{ skill(code: "UNDERWATER-WELDING") { name } }`))).toEqual(['NOT_FOUND']);
    expect(codesOf(await graph.client.query(`{ skill(code: "") { name } }`))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await graph.client.query(`{ skill(code: "PCB-DESIGN") { courses(first: 500) { totalCount } } }`))).toEqual(['BAD_USER_INPUT']);
  });
});
