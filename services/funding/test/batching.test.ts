import { demoId, employers, funders, schemes } from '@tauliah/demo-data';
import { startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundingService } from '../src/index.ts';
import { insertSchemes } from '../src/schemes/definition.ts';

let graph: TestSubgraph<typeof fundingService.tables>;
const bulkId = (i: number) => demoId(`scheme:bulk:${i}`);

beforeAll(async () => {
  graph = await startTestSubgraph(fundingService);
  // A hundred state bursaries, alternating between the two funders.
  await insertSchemes(
    graph.db,
    Array.from({ length: 100 }, (_, i) => ({
      ...schemes.b40Bursary,
      id: bulkId(i),
      funderId: i % 2 === 0 ? funders.b40.id : funders.hrdCorp.id,
      code: `STATE-B40-${String(i).padStart(3, '0')}`,
    })),
  );
});
afterAll(() => graph?.stop());

const statementsFor = async (run: () => Promise<unknown>) => (await graph.statementsDuring(run)).statements;

const representations = (typename: string, ids: string[]) => ids.map((id) => ({ __typename: typename, id }));

describe('statements per request do not grow with the result', () => {
  it('lists 1 or 101 schemes with their funders and rules in the same three statements', async () => {
    const query = `query($kind: SchemeKind) { schemes(kind: $kind) { code funder { name schemes { code } } rules { description } } }`;
    let sizes: number[] = [];
    const small = await statementsFor(async () => {
      sizes = [(await graph.client.ok(query, { variables: { kind: 'HRD_CORP_GRANT' } })).schemes.length];
    });
    const large = await statementsFor(async () => {
      sizes.push((await graph.client.ok(query, { variables: { kind: 'B40_AID' } })).schemes.length);
    });
    expect(sizes).toEqual([1, 101]);
    // The schemes, one batch of their funders, one batch of those funders' schemes.
    expect([small, large]).toEqual([3, 3]);
  });

  it('resolves 10 or 100 scheme references in the same number of statements, in order', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Scheme { code funder { name } } } }`;
    const ids = Array.from({ length: 100 }, (_, i) => bulkId(i));
    const small = await statementsFor(() => graph.client.ok(query, { variables: { r: representations('Scheme', ids.slice(0, 10)) } }));
    let answer: Record<string, any> = {};
    const large = await statementsFor(async () => {
      answer = await graph.client.ok(query, { variables: { r: representations('Scheme', ids) } });
    });
    expect(large).toBe(small);
    expect(answer._entities[99]).toEqual({ code: 'STATE-B40-099', funder: { name: funders.hrdCorp.name } });
  });

  it('resolves funder references with unknown and malformed ids as null, batched', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Funder { name } } }`;
    const r = representations('Funder', [funders.b40.id, 'nope', demoId('funder:none'), funders.hrdCorp.id]);
    const statements = await statementsFor(async () => {
      const data = await graph.client.ok(query, { variables: { r } });
      expect(data._entities).toEqual([{ name: funders.b40.name }, null, null, { name: funders.hrdCorp.name }]);
    });
    expect(statements).toBe(1);
  });

  it("reads 1 or 50 employers' levy accounts, last paid months and pages of payments in the same statements", async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Employer { levyAccount { balanceSen lastPaidMonth payments(first: 3) { totalCount edges { node { month } } } } } } }`;
    const many = [employers.software.id, employers.electronics.id, ...Array.from({ length: 48 }, (_, i) => demoId(`employer:bulk:${i}`))];
    const one = await statementsFor(() => graph.client.ok(query, { as: 'ADMIN', variables: { r: representations('Employer', many.slice(0, 1)) } }));
    let answer: Record<string, any> = {};
    const fifty = await statementsFor(async () => {
      answer = await graph.client.ok(query, { as: 'ADMIN', variables: { r: representations('Employer', many) } });
    });
    // The accounts, the last paid months, one page of each employer's payments and their counts.
    expect([one, fifty]).toEqual([4, 4]);
    expect(answer._entities[1].levyAccount.payments.edges).toHaveLength(3);
    expect(answer._entities[1].levyAccount.payments.totalCount).toBeGreaterThan(3);
    expect(answer._entities[2]).toEqual({ levyAccount: null });
  });
});
