import { demoId, employers, jobRoles } from '@tauliah/demo-data';
import { startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { employersService } from '../src/index.ts';

let graph: TestSubgraph<typeof employersService.tables>;
const { employer, employment, jobRole, jobRoleSkill } = employersService.tables;
const bulkEmployerId = demoId('employer:bulk');
const bulkRoleId = (i: number) => demoId(`job-role:bulk:${i}`);
const bulkLearnerId = (i: number) => demoId(`learner:bulk:${i}`);
const draft = jobRoles.find((r) => !r.published)!;
const published = jobRoles.find((r) => r.published)!;

beforeAll(async () => {
  graph = await startTestSubgraph(employersService);
  // A hundred published roles, two required skills each, and a hundred employees, for one more employer.
  await graph.db.insert(employer).values({
    id: bulkEmployerId,
    registrationNumber: '202401099999 (1555555-X)',
    name: 'Syarikat Pukal Sdn Bhd',
    sector: 'Manufacturing',
    size: 'LARGE',
    employeeCount: 400,
    state: 'Kedah',
    hrdCorpRegistered: true,
  });
  const indexes = Array.from({ length: 100 }, (_, i) => i);
  await graph.db.insert(jobRole).values(
    indexes.map((i) => ({ id: bulkRoleId(i), employerId: bulkEmployerId, title: `Operator ${String(i).padStart(3, '0')}`, occupationCode: 'MASCO 8189', description: 'Runs a production line.', published: true })),
  );
  await graph.db.insert(jobRoleSkill).values(
    indexes.flatMap((i) => ['SOLDERING', 'ELEC-SAFETY'].map((skillCode) => ({ jobRoleId: bulkRoleId(i), skillCode, minimumLevel: 3 }))),
  );
  await graph.db.insert(employment).values(
    indexes.map((i) => ({ learnerId: bulkLearnerId(i), employerId: bulkEmployerId, jobTitle: 'Operator', since: '2024-01-01', confirmedByLearner: true })),
  );
});
afterAll(() => graph?.stop());

/** The SQL statements one request costs. */
const statementsFor = async (run: () => Promise<unknown>) => (await graph.statementsDuring(run)).statements;

const representations = (typename: string, ids: string[]) => ids.map((id) => ({ __typename: typename, id }));

describe('_entities', () => {
  it('resolves a batch of employers and job roles in order, null for unknown, malformed or hidden ones', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Employer { name } ... on JobRole { title } } }`;
    const r = [
      ...representations('Employer', [employers.software.id, 'not-a-uuid', demoId('employer:nobody'), employers.cafe.id]),
      ...representations('JobRole', [published.id, draft.id]),
    ];
    const publicView = await graph.client.ok(query, { variables: { r } });
    expect(publicView._entities).toEqual([{ name: employers.software.name }, null, null, null, { title: published.title }, null]);
    const admin = await graph.client.ok(query, { as: 'ADMIN', variables: { r } });
    expect(admin._entities).toEqual([{ name: employers.software.name }, null, null, { name: employers.cafe.name }, { title: published.title }, { title: draft.title }]);
  });
});

describe('statements per request do not grow with the result', () => {
  const JOB_ROLES = `query($first: Int) {
    jobRoles(first: $first, filter: { state: "Kedah" }) { totalCount edges { node { title employer { name registrationNumber jobRoles { id } } requiredSkills { skill { code } } } } }
  }`;

  it('pages 10 or 100 job roles with their employers and skills in the same number of statements', async () => {
    const small = await statementsFor(async () => {
      const data = await graph.client.ok(JOB_ROLES, { as: 'FUNDER', variables: { first: 10 } });
      expect(data.jobRoles.edges).toHaveLength(10);
    });
    const large = await statementsFor(async () => {
      const data = await graph.client.ok(JOB_ROLES, { as: 'FUNDER', variables: { first: 100 } });
      expect(data.jobRoles.edges).toHaveLength(100);
      expect(data.jobRoles.edges[99].node.requiredSkills).toHaveLength(2);
    });
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(5);
  });

  it("reads a job-role page's required skills in the page's own statement, as each role's own list gives them", async () => {
    type Roles = { jobRoles: { edges: Array<{ node: { id: string; requiredSkills: unknown[] } }> } };
    const query = `{ jobRoles(first: 100) { edges { node { id requiredSkills { skill { code } minimumLevel } } } } }`;
    expect(await statementsFor(() => graph.client.ok(query))).toBe(1);
    const { jobRoles } = await graph.client.ok<Roles>(query);
    expect(jobRoles.edges.some((edge) => edge.node.requiredSkills.length > 1)).toBe(true);
    for (const { node } of jobRoles.edges.slice(0, 20)) {
      const { jobRole } = await graph.client.ok<{ jobRole: { requiredSkills: unknown[] } }>('query($id: ID!) { jobRole(id: $id) { requiredSkills { skill { code } minimumLevel } } }', { variables: { id: node.id } });
      expect(node.requiredSkills).toEqual(jobRole.requiredSkills);
    }
  });

  it('counts the matching job roles only when totalCount is selected', async () => {
    const page = (selection: string) => `{ jobRoles(first: 100, filter: { state: "Kedah" }) { edges { node { title } } ${selection} } }`;
    const without = await statementsFor(() => graph.client.ok(page('')));
    expect(await statementsFor(() => graph.client.ok(page('totalCount')))).toBe(without + 1);
    expect(await statementsFor(() => graph.client.ok(page('... on JobRoleConnection { totalCount }')))).toBe(without + 1);
    const data = await graph.client.ok(page('totalCount'));
    expect(data.jobRoles.totalCount).toBe(data.jobRoles.edges.length);
    expect(data.jobRoles.totalCount).toBeGreaterThan(10);
  });

  it('resolves 10 or 100 job role references (public, with employers and skills) in the same number of statements', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on JobRole { title employer { name } requiredSkills { minimumLevel } } } }`;
    const ids = Array.from({ length: 100 }, (_, i) => bulkRoleId(i));
    const small = await statementsFor(() => graph.client.ok(query, { variables: { r: representations('JobRole', ids.slice(0, 10)) } }));
    const large = await statementsFor(() => graph.client.ok(query, { variables: { r: representations('JobRole', ids) } }));
    expect(large).toBe(small);
  });

  it("reads 10 or 100 learners' employment and current employer in the same number of statements", async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Learner { employment { jobTitle employer { name } } currentEmployer { name } } } }`;
    const ids = Array.from({ length: 100 }, (_, i) => bulkLearnerId(i));
    const small = await statementsFor(() => graph.client.ok(query, { as: 'ADMIN', variables: { r: representations('Learner', ids.slice(0, 10)) } }));
    let answer: Record<string, any> = {};
    const large = await statementsFor(async () => {
      answer = await graph.client.ok(query, { as: 'ADMIN', variables: { r: representations('Learner', ids) } });
    });
    expect(large).toBe(small);
    expect(answer._entities[99]).toEqual({ employment: [{ jobTitle: 'Operator', employer: { name: 'Syarikat Pukal Sdn Bhd' } }], currentEmployer: { name: 'Syarikat Pukal Sdn Bhd' } });
  });

  it('resolves 10 or 100 public employer references in the same number of statements', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Employer { name jobRoles { title } } } }`;
    const ids = [bulkEmployerId, employers.software.id, employers.electronics.id, employers.cafe.id];
    const many = Array.from({ length: 100 }, (_, i) => ids[i % ids.length]!);
    const small = await statementsFor(() => graph.client.ok(query, { variables: { r: representations('Employer', many.slice(0, 10)) } }));
    let answer: Record<string, any> = {};
    const large = await statementsFor(async () => {
      answer = await graph.client.ok(query, { variables: { r: representations('Employer', many) } });
    });
    expect(large).toBe(small);
    // The café has no published job role, so the public does not see it.
    expect(answer._entities.filter((e: unknown) => e === null)).toHaveLength(25);
  });
});
