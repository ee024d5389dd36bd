import { employers, learnerByKey, providers } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph, type Who } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnerInterest } from '../src/db/schema.ts';
import { learnersService } from '../src/index.ts';

let graph: TestSubgraph<typeof learnersService.tables>;
const siti = learnerByKey('siti');
const self: Who = { role: 'LEARNER', sub: siti.id };
const INTERESTS = `query($id: ID!) { learner(id: $id) { id interests { code } } }`;

beforeAll(async () => {
  graph = await startTestSubgraph(learnersService);
  // Set as setMyInterests stores them once the taxonomy accepted them (that check reads the graph: test/e2e/recommendations.test.ts).
  await graph.db.insert(learnerInterest).values({ learnerId: siti.id, skillCodes: ['DATABASES', 'SW-DESIGN'] });
});
afterAll(() => graph?.stop());

describe("a learner's interests", () => {
  it('are hers to read, in her order', async () => {
    const data = await graph.client.ok(`{ me { interests { code } } }`, { as: self });
    expect(data.me.interests).toEqual([{ code: 'DATABASES' }, { code: 'SW-DESIGN' }]);
  });

  it('are empty for a learner who chose none', async () => {
    const data = await graph.client.ok(`{ me { interests { code } } }`, { as: { role: 'LEARNER', sub: learnerByKey('daniel').id } });
    expect(data.me.interests).toEqual([]);
  });

  it.each<[string, Who]>([
    ['another learner', { role: 'LEARNER', sub: learnerByKey('daniel').id }],
    ['the provider she is enrolled with', { role: 'PROVIDER_STAFF', sub: 'staff:odl:registrar', providerId: providers.odl.id }],
    ['an employer', { role: 'EMPLOYER', sub: 'staff:perisian:hr', employerId: employers.software.id }],
    ['a funder', 'FUNDER'],
  ])('are refused to %s', async (_, who) => {
    const response = await graph.client.query(INTERESTS, { as: who, variables: { id: siti.id } });
    expect(codesOf(response)).toEqual(['FORBIDDEN']);
    expect(response.data?.learner?.interests ?? null).toBeNull();
  });

  it('are shown to a platform administrator', async () => {
    const data = await graph.client.ok(INTERESTS, { as: 'ADMIN', variables: { id: siti.id } });
    expect(data.learner.interests).toEqual([{ code: 'DATABASES' }, { code: 'SW-DESIGN' }]);
  });

  it('can be cleared by her, again without harm', async () => {
    for (let i = 0; i < 2; i++) {
      const data = await graph.client.ok(`mutation { clearMyInterests { interests { code } } }`, { as: self });
      expect(data.clearMyInterests.interests).toEqual([]);
    }
  });

  it('cannot be set by anyone but a learner', async () => {
    const response = await graph.client.query(`mutation { setMyInterests(skillCodes: ["DATABASES"]) { id } }`, { as: 'ADMIN' });
    expect(codesOf(response)).toEqual(['FORBIDDEN']);
  });
});
