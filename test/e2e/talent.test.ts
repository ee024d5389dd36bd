import { courseByCode, credentials as demoCredentials, learnerByKey } from '@tauliah/demo-data';
import { codesOf } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronicsStaff, issue, learnerToken, odlStaff, softwarePartner, softwareStaff, TALENT, talentIds, type TalentEdge } from './talent.support.ts';

let graph: TestGraph;
const daniel = learnerByKey('daniel');
const farah = learnerByKey('farah');
const kumar = learnerByKey('kumar');
const zainab = learnerByKey('zainab');
const arjun = learnerByKey('arjun');
const course = (code: string) => courseByCode.get(code)!.id;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const REVOKE = `mutation($id: ID!) { revokeCredential(id: $id, reason: "Assessment misconduct") { status } }`;
const VISIBILITY = `mutation($id: ID!, $v: CredentialVisibility!) { setCredentialVisibility(id: $id, visibility: $v) { visibility } }`;

describe('who may search talent', () => {
  it('is for employer staff and partner systems acting for an employer', async () => {
    const variables = { skills: ['WEB-BACKEND'] };
    expect((await graph.gateway.ok(TALENT, { as: softwarePartner, variables })).talentSearch.totalCount).toBeGreaterThan(0);
    for (const who of ['LEARNER', 'PROVIDER_STAFF', 'FUNDER', odlStaff] as const) {
      expect(codesOf(await graph.gateway.query(TALENT, { as: who, variables })), JSON.stringify(who)).toEqual(['FORBIDDEN']);
    }
    const providerPartner = { role: 'PARTNER', sub: 'system:odl-sms', providerId: odlStaff.providerId } as const;
    expect(codesOf(await graph.gateway.query(TALENT, { as: providerPartner, variables }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(TALENT, { variables }))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await graph.subgraph.credentials.query(TALENT, { variables }))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses bad searches with the reason: no skills, a level outside 1–8, an unknown state, a foreign cursor, a page too big', async () => {
    const bad = [
      { skills: [] },
      { skills: ['web backend!'] },
      { skills: ['WEB-BACKEND'], minLevel: 9 },
      { skills: ['WEB-BACKEND'], minLevel: 0 },
      { skills: ['WEB-BACKEND'], state: 'Atlantis' },
      { skills: ['WEB-BACKEND'], after: 'bm90IGEgY3Vyc29y' },
      { skills: ['WEB-BACKEND'], first: 101 },
    ];
    for (const variables of bad) {
      const response = await graph.gateway.query(TALENT, { as: softwareStaff, variables });
      expect(codesOf(response), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('what counts as a verified skill', () => {
  it('never matches a credential the learner keeps from employers, and matches it once shared', async () => {
    const id = await issue(graph, { learnerId: daniel.id, courseId: course('SE1202'), visibility: 'PRIVATE' });
    expect(await talentIds(graph, { skills: ['WEB-BACKEND'] })).not.toContain(daniel.id);
    // Arjun keeps all his BDSE credentials private: he never appears, whatever he holds.
    expect(await talentIds(graph, { skills: ['PROG-FUND'], match: 'ANY' })).not.toContain(arjun.id);

    await graph.gateway.ok(VISIBILITY, { as: learnerToken(daniel.id), variables: { id, v: 'EMPLOYERS' } });
    const data = await graph.gateway.ok(TALENT, { as: softwareStaff, variables: { skills: ['WEB-BACKEND'], first: 100 } });
    const found = data.talentSearch.edges.find((e: TalentEdge) => e.node.learner.id === daniel.id);
    expect(found.node).toMatchObject({ matchedSkills: [{ code: 'WEB-BACKEND' }], credentials: [{ id }], score: 1 });

    await graph.gateway.ok(VISIBILITY, { as: learnerToken(daniel.id), variables: { id, v: 'PRIVATE' } });
    expect(await talentIds(graph, { skills: ['WEB-BACKEND'] })).not.toContain(daniel.id);
    await graph.gateway.ok(VISIBILITY, { as: learnerToken(daniel.id), variables: { id, v: 'PUBLIC' } });
    expect(await talentIds(graph, { skills: ['WEB-BACKEND'] })).toContain(daniel.id);
  });

  it('stops matching a revoked credential at once', async () => {
    const id = await issue(graph, { learnerId: farah.id, courseId: course('SE2201'), visibility: 'EMPLOYERS' });
    expect(await talentIds(graph, { skills: ['CLOUD-DEVOPS'] })).toContain(farah.id);
    await graph.gateway.ok(REVOKE, { as: odlStaff, variables: { id } });
    expect(await talentIds(graph, { skills: ['CLOUD-DEVOPS'] })).not.toContain(farah.id);
  });

  it('stops matching a credential the moment it expires, and never matches a lapsed one', async () => {
    const expiresAt = new Date(Date.now() + 2_500).toISOString();
    await issue(graph, { learnerId: farah.id, courseId: course('SE2301'), visibility: 'EMPLOYERS', expiresAt });
    expect(await talentIds(graph, { skills: ['SW-TESTING'] })).toContain(farah.id);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 100));
    expect(await talentIds(graph, { skills: ['SW-TESTING'] })).not.toContain(farah.id);
    // The demo first-aid certificates lapsed in 2025.
    const firstAid = demoCredentials.filter((c) => c.courseId === course('AKT-FA'));
    expect(firstAid.length).toBeGreaterThan(0);
    expect(await talentIds(graph, { skills: ['FIRST-AID'] })).toEqual([]);
  });

  it('counts a renewal instead of the credential it replaces, never both', async () => {
    const old = await issue(graph, { learnerId: daniel.id, courseId: course('SE2401'), visibility: 'EMPLOYERS' });
    const renewed = await graph.gateway.ok(`mutation($id: ID!, $until: DateTimeISO!) { renewCredential(id: $id, validUntil: $until) { id } }`, {
      as: odlStaff,
      variables: { id: old, until: '2030-01-01T00:00:00Z' },
    });
    const data = await graph.gateway.ok(TALENT, { as: softwareStaff, variables: { skills: ['SECURE-SE'], first: 100 } });
    const found = data.talentSearch.edges.find((e: TalentEdge) => e.node.learner.id === daniel.id);
    expect(found.node.credentials).toEqual([{ id: renewed.renewCredential.id }]);
  });

  it("keeps matching what a suspended issuer issued before its suspension, and nothing of an issuer whose standing was lost at an unknown time", async () => {
    const before = await talentIds(graph, { skills: ['CIRCUITS'] });
    expect(before).toContain(kumar.id);
    const setStanding = (inGoodStanding: boolean, suspendedAt: string | null) =>
      graph.connection.query(`update credentials.issuer set in_good_standing = $2, suspended_at = $3 where provider_id = $1`, [odlStaff.providerId, inGoodStanding, suspendedAt]);
    try {
      // Suspended now: every credential it holds on record was issued before, in good standing.
      await setStanding(false, new Date().toISOString());
      expect(await talentIds(graph, { skills: ['CIRCUITS'] })).toEqual(before);
      // Suspended from before Kumar's credentials were issued (as if issued while suspended): they no longer count.
      await setStanding(false, '2000-01-01T00:00:00Z');
      expect(await talentIds(graph, { skills: ['CIRCUITS'] })).toEqual([]);
      await setStanding(false, null);
      expect(await talentIds(graph, { skills: ['CIRCUITS'] })).toEqual([]);
    } finally {
      await setStanding(true, null);
    }
  });
});

describe('ranking and filters', () => {
  it('ALL needs every skill; ANY needs one and ranks those who prove more first', async () => {
    await issue(graph, { learnerId: daniel.id, courseId: course('EE1103'), visibility: 'EMPLOYERS' });
    const skills = ['WEB-BACKEND', 'ELEC-SAFETY'];
    expect(await talentIds(graph, { skills, match: 'ALL' })).toEqual([daniel.id]);
    const any = await graph.gateway.ok(TALENT, { as: softwareStaff, variables: { skills, match: 'ANY', first: 100 } });
    const edges: TalentEdge[] = any.talentSearch.edges;
    expect(edges.length).toBeGreaterThan(2);
    expect(edges[0]!.node).toMatchObject({ learner: { id: daniel.id }, score: 1, matchedSkills: [{ code: 'ELEC-SAFETY' }, { code: 'WEB-BACKEND' }] });
    expect(edges[0]!.node.credentials).toHaveLength(2);
    expect(edges.slice(1).every((e) => e.node.score === 0.5)).toBe(true);
    expect(any.talentSearch.totalCount).toBe(edges.length);
  });

  it('keeps only proofs at the minimum MQF level, in the state asked', async () => {
    // Kumar's four essential BTEL courses are MQF level 3; Zainab also holds level 4 circuits.
    expect(await talentIds(graph, { skills: ['CIRCUITS'], minLevel: 3 })).toEqual(expect.arrayContaining([kumar.id, zainab.id]));
    const level4 = await talentIds(graph, { skills: ['CIRCUITS'], minLevel: 4 });
    expect(level4).toContain(zainab.id);
    expect(level4).not.toContain(kumar.id);
    expect(await talentIds(graph, { skills: ['CIRCUITS'], state: 'Kedah' })).toEqual([kumar.id]);
    // Issuance reads no state: Daniel has not chosen to be found by his, so no state filter finds him, though a search without one does.
    await issue(graph, { learnerId: daniel.id, courseId: course('EE1101'), visibility: 'EMPLOYERS' });
    expect(await talentIds(graph, { skills: ['CIRCUITS'] })).toContain(daniel.id);
    expect(await talentIds(graph, { skills: ['CIRCUITS'], state: daniel.state })).toEqual([]);
    expect(await talentIds(graph, { skills: ['CIRCUITS'], issuedAfter: '2099-01-01T00:00:00Z' })).toEqual([]);
  });

  it('pages through every candidate once, in rank order, with a stable cursor', async () => {
    type TalentPage = { talentSearch: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: TalentEdge[] } };
    const variables = { skills: ['PROG-FUND', 'WEB-FRONTEND', 'CIRCUITS'], match: 'ANY' };
    const all = await talentIds(graph, variables);
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const data: TalentPage = await graph.gateway.ok(TALENT, {
        as: electronicsStaff,
        variables: { ...variables, first: 2, after },
      });
      expect(data.talentSearch.totalCount).toBe(all.length);
      paged.push(...data.talentSearch.edges.map((e) => e.node.learner.id));
      after = data.talentSearch.pageInfo.hasNextPage ? data.talentSearch.pageInfo.endCursor : null;
    } while (after);
    expect(paged).toEqual(all);
    expect(new Set(paged).size).toBe(paged.length);
  });
});

describe('what an employer sees of a candidate', () => {
  it('never shows a candidate’s date of birth or NRIC, and the name only with consent', async () => {
    const query = `query($skills: [String!]!) { talentSearch(skills: $skills, match: ANY, first: 100) { edges { node { learner { id fullName dateOfBirth nricMasked } } } } }`;
    const response = await graph.gateway.query(query, { as: softwareStaff, variables: { skills: ['PROG-FUND', 'CIRCUITS'] } });
    const learners = response.data!.talentSearch.edges.map((e: { node: { learner: Record<string, unknown> } }) => e.node.learner);
    expect(learners.length).toBeGreaterThan(3);
    expect(learners.every((l: Record<string, unknown>) => l.dateOfBirth === null && l.nricMasked === null)).toBe(true);
    expect(codesOf(response)).toContain('FORBIDDEN');
    // Faizal granted this employer PROFILE: his name shows, still not his date of birth.
    const faizal = learnerByKey('faizal');
    const shown = learners.find((l: { id: string }) => l.id === faizal.id);
    expect(shown).toMatchObject({ fullName: faizal.fullName, dateOfBirth: null });
    expect(JSON.stringify(response)).not.toContain(faizal.dateOfBirth);
  });

  it('answers any page in the same number of SQL statements', async () => {
    const query = `query($first: Int) { talentSearch(skills: ["PROG-FUND", "CIRCUITS"], match: ANY, first: $first) {
      edges { node { learner { id state } credentials { id title issuer { id } skills { code } } } } } }`;
    const count = async (first: number) => (await graph.statementsDuring(() => graph.gateway.query(query, { as: softwareStaff, variables: { first } }))).statements;
    await count(1);
    expect(await count(2)).toBe(await count(20));
  });
});
