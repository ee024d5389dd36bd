import { demoId, employers, jobRoles } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { employersService } from '../src/index.ts';

let graph: TestSubgraph<typeof employersService.tables>;
const jobRole = (key: string) => jobRoles.find((role) => role.id === demoId(`job-role:${key}`))!;
const fullStack = jobRole('junior-full-stack');
const technician = jobRole('junior-electronic-technician');
const embeddedDraft = jobRole('embedded-engineer-draft');
const electronicsStaff = { role: 'EMPLOYER', sub: 'staff:elektronik:hr', employerId: employers.electronics.id } as const;
const softwarePartner = { role: 'PARTNER', sub: 'system:perisian-hr', employerId: employers.software.id } as const;

beforeAll(async () => {
  graph = await startTestSubgraph(employersService);
});
afterAll(() => graph?.stop());

const JOB_ROLES = `query($filter: JobRoleFilter, $first: Int, $after: String) {
  jobRoles(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id title employer { name } requiredSkills { skill { code } minimumLevel } } }
  }
}`;
const titlesOf = (data: Record<string, any>) => data.jobRoles.edges.map((e: { node: { title: string } }) => e.node.title);

describe('the public job role catalogue', () => {
  it('lists published job roles with their employer and required skills, never drafts', async () => {
    const data = await graph.client.ok(JOB_ROLES);
    expect(data.jobRoles.totalCount).toBe(2);
    expect(titlesOf(data)).toEqual([technician.title, fullStack.title]);
    expect(data.jobRoles.edges[1].node).toMatchObject({
      employer: { name: employers.software.name },
      requiredSkills: expect.arrayContaining([{ skill: { code: 'WEB-BACKEND' }, minimumLevel: 4 }]),
    });
  });

  it('hides a draft job role from outsiders as if it did not exist', async () => {
    const query = `{ jobRole(id: "${embeddedDraft.id}") { title published } }`;
    for (const who of [undefined, 'EMPLOYER', 'LEARNER', 'FUNDER'] as const) {
      expect(codesOf(await graph.client.query(query, { as: who }))).toEqual(['NOT_FOUND']);
    }
    expect(codesOf(await graph.client.query(`{ jobRole(id: "${demoId('job-role:nothing')}") { title } }`))).toEqual(['NOT_FOUND']);
  });

  it('shows a draft job role to its own employer and to administrators', async () => {
    const query = `{ jobRole(id: "${embeddedDraft.id}") { title published employer { name } } }`;
    const own = await graph.client.ok(query, { as: electronicsStaff });
    expect(own.jobRole).toEqual({ title: embeddedDraft.title, published: false, employer: { name: employers.electronics.name } });
    expect((await graph.client.ok(query, { as: 'ADMIN' })).jobRole.title).toBe(embeddedDraft.title);
  });

  it("lists an employer's drafts only to that employer", async () => {
    const query = `{ employer(id: "${employers.electronics.id}") { jobRoles { title } } }`;
    expect((await graph.client.ok(query)).employer.jobRoles).toEqual([{ title: technician.title }]);
    expect((await graph.client.ok(query, { as: 'EMPLOYER' })).employer.jobRoles).toEqual([{ title: technician.title }]);
    expect((await graph.client.ok(query, { as: electronicsStaff })).employer.jobRoles).toEqual([
      { title: embeddedDraft.title },
      { title: technician.title },
    ]);
  });

  it('keeps drafts out of the catalogue even for their own employer', async () => {
    const data = await graph.client.ok(JOB_ROLES, { as: electronicsStaff, variables: { filter: { employerId: employers.electronics.id } } });
    expect(titlesOf(data)).toEqual([technician.title]);
  });
});

describe('paging and filtering job roles', () => {
  it('pages with stable cursors and a total count', async () => {
    const first = await graph.client.ok(JOB_ROLES, { variables: { first: 1 } });
    expect(first.jobRoles).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    const second = await graph.client.ok(JOB_ROLES, { variables: { first: 1, after: first.jobRoles.pageInfo.endCursor } });
    expect(second.jobRoles).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: false } });
    expect([...titlesOf(first), ...titlesOf(second)]).toEqual([technician.title, fullStack.title]);
    const again = await graph.client.ok(JOB_ROLES, { variables: { first: 1, after: first.jobRoles.pageInfo.endCursor } });
    expect(again).toEqual(second);
  });

  it('answers an empty last page without a cursor', async () => {
    const all = await graph.client.ok(JOB_ROLES);
    const after = await graph.client.ok(JOB_ROLES, { variables: { after: all.jobRoles.pageInfo.endCursor } });
    expect(after.jobRoles).toEqual({ totalCount: 2, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
  });

  it.each([
    ['words, stemmed', { text: 'engineers' }, [fullStack.title]],
    ['an occupation code', { text: '3114' }, [technician.title]],
    ['a required skill', { skillCode: 'soldering' }, [technician.title]],
    ['an employer', { employerId: employers.software.id }, [fullStack.title]],
    ["the employer's state", { state: 'Pulau Pinang' }, [technician.title]],
    ['every condition at once', { text: 'technician', state: 'Selangor' }, []],
    ['a skill only a draft requires', { skillCode: 'EMBEDDED-C' }, []],
  ])('filters by %s', async (_what, filter, titles) => {
    const data = await graph.client.ok(JOB_ROLES, { variables: { filter } });
    expect(titlesOf(data)).toEqual(titles);
    expect(data.jobRoles.totalCount).toBe(titles.length);
  });

  it('lists every problem with a filter at once', async () => {
    const filter = { text: '  ', skillCode: 'web backend!', employerId: 'not-a-uuid', state: 'Atlantis' };
    const response = await graph.client.query(JOB_ROLES, { variables: { filter } });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    const fields = (response.errors?.[0]?.extensions?.problems as Array<{ field: string }>).map((p) => p.field);
    expect(fields.sort()).toEqual(['filter.employerId', 'filter.skillCode', 'filter.state', 'filter.text']);
  });

  it.each([
    ['a page size of 0', { first: 0 }, 'first'],
    ['a page size over 100', { first: 101 }, 'first'],
    ['a cursor that is not one', { after: 'bm9wZQ' }, 'after'],
    ['a cursor with a forged id', { after: Buffer.from(JSON.stringify(['A', 'x'])).toString('base64url') }, 'after'],
  ])('refuses %s', async (_what, variables, field) => {
    const response = await graph.client.query(JOB_ROLES, { variables });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0]?.extensions?.field).toBe(field);
  });

  it('refuses a malformed job role id', async () => {
    expect(codesOf(await graph.client.query(`{ jobRole(id: "42") { title } }`))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('employer profiles', () => {
  const PROFILE = (id: string) => `{ employer(id: "${id}") { name sector size state hrdCorpRegistered registrationNumber employeeCount } }`;

  it('shows the public the business facts behind a published job role, not the SSM number or headcount', async () => {
    const response = await graph.client.query(PROFILE(employers.software.id));
    expect(response.data?.employer).toEqual({
      name: employers.software.name,
      sector: employers.software.sector,
      size: 'MEDIUM',
      state: 'Selangor',
      hrdCorpRegistered: true,
      registrationNumber: null,
      employeeCount: null,
    });
    expect(codesOf(response)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(response.errors?.map((e) => e.path?.at(-1))).toEqual(['registrationNumber', 'employeeCount']);
  });

  it('shows the SSM number and headcount to its own staff, funders and administrators only', async () => {
    for (const who of ['EMPLOYER', softwarePartner, 'FUNDER', 'ADMIN'] as const) {
      const data = await graph.client.ok(PROFILE(employers.software.id), { as: who });
      expect(data.employer).toMatchObject({ registrationNumber: employers.software.registrationNumber, employeeCount: 120 });
    }
    for (const who of [electronicsStaff, 'LEARNER', 'PROVIDER_STAFF'] as const) {
      expect(codesOf(await graph.client.query(PROFILE(employers.software.id), { as: who }))).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    }
  });

  it('does not show the public an employer with no published job role, but shows it to anyone signed in', async () => {
    const query = `{ employer(id: "${employers.cafe.id}") { name hrdCorpRegistered } }`;
    expect(codesOf(await graph.client.query(query))).toEqual(['NOT_FOUND']);
    expect((await graph.client.ok(query, { as: 'LEARNER' })).employer).toEqual({ name: employers.cafe.name, hrdCorpRegistered: false });
  });

  it('answers NOT_FOUND for an unknown employer and BAD_USER_INPUT for a malformed id', async () => {
    expect(codesOf(await graph.client.query(`{ employer(id: "${demoId('employer:nobody')}") { name } }`, { as: 'ADMIN' }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await graph.client.query(`{ employer(id: "nope") { name } }`, { as: 'ADMIN' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('tells staff and partner systems which employer they act for', async () => {
    const query = `{ myEmployer { id registrationNumber } }`;
    expect((await graph.client.ok(query, { as: 'EMPLOYER' })).myEmployer.id).toBe(employers.software.id);
    expect((await graph.client.ok(query, { as: softwarePartner })).myEmployer.registrationNumber).toBe(employers.software.registrationNumber);
    // The demo PARTNER acts for a provider, not an employer.
    expect(codesOf(await graph.client.query(query, { as: 'PARTNER' }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(query, { as: 'LEARNER' }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(query))).toEqual(['UNAUTHENTICATED']);
  });
});
