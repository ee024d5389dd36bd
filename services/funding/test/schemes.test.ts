import { B40_INCOME_THRESHOLD_SEN, demoId, funders, schemes, unpublishedScheme } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundingService } from '../src/index.ts';
import { insertSchemes } from '../src/schemes/definition.ts';

let graph: TestSubgraph<typeof fundingService.tables>;
// HRD Corp is still drafting next year's scheme (seeded from the demo data).
const draftId = unpublishedScheme.id;
const b40Officer = { role: 'FUNDER', sub: 'officer:b40', funderId: funders.b40.id } as const;

beforeAll(async () => {
  graph = await startTestSubgraph(fundingService);
});
afterAll(() => graph?.stop());

const SCHEMES = `query($kind: SchemeKind) { schemes(kind: $kind) { code budgetSen published funder { name kind } rules { kind description parameters } } }`;
const codesIn = (data: Record<string, any>) => data.schemes.map((s: { code: string }) => s.code);

describe('published schemes', () => {
  it('are listed for the public with their budget and rules in words', async () => {
    const data = await graph.client.ok(SCHEMES);
    expect(codesIn(data)).toEqual(['B40-MC-2026', 'HRDC-MC-2026']);
    const b40 = data.schemes[0];
    expect(b40).toMatchObject({ budgetSen: 100_000_000, published: true, funder: { name: funders.b40.name, kind: 'B40_AID' } });
    expect(b40.rules).toEqual([
      { kind: 'AGE_RANGE', description: 'Aged 17 to 35', parameters: { min: 17, max: 35 } },
      { kind: 'CITIZENSHIP', description: 'Open to Malaysian citizens', parameters: { allowed: ['MALAYSIAN'] } },
      { kind: 'HOUSEHOLD_INCOME_AT_MOST', description: 'Household income at most RM 4,850.00 a month', parameters: { thresholdSen: B40_INCOME_THRESHOLD_SEN } },
      { kind: 'COURSE_MQF_LEVEL', description: 'The course is at MQF level 3 to 4', parameters: { min: 3, max: 4 } },
      { kind: 'NOT_ALREADY_FUNDED_FOR_COURSE', description: 'Not already funded for the same course', parameters: null },
    ]);
  });

  it('are filtered by kind', async () => {
    expect(codesIn(await graph.client.ok(SCHEMES, { variables: { kind: 'HRD_CORP_GRANT' } }))).toEqual(['HRDC-MC-2026']);
    expect(codesIn(await graph.client.ok(SCHEMES, { variables: { kind: 'B40_AID' } }))).toEqual(['B40-MC-2026']);
    const bad = await graph.client.query(SCHEMES, { variables: { kind: 'LOTTERY' } });
    expect(codesOf(bad)).toEqual(['BAD_USER_INPUT']);
  });

  it('are read one at a time, with every term of the scheme', async () => {
    const s = schemes.b40Bursary;
    const data = await graph.client.ok(`{ scheme(id: "${s.id}") { id code name description kind budgetSen perLearnerCapSen coPaymentPercent validFrom validUntil published } }`);
    expect(data.scheme).toEqual({
      id: s.id, code: s.code, name: s.name, description: s.description, kind: 'B40_AID', budgetSen: s.budgetSen,
      perLearnerCapSen: 250_000, coPaymentPercent: 10, validFrom: '2026-01-01', validUntil: '2026-12-31', published: true,
    });
  });

  it('are listed under their funder', async () => {
    const data = await graph.client.ok(`{ funder(id: "${funders.hrdCorp.id}") { name kind schemes { code } } }`);
    expect(data.funder).toEqual({ name: 'HRD Corp', kind: 'HRD_CORP', schemes: [{ code: 'HRDC-MC-2026' }] });
  });

  it('answer NOT_FOUND for unknown ids and BAD_USER_INPUT for malformed ones', async () => {
    expect(codesOf(await graph.client.query(`{ scheme(id: "${demoId('scheme:none')}") { code } }`))).toEqual(['NOT_FOUND']);
    expect(codesOf(await graph.client.query(`{ funder(id: "${demoId('funder:none')}") { name } }`))).toEqual(['NOT_FOUND']);
    expect(codesOf(await graph.client.query(`{ scheme(id: "B40-MC-2026") { code } }`))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('an unpublished scheme', () => {
  const ONE = `{ scheme(id: "${draftId}") { code budgetSen published } }`;

  it('is hidden from the public, other funders and learners as if it did not exist', async () => {
    for (const who of [undefined, b40Officer, 'LEARNER', 'EMPLOYER'] as const) {
      expect(codesOf(await graph.client.query(ONE, { as: who }))).toEqual(['NOT_FOUND']);
      expect(codesIn(await graph.client.ok(SCHEMES, { as: who }))).not.toContain('HRDC-MC-2028');
    }
    const entities = await graph.client.ok(`{ _entities(representations: [{ __typename: "Scheme", id: "${draftId}" }]) { ... on Scheme { code } } }`);
    expect(entities._entities).toEqual([null]);
    const funder = await graph.client.ok(`{ funder(id: "${funders.hrdCorp.id}") { schemes { code } } }`);
    expect(funder.funder.schemes).toEqual([{ code: 'HRDC-MC-2026' }]);
  });

  it('is visible, budget included, to its own funder and to administrators', async () => {
    for (const who of ['FUNDER', 'ADMIN'] as const) {
      expect((await graph.client.ok(ONE, { as: who })).scheme).toEqual({ code: 'HRDC-MC-2028', budgetSen: 500_000_000, published: false });
      expect(codesIn(await graph.client.ok(SCHEMES, { as: who, variables: { kind: 'HRD_CORP_GRANT' } }))).toEqual(['HRDC-MC-2026', 'HRDC-MC-2028']);
    }
    const funder = await graph.client.ok(`{ funder(id: "${funders.hrdCorp.id}") { schemes { code } } }`, { as: 'FUNDER' });
    expect(funder.funder.schemes).toEqual([{ code: 'HRDC-MC-2026' }, { code: 'HRDC-MC-2028' }]);
  });
});

describe('storing schemes', () => {
  const valid = { ...schemes.b40Bursary, id: undefined, code: 'B40-MC-2027', validFrom: '2027-01-01', validUntil: '2027-12-31' };

  it('stores a well-formed scheme and serves its rules', async () => {
    const [row] = await insertSchemes(graph.db, [valid]);
    const data = await graph.client.ok(`{ scheme(id: "${row!.id}") { rules { kind } } }`);
    expect(data.scheme.rules).toHaveLength(5);
  });

  it('refuses a scheme with a rule of unknown kind or malformed parameters, listing every problem', async () => {
    const bad = {
      ...valid,
      code: 'B40-MC-2029',
      coPaymentPercent: 120,
      rules: [{ kind: 'LIVES_IN_SELANGOR' }, { kind: 'HOUSEHOLD_INCOME_AT_MOST', thresholdSen: -1 }, { kind: 'AGE_RANGE', min: 40, max: 30 }],
    };
    const refused = await insertSchemes(graph.db, [bad]).catch((error: unknown) => error);
    expect(refused).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    const fields = ((refused as { extensions: { problems: Array<{ field: string }> } }).extensions.problems).map((p) => p.field);
    expect(fields).toEqual(['schemes.0.coPaymentPercent', 'schemes.0.rules.0.kind', 'schemes.0.rules.1.thresholdSen', 'schemes.0.rules.2.max']);
    expect(codesIn(await graph.client.ok(SCHEMES, { as: 'ADMIN' }))).not.toContain('B40-MC-2029');
  });

  it('refuses, in the database itself, a rule of unknown kind written around the validation', async () => {
    const insert = graph.db.insert(fundingService.tables.scheme).values({ ...valid, code: 'B40-MC-2030', rules: [{ kind: 'LIVES_IN_SELANGOR' }] as never });
    await expect(insert).rejects.toMatchObject({ cause: { message: expect.stringContaining('scheme_rules_check') } });
  });
});
