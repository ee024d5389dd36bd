import { courseByCode } from '@tauliah/demo-data';
import { codesOf } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronicsStaff, softwarePartner, softwareStaff } from './talent.support.ts';

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const CREATE = `mutation($input: JobRoleInput!) { createJobRole(input: $input) { id title published employer { name } requiredSkills { skill { code name } minimumLevel } } }`;
const UPDATE = `mutation($id: ID!, $input: JobRoleInput!) { updateJobRole(id: $id, input: $input) { requiredSkills { skill { code } minimumLevel } } }`;
const PUBLISH = `mutation($id: ID!) { publishJobRole(id: $id) { published } }`;
const ROLE = `query($id: ID!) { jobRole(id: $id) { title requiredSkills { skill { code } } } }`;
const role = {
  title: 'Cloud Support Engineer',
  occupationCode: 'MASCO 2523',
  description: 'Keeps the customer platforms running.',
  requiredSkills: [
    { skillCode: 'cloud-devops', minimumLevel: 4 },
    { skillCode: 'DATABASES', minimumLevel: 5 },
  ],
};

describe('an employer writing its job roles', () => {
  it('creates a draft with skills from the taxonomy, rewrites it and publishes it for everyone', async () => {
    const created = (await graph.gateway.ok(CREATE, { as: softwareStaff, variables: { input: role } })).createJobRole;
    expect(created).toMatchObject({ title: role.title, published: false, employer: { name: 'Perisian Cemerlang Sdn Bhd' } });
    expect(created.requiredSkills).toEqual([
      { skill: { code: 'CLOUD-DEVOPS', name: expect.any(String) }, minimumLevel: 4 },
      { skill: { code: 'DATABASES', name: expect.any(String) }, minimumLevel: 5 },
    ]);
    expect(codesOf(await graph.gateway.query(ROLE, { variables: { id: created.id } }))).toEqual(['NOT_FOUND']);

    const input = { ...role, requiredSkills: [{ skillCode: 'SECURE-SE', minimumLevel: 6 }] };
    const updated = await graph.gateway.ok(UPDATE, { as: softwarePartner, variables: { id: created.id, input } });
    expect(updated.updateJobRole.requiredSkills).toEqual([{ skill: { code: 'SECURE-SE' }, minimumLevel: 6 }]);

    expect((await graph.gateway.ok(PUBLISH, { as: softwareStaff, variables: { id: created.id } })).publishJobRole.published).toBe(true);
    expect((await graph.gateway.ok(ROLE, { variables: { id: created.id } })).jobRole).toEqual({ title: role.title, requiredSkills: [{ skill: { code: 'SECURE-SE' } }] });
  });

  it('refuses a skill the taxonomy does not know, naming it', async () => {
    const input = { ...role, requiredSkills: [{ skillCode: 'UNDERWATER-WELDING', minimumLevel: 4 }, { skillCode: 'DATABASES', minimumLevel: 4 }] };
    const response = await graph.gateway.query(CREATE, { as: softwareStaff, variables: { input } });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toContain('UNDERWATER-WELDING');
    expect(response.errors![0]!.message).not.toContain('DATABASES');
  });

  it('refuses a retired skill, naming the skill that replaced it', async () => {
    const ADD = `mutation($input: AddSkillInput!) { addSkill(input: $input) { code } }`;
    const RETIRE = `mutation($code: String!, $successor: String!) { retireSkill(code: $code, successorCode: $successor) { code retiredAt } }`;
    await graph.gateway.ok(ADD, { as: 'ADMIN', variables: { input: { code: 'WEB-JQUERY', name: 'jQuery', description: 'DOM scripting with jQuery.' } } });
    const input = { ...role, requiredSkills: [{ skillCode: 'WEB-JQUERY', minimumLevel: 4 }] };
    // In use, a job role may require it ...
    await graph.gateway.ok(CREATE, { as: softwareStaff, variables: { input } });
    await graph.gateway.ok(RETIRE, { as: 'ADMIN', variables: { code: 'WEB-JQUERY', successor: 'WEB-FRONTEND' } });
    // ... retired, no new one does.
    const response = await graph.gateway.query(CREATE, { as: softwareStaff, variables: { input } });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toBe('input.requiredSkills: retired skill WEB-JQUERY (use WEB-FRONTEND): a job role requires skills in use.');
  });

  it("refuses to change another employer's role", async () => {
    const created = (await graph.gateway.ok(CREATE, { as: softwareStaff, variables: { input: role } })).createJobRole;
    expect(codesOf(await graph.gateway.query(UPDATE, { as: electronicsStaff, variables: { id: created.id, input: role } }))).toEqual(['NOT_FOUND']);
    await graph.gateway.ok(PUBLISH, { as: softwareStaff, variables: { id: created.id } });
    expect(codesOf(await graph.gateway.query(PUBLISH, { as: electronicsStaff, variables: { id: created.id } }))).toEqual(['FORBIDDEN']);
  });
});

describe('course endorsements', () => {
  const course = courseByCode.get('SE2201')!;
  const ENDORSE = `mutation($id: ID!) { endorseCourse(courseId: $id) { id code endorsements { employer { name } } } }`;
  const COURSE = `query($id: ID!) { course(id: $id) { title endorsements { employer { name } endorsedAt } } }`;

  it('shows on the course who recognises it; endorsing twice changes nothing; withdrawing removes it', async () => {
    const first = await graph.gateway.ok(ENDORSE, { as: softwareStaff, variables: { id: course.id } });
    expect(first.endorseCourse).toMatchObject({ id: course.id, code: course.code, endorsements: [{ employer: { name: 'Perisian Cemerlang Sdn Bhd' } }] });
    await graph.gateway.ok(ENDORSE, { as: softwarePartner, variables: { id: course.id } });
    const seen = await graph.gateway.ok(COURSE, { variables: { id: course.id } });
    expect(seen.course.endorsements).toHaveLength(1);
    expect(Date.parse(seen.course.endorsements[0].endorsedAt)).not.toBeNaN();

    await graph.gateway.ok(`mutation($id: ID!) { withdrawEndorsement(courseId: $id) { id } }`, { as: softwareStaff, variables: { id: course.id } });
    expect((await graph.gateway.ok(COURSE, { variables: { id: course.id } })).course.endorsements).toEqual([]);
  });

  it('refuses an unknown course, and anyone who does not act for an employer', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(codesOf(await graph.gateway.query(ENDORSE, { as: softwareStaff, variables: { id: unknown } }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await graph.gateway.query(ENDORSE, { as: 'LEARNER', variables: { id: course.id } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(ENDORSE, { variables: { id: course.id } }))).toEqual(['UNAUTHENTICATED']);
  });
});
