import { bdse, courseId, providers } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providersService } from '../src/index.ts';

let graph: TestSubgraph<typeof providersService.tables>;

beforeAll(async () => {
  graph = await startTestSubgraph(providersService);
});
afterAll(() => graph?.stop());

const FIELDS = `id code apelThresholdPercent targetProgrammeCredits provider { slug }
  stages { position title minimumCredits exitAward exitJobRoleTitle requiredCourseIds electiveCourseIds requiredCourses { code } }`;
const CREATE = `mutation($input: PathwayInput!) { createPathway(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: PathwayInput!) { updatePathway(id: $id, input: $input) { ${FIELDS} } }`;

const ids = (...codes: string[]) => codes.map(courseId);
const aPathway = (overrides: Record<string, unknown> = {}) => ({
  code: 'BDSE-FT',
  title: 'Software Engineering (fast track)',
  description: 'Two stages for working adults.',
  targetProgramme: 'Bachelor of Software Engineering (Hons)',
  targetProgrammeCredits: 120,
  stages: [
    { title: 'Foundations', requiredCourseIds: ids('SE1101', 'SE1102'), exitAward: 'Professional Certificate in Programming Fundamentals' },
    {
      title: 'Electronics elective year',
      requiredCourseIds: ids('SE1201'),
      electiveCourseIds: ids('EE2101', 'EE2102', 'EE2103'),
      minimumCredits: 6,
      exitAward: 'Professional Certificate in Embedded Web',
      exitJobRoleTitle: 'Junior IoT Developer',
    },
  ],
  ...overrides,
});

async function refusedFields(query: string, variables: Record<string, unknown>) {
  const response = await graph.client.query(query, { as: 'PROVIDER_STAFF', variables });
  expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
  return (response.errors![0]!.extensions!.problems as Array<{ field: string }>).map((p) => p.field);
}

describe('defining a pathway', () => {
  it('stores the stages in the order given, with required and elective courses, and the default APEL.M threshold of 50%', async () => {
    const { createPathway } = await graph.client.ok(CREATE, { as: 'PROVIDER_STAFF', variables: { input: aPathway() } });
    expect(createPathway).toMatchObject({ code: 'BDSE-FT', apelThresholdPercent: 50, provider: { slug: 'utn' } });
    expect(createPathway.stages).toEqual([
      expect.objectContaining({ position: 1, minimumCredits: null, requiredCourseIds: ids('SE1101', 'SE1102'), electiveCourseIds: [] }),
      expect.objectContaining({ position: 2, minimumCredits: 6, exitJobRoleTitle: 'Junior IoT Developer', electiveCourseIds: ids('EE2101', 'EE2102', 'EE2103') }),
    ]);
    const listed = await graph.client.ok(`{ pathways(providerId: "${providers.odl.id}") { code } }`);
    expect(listed.pathways.map((p: { code: string }) => p.code)).toContain('BDSE-FT');
  });

  it('replaces the whole definition on update', async () => {
    const { createPathway } = await graph.client.ok(CREATE, { as: 'PARTNER', variables: { input: aPathway({ code: 'BDSE-PT' }) } });
    const input = aPathway({ code: 'BDSE-PT', apelThresholdPercent: 60, stages: [{ title: 'Only', requiredCourseIds: ids('SE2101'), exitAward: 'Certificate' }] });
    const { updatePathway } = await graph.client.ok(UPDATE, { as: 'PROVIDER_STAFF', variables: { id: createPathway.id, input } });
    expect(updatePathway).toMatchObject({ apelThresholdPercent: 60, stages: [{ position: 1, requiredCourses: [{ code: 'SE2101' }] }] });
  });

  it('answers CONFLICT for a code the provider already uses', async () => {
    expect(codesOf(await graph.client.query(CREATE, { as: 'PROVIDER_STAFF', variables: { input: aPathway({ code: 'BDSE' }) } }))).toEqual(['CONFLICT']);
  });
});

describe('refusing a broken pathway', () => {
  it('refuses references to unknown courses, naming each', async () => {
    const stages = [{ title: 'Ghost', requiredCourseIds: [courseId('SE1101'), '00000000-0000-4000-8000-000000000000'], exitAward: 'Nothing' }];
    expect(await refusedFields(CREATE, { input: aPathway({ code: 'GHOST', stages }) })).toEqual(['input.stages.0.requiredCourseIds.1']);
  });

  it('refuses a course that comes back in a later stage: a cycle', async () => {
    const stages = [
      { title: 'One', requiredCourseIds: ids('SE1101'), exitAward: 'A' },
      { title: 'Two', requiredCourseIds: ids('SE1102'), electiveCourseIds: ids('SE1101', 'SE2101'), minimumCredits: 5, exitAward: 'B' },
    ];
    const response = await graph.client.query(CREATE, { as: 'PROVIDER_STAFF', variables: { input: aPathway({ code: 'LOOP', stages }) } });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.problems).toEqual([
      { field: 'input.stages.1.electiveCourseIds.0', message: 'repeats the course at stages.0.requiredCourseIds.0: a pathway may not loop back to a course (cycle)' },
    ]);
  });

  it('refuses a stage with nothing to complete, electives without a minimum, and a minimum the electives cannot reach', async () => {
    const stages = [
      { title: 'Empty', exitAward: 'A' },
      { title: 'Loose', requiredCourseIds: ids('SE1101'), electiveCourseIds: ids('SE1102'), exitAward: 'B' },
      { title: 'Short', electiveCourseIds: ids('EE2101', 'EE2102'), minimumCredits: 7, exitAward: 'C' },
    ];
    expect(await refusedFields(CREATE, { input: aPathway({ code: 'BROKEN', stages }) })).toEqual(['input.stages.0.requiredCourseIds', 'input.stages.1.minimumCredits']);
    expect(await refusedFields(CREATE, { input: aPathway({ code: 'BROKEN', stages: [stages[2]] }) })).toEqual(['input.stages.0.minimumCredits']);
  });

  it('refuses bad programme figures and an empty pathway', async () => {
    const fields = await refusedFields(CREATE, { input: aPathway({ code: 'x', targetProgrammeCredits: 0, apelThresholdPercent: 101, stages: [] }) });
    expect(fields).toEqual(['input.code', 'input.targetProgrammeCredits', 'input.apelThresholdPercent', 'input.stages']);
  });
});

describe("the APEL.M threshold: never below MQA's minimum of half the programme's credits", () => {
  const problemsOf = async (query: string, variables: Record<string, unknown>) => {
    const response = await graph.client.query(query, { as: 'PROVIDER_STAFF', variables });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    return response.errors![0]!.extensions!.problems as Array<{ field: string; message: string }>;
  };

  it('refuses a threshold below 50% on creating and on updating, citing MQA, and keeps the pathway as it was', async () => {
    const mqa = [{ field: 'input.apelThresholdPercent', message: expect.stringMatching(/^must be at least 50: MQA's APEL\.M guidelines admit a learner with no less than 50% of the programme's credits/) }];
    expect(await problemsOf(CREATE, { input: aPathway({ code: 'LOW-BAR', apelThresholdPercent: 49 }) })).toEqual(mqa);
    expect(await problemsOf(CREATE, { input: aPathway({ code: 'LOW-BAR', apelThresholdPercent: 0 }) })).toEqual(mqa);
    expect(await problemsOf(UPDATE, { id: bdse.id, input: aPathway({ code: 'BDSE', apelThresholdPercent: 30 }) })).toEqual(mqa);
    expect((await graph.client.ok(`{ pathway(id: "${bdse.id}") { apelThresholdPercent stages { position } } }`)).pathway).toMatchObject({ apelThresholdPercent: 50, stages: { length: 7 } });
    expect((await graph.client.ok(`{ pathways { code } }`)).pathways.map((p: { code: string }) => p.code)).not.toContain('LOW-BAR');
  });

  it('accepts exactly 50% and up to 100%', async () => {
    for (const [code, percent] of [['AT-MIN', 50], ['AT-MAX', 100]] as const) {
      const { createPathway } = await graph.client.ok(CREATE, { as: 'PROVIDER_STAFF', variables: { input: aPathway({ code, apelThresholdPercent: percent }) } });
      expect(createPathway.apelThresholdPercent).toBe(percent);
    }
  });

  it('is guarded in the database too: a threshold below 50 cannot be written however it arrives', async () => {
    await expect(graph.connection.query(`update providers.pathway set apel_threshold_percent = 49 where id = $1`, [bdse.id])).rejects.toThrow(/pathway_apel_threshold_check/);
  });
});

describe('who defines pathways', () => {
  it("refuses another provider's staff and employers, and answers NOT_FOUND for an unknown pathway", async () => {
    const uasStaff = { role: 'PROVIDER_STAFF', sub: 'staff:uas:registrar', providerId: providers.publicUniversity.id } as const;
    expect(codesOf(await graph.client.query(UPDATE, { as: uasStaff, variables: { id: bdse.id, input: aPathway() } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(CREATE, { as: 'EMPLOYER', variables: { input: aPathway() } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(UPDATE, { as: 'ADMIN', variables: { id: '00000000-0000-4000-8000-000000000000', input: aPathway() } }))).toEqual(['NOT_FOUND']);
  });
});
