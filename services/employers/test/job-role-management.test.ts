import { demoId, employers, jobRoles } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courseEndorsement } from '../src/db/schema.ts';
import { employersService } from '../src/index.ts';

let graph: TestSubgraph<typeof employersService.tables>;
const embeddedDraft = jobRoles.find((role) => role.id === demoId('job-role:embedded-engineer-draft'))!;
const electronicsStaff = { role: 'EMPLOYER', sub: 'staff:elektronik:hr', employerId: employers.electronics.id } as const;
const softwareStaff = { role: 'EMPLOYER', sub: 'staff:perisian:hr', employerId: employers.software.id } as const;
const course = demoId('course:SE1101');

beforeAll(async () => {
  graph = await startTestSubgraph(employersService);
});
afterAll(() => graph?.stop());

const CREATE = `mutation($input: JobRoleInput!) { createJobRole(input: $input) { id } }`;
const UPDATE = `mutation($id: ID!, $input: JobRoleInput!) { updateJobRole(id: $id, input: $input) { id } }`;
const PUBLISH = `mutation($id: ID!) { publishJobRole(id: $id) { id published } }`;
const input = (over: Record<string, unknown> = {}) => ({
  title: 'Data Analyst',
  occupationCode: 'MASCO 2120',
  description: 'Builds reports from the plant data.',
  requiredSkills: [{ skillCode: 'DATABASES', minimumLevel: 4 }],
  ...over,
});

describe('writing job roles', () => {
  it('is for employer staff and partner systems acting for an employer only', async () => {
    for (const who of ['LEARNER', 'FUNDER', 'PROVIDER_STAFF', 'ADMIN'] as const) {
      expect(codesOf(await graph.client.query(CREATE, { as: who, variables: { input: input() } }))).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await graph.client.query(CREATE, { variables: { input: input() } }))).toEqual(['UNAUTHENTICATED']);
  });

  it('lists every problem of a bad job role: levels outside 1–8, no skills, a repeated skill, a malformed code', async () => {
    const bad = [
      input({ requiredSkills: [{ skillCode: 'DATABASES', minimumLevel: 9 }] }),
      input({ requiredSkills: [{ skillCode: 'DATABASES', minimumLevel: 0 }] }),
      input({ requiredSkills: [] }),
      input({ requiredSkills: [{ skillCode: 'DATABASES', minimumLevel: 4 }, { skillCode: 'databases', minimumLevel: 5 }] }),
      input({ requiredSkills: [{ skillCode: 'not a code!', minimumLevel: 4 }] }),
      input({ title: '  ', occupationCode: '2120' }),
    ];
    for (const variables of bad) {
      const response = await graph.client.query(CREATE, { as: electronicsStaff, variables: { input: variables } });
      expect(codesOf(response), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
    }
    const both = await graph.client.query(CREATE, { as: electronicsStaff, variables: { input: input({ title: '', occupationCode: 'x' }) } });
    expect(JSON.stringify(both.errors)).toMatch(/title[\s\S]*occupationCode|occupationCode[\s\S]*title/);
  });

  it("hides another employer's draft and refuses to change its published roles", async () => {
    const draft = await graph.client.query(UPDATE, { as: softwareStaff, variables: { id: embeddedDraft.id, input: input() } });
    expect(codesOf(draft)).toEqual(['NOT_FOUND']);
    const published = demoId('job-role:junior-electronic-technician');
    expect(codesOf(await graph.client.query(PUBLISH, { as: softwareStaff, variables: { id: published } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(PUBLISH, { as: softwareStaff, variables: { id: 'nope' } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('publishes its own draft, after which the public sees it', async () => {
    const query = `{ jobRole(id: "${embeddedDraft.id}") { title } }`;
    expect(codesOf(await graph.client.query(query))).toEqual(['NOT_FOUND']);
    const data = await graph.client.ok(PUBLISH, { as: electronicsStaff, variables: { id: embeddedDraft.id } });
    expect(data.publishJobRole).toEqual({ id: embeddedDraft.id, published: true });
    expect((await graph.client.ok(query)).jobRole.title).toBe(embeddedDraft.title);
    await graph.client.ok(`mutation($id: ID!) { publishJobRole(id: $id, published: false) { id } }`, { as: electronicsStaff, variables: { id: embeddedDraft.id } });
    expect(codesOf(await graph.client.query(query))).toEqual(['NOT_FOUND']);
  });
});

describe('course endorsements', () => {
  const ENDORSEMENTS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Course { id endorsements { employer { name } endorsedAt } } } }`;
  const reps = { reps: [{ __typename: 'Course', id: course }] };

  it('shows who recognises a course; the public only employers with a published job role', async () => {
    await graph.db.insert(courseEndorsement).values([
      { employerId: employers.software.id, courseId: course, createdAt: new Date('2026-01-02T00:00:00Z') },
      { employerId: employers.electronics.id, courseId: course, createdAt: new Date('2026-01-01T00:00:00Z') },
    ]).onConflictDoNothing();
    const signedIn = await graph.client.ok(ENDORSEMENTS, { as: 'LEARNER', variables: reps });
    expect(signedIn._entities[0].endorsements.map((e: { employer: { name: string } }) => e.employer.name)).toEqual([employers.software.name, employers.electronics.name]);
    const anyone = await graph.client.ok(ENDORSEMENTS, { variables: reps });
    expect(anyone._entities[0].endorsements.length).toBeGreaterThan(0);
  });

  it('withdraws only an endorsement that exists, and only for the caller’s own employer', async () => {
    const WITHDRAW = `mutation($id: ID!) { withdrawEndorsement(courseId: $id) { id } }`;
    expect(codesOf(await graph.client.query(WITHDRAW, { as: 'LEARNER', variables: { id: course } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(WITHDRAW, { as: softwareStaff, variables: { id: 'x' } }))).toEqual(['BAD_USER_INPUT']);
    expect((await graph.client.ok(WITHDRAW, { as: softwareStaff, variables: { id: course } })).withdrawEndorsement.id).toBe(course);
    expect(codesOf(await graph.client.query(WITHDRAW, { as: softwareStaff, variables: { id: course } }))).toEqual(['NOT_FOUND']);
    const left = await graph.client.ok(ENDORSEMENTS, { as: 'LEARNER', variables: reps });
    expect(left._entities[0].endorsements.map((e: { employer: { name: string } }) => e.employer.name)).toEqual([employers.electronics.name]);
  });
});
