import { employers, providers } from '@tauliah/demo-data';
import { codesOf, type GraphQLResponse } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TALENT } from './talent.support.ts';

let graph: TestGraph;
/** How long services other than employers trust a confirmed staff account here (30 s by default; shorter so the test sees it end). */
const STAFF_CHECK_TTL_MS = 4_000;

beforeAll(async () => {
  graph = await startTestGraph({ settings: { STAFF_CHECK_TTL_MS: String(STAFF_CHECK_TTL_MS) } });
});
afterAll(() => graph?.stop());

const ADD = `mutation($input: EmployerStaffInput!) { addEmployerStaff(input: $input) { subject role } }`;
const REMOVE = `mutation($subject: String!) { removeEmployerStaff(subject: $subject) { subject } }`;
const MY_EMPLOYER = `{ myEmployer { name } }`;
const search = { skills: ['WEB-BACKEND'] };
const person = (sub: string, employerId = employers.software.id) => ({ role: 'EMPLOYER', sub, employerId }) as const;
const newStaff = (subject: string, kind = 'PERSON') => ({ subject, name: 'Lim Wei Jie', email: 'weijie.lim@perisian.example.my', kind, role: 'STAFF' });

/** The whole refusal as the partner developer sees it through the gateway: the reason and the remedy, nothing internal. */
function expectRefused(response: GraphQLResponse, subject: string, employerId = employers.software.id) {
  expect(response.status).toBe(200);
  expect(codesOf(response)).toEqual(['FORBIDDEN']);
  const [error] = response.errors!;
  expect(error!.message).toBe(
    `The token's subject "${subject}" is not a staff account of employer ${employerId}; an admin of that employer can add it with addEmployerStaff.`,
  );
  expect(error!.extensions).toEqual({ code: 'FORBIDDEN' });
  expect(JSON.stringify(response)).not.toMatch(/Context creation|stack|serviceName|employers\.staff_account|http:\/\//);
}

describe('acting for an employer through the graph', () => {
  it('refuses a token whose subject is not a staff account, in talent search and in the employers service', async () => {
    const stranger = person('staff:perisian:stranger');
    expectRefused(await graph.gateway.query(TALENT, { as: stranger, variables: search }), stranger.sub);
    expectRefused(await graph.gateway.query(MY_EMPLOYER, { as: stranger }), stranger.sub);
    // Asked directly, each subgraph refuses it too.
    expectRefused(await graph.subgraph.credentials.query(TALENT, { as: stranger, variables: search }), stranger.sub);
    expectRefused(await graph.subgraph.employers.query(MY_EMPLOYER, { as: stranger }), stranger.sub);
    // A staff account of Perisian Cemerlang does not act for another employer.
    const borrowed = person('staff:perisian:hr', employers.electronics.id);
    expectRefused(await graph.gateway.query(TALENT, { as: borrowed, variables: search }), borrowed.sub, employers.electronics.id);
  });

  it('lets demo staff, people and partner systems, search talent', async () => {
    for (const who of ['EMPLOYER', person('staff:perisian:hr'), { role: 'PARTNER', sub: 'system:perisian-hr', employerId: employers.software.id }] as const) {
      expect((await graph.gateway.ok(TALENT, { as: who, variables: search })).talentSearch.totalCount, JSON.stringify(who)).toBeGreaterThan(0);
    }
  });

  it('does not remember a refusal: an account added by an admin works at once in every service', async () => {
    const newcomer = person('staff:perisian:newcomer');
    expectRefused(await graph.gateway.query(TALENT, { as: newcomer, variables: search }), newcomer.sub);
    await graph.gateway.ok(ADD, { as: 'EMPLOYER', variables: { input: newStaff(newcomer.sub) } });
    expect((await graph.gateway.ok(TALENT, { as: newcomer, variables: search })).talentSearch.totalCount).toBeGreaterThan(0);
    expect((await graph.gateway.ok(MY_EMPLOYER, { as: newcomer })).myEmployer.name).toBe(employers.software.name);
  });

  it('ends a removed account at once in employers, and in other services once their confirmed answer expires', async () => {
    const leaver = person('staff:perisian:leaver');
    await graph.gateway.ok(ADD, { as: 'EMPLOYER', variables: { input: newStaff(leaver.sub) } });
    const confirmedAt = Date.now();
    expect((await graph.gateway.ok(TALENT, { as: leaver, variables: search })).talentSearch.totalCount).toBeGreaterThan(0);

    await graph.gateway.ok(REMOVE, { as: 'EMPLOYER', variables: { subject: leaver.sub } });
    expectRefused(await graph.gateway.query(MY_EMPLOYER, { as: leaver }), leaver.sub);
    // Credentials confirmed the account a moment ago and reuses that answer until it expires, then asks again and is refused.
    let refusedAfterMs = 0;
    while (refusedAfterMs === 0) {
      const response = await graph.gateway.query(TALENT, { as: leaver, variables: search });
      const elapsed = Date.now() - confirmedAt;
      if (response.errors) {
        expectRefused(response, leaver.sub);
        refusedAfterMs = elapsed;
      } else {
        expect(elapsed, 'admitted after the confirmed answer expired').toBeLessThan(STAFF_CHECK_TTL_MS + 2_000);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    expect(refusedAfterMs).toBeGreaterThanOrEqual(STAFF_CHECK_TTL_MS);
  });

  it('leaves tokens that do not act for an employer alone', async () => {
    expect(codesOf(await graph.gateway.query(TALENT, { as: 'FUNDER', variables: search }))).toEqual(['FORBIDDEN']);
    expect((await graph.gateway.ok(`{ me { fullName } }`, { as: 'LEARNER' })).me.fullName).toBeTruthy();
    // A partner system acting for a provider.
    expect((await graph.gateway.ok(`{ provider(id: "${providers.odl.id}") { name } }`, { as: 'PARTNER' })).provider.name).toBe(providers.odl.name);
  });
});
