import { bdse, demoId, employers, learnerByKey, schemes } from '@tauliah/demo-data';
import { codesOf } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let graph: TestGraph;
const faizal = learnerByKey('faizal');
const aisyah = learnerByKey('aisyah');

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

describe('one graph across five services', () => {
  it('answers one query that touches all five subgraphs', async () => {
    const data = await graph.gateway.ok(
      `{
        me {
          fullName                                   # learners
          currentEmployer { name hrdCorpRegistered } # employers
          credentials {                              # credentials
            title status
            course { code mqfLevel provider { name } } # providers
          }
        }
        scheme(id: "${schemes.hrdCorpMicroCredential.id}") { name funder { name } }  # funding
      }`,
      { as: { role: 'LEARNER', sub: faizal.id } },
    );
    expect(data.me.fullName).toBe(faizal.fullName);
    expect(data.me.currentEmployer).toEqual({ name: employers.software.name, hrdCorpRegistered: true });
    expect(data.me.credentials).toEqual([
      { title: 'Introduction to Programming', status: 'ACTIVE', course: { code: 'CS1010', mqfLevel: 4, provider: { name: 'Universiti Awam Selangor' } } },
    ]);
    expect(data.scheme).toEqual({ name: schemes.hrdCorpMicroCredential.name, funder: { name: 'HRD Corp' } });
  });

  it('shows the demo learner partway through BDSE with her credentials, and the exit awards of the three stages they complete', async () => {
    const data = await graph.gateway.ok(`{ me { credentials { title course { code } award { stagePosition } } } }`, { as: 'LEARNER' });
    const held: Array<{ title: string; course: { code: string } | null; award: { stagePosition: number } | null }> = data.me.credentials;
    expect(held.flatMap((c) => (c.course ? [c.course.code] : []))).toEqual(['SE1101', 'SE1102', 'SE1201', 'SE1202', 'SE1301', 'SE1302', 'SE2101']);
    expect(held.flatMap((c) => (c.award ? [[c.award.stagePosition, c.title]] : [])).sort()).toEqual([
      [1, bdse.stages[0]!.exitAward],
      [2, bdse.stages[1]!.exitAward],
      [3, bdse.stages[2]!.exitAward],
    ]);
  });
});

describe('authorisation through the gateway', () => {
  it('does not let a learner read another learner or their credentials', async () => {
    const response = await graph.gateway.query(
      `{ learner(id: "${faizal.id}") { fullName dateOfBirth credentials { id } } }`,
      { as: 'LEARNER' },
    );
    expect(response.data?.learner).toEqual({ fullName: null, dateOfBirth: null, credentials: [] });
    expect(codesOf(response)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });

  it('never shows an employer a learner\'s date of birth, even with consent to the profile', async () => {
    const response = await graph.gateway.query(`{ learner(id: "${faizal.id}") { fullName dateOfBirth } }`, { as: 'EMPLOYER' });
    expect(response.data?.learner).toEqual({ fullName: faizal.fullName, dateOfBirth: null });
    expect(codesOf(response)).toEqual(['FORBIDDEN']);
  });

  it('lets the public browse the catalogue but nothing about learners', async () => {
    const catalogue = await graph.gateway.ok(`{ courses(first: 3) { totalCount edges { node { code title } } } }`);
    expect(catalogue.courses.totalCount).toBeGreaterThan(30);
    const learner = await graph.gateway.query(`{ learner(id: "${aisyah.id}") { id } }`);
    expect(codesOf(learner)).toEqual(['UNAUTHENTICATED']);
  });

  it('gives nothing private to a caller who goes around the gateway to a subgraph without a token', async () => {
    const profile = await graph.subgraph.learners.query(`{ learner(id: "${aisyah.id}") { fullName email dateOfBirth } }`);
    expect(codesOf(profile)).toEqual(['UNAUTHENTICATED']);
    // Representations carry @requires data only the gateway may vouch for, so _entities is the gateway's alone.
    for (const [service, selection] of [
      ['learners', 'fullName email dateOfBirth nricMasked'],
      ['credentials', 'credentials { id title }'],
      ['employers', 'currentEmployer { name }'],
    ] as const) {
      const response = await graph.subgraph[service].query(
        `{ _entities(representations: [{ __typename: "Learner", id: "${faizal.id}" }]) { ... on Learner { ${selection} } } }`,
      );
      expect(codesOf(response)).toEqual(['FORBIDDEN']);
      expect(response.data ?? null).toBeNull();
    }
  });

  it('still refuses _entities from a signed-in caller who is not the gateway', async () => {
    const response = await graph.subgraph.credentials.query(
      `{ _entities(representations: [{ __typename: "Learner", id: "${aisyah.id}" }]) { ... on Learner { credentials { id } } } }`,
      { as: 'ADMIN' },
    );
    expect(codesOf(response)).toEqual(['FORBIDDEN']);
    expect(response.errors?.[0]?.message).toMatch(/gateway/);
  });

  it('refuses a token signed by someone else at the gateway', async () => {
    const good = await graph.tokens.tokenFor('ADMIN');
    const [header, payload] = good.split('.');
    const response = await graph.gateway.query(`{ me { id } }`, { token: `${header}.${payload}.${'A'.repeat(86)}` });
    expect(response.status).toBe(401);
    expect(codesOf(response)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('cost does not grow with the result', () => {
  it('runs the same number of SQL statements for 10 and for 100 learners\' credentials', async () => {
    const extra = Array.from({ length: 100 }, (_, i) => demoId(`bulk-learner:${i}`));
    await graph.connection.query(
      `insert into learners.learner (id, full_name, email, date_of_birth, citizenship, registered_by_subject)
       select id, 'Bulk learner ' || n, 'bulk' || n || '@learner.example.my', date '2004-01-01', 'NON_CITIZEN', 'test'
       from unnest($1::uuid[]) with ordinality as t(id, n)`,
      [extra],
    );
    await graph.connection.query(
      `insert into credentials.credential (holder_id, course_id, issuer_id, title, credits, mqf_level, issued_at, visibility)
       select id, $2::uuid, $3::uuid, 'Programming with Python', 5, 4, now() - interval '1 day', 'EMPLOYERS'
       from unnest($1::uuid[]) as t(id)`,
      [extra, demoId('course:SE1101'), demoId('provider:odl')],
    );
    await graph.connection.query(
      `insert into credentials.credential_skill (credential_id, skill_code) select id, 'PROG-FUND' from credentials.credential where holder_id = any($1::uuid[])`,
      [extra],
    );
    const query = `query($ids: [ID!]!) { learners(ids: $ids) { id fullName credentials { id title skills { code } course { title provider { name } } } } }`;
    const statementsFor = async (ids: string[]) => {
      const { statements, result: data } = await graph.statementsDuring(() => graph.gateway.ok(query, { as: 'ADMIN', variables: { ids } }));
      expect(data.learners).toHaveLength(ids.length);
      expect(data.learners.every((l: { credentials: unknown[] }) => l.credentials.length === 1)).toBe(true);
      return statements;
    };
    const ten = await statementsFor(extra.slice(0, 10));
    const hundred = await statementsFor(extra);
    expect(hundred).toBe(ten);
    expect(ten).toBeLessThanOrEqual(8);
  });
});

