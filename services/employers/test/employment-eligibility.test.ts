import { employers, funders, learnerByKey } from '@tauliah/demo-data';
import { codesOf } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIRM, daysFromToday, DECLINE, END, perisianHr, RECORD } from './employment-support.ts';

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const aisyah = learnerByKey('aisyah');
const asAisyah = { role: 'LEARNER', sub: aisyah.id } as const;
/** Aisyah gave this funder ELIGIBILITY consent (demo data): it may learn her employer for funding checks. */
const b40Officer = { role: 'FUNDER', sub: 'officer:b40', funderId: funders.b40.id } as const;

const FUNDER_VIEW = `query($id: ID!) { learner(id: $id) { fullName eligibilityEmployer { id name } } }`;
const OWN_VIEW = `{ me { employment { id status current until employer { name } } currentEmployer { id } } }`;

const eligibilityEmployer = async () => (await graph.gateway.ok(FUNDER_VIEW, { as: b40Officer, variables: { id: aisyah.id } })).learner.eligibilityEmployer;

describe('employment through the graph: what a funder learns for eligibility', () => {
  it('counts an employment only once the learner confirms it, and no more once it has ended', async () => {
    expect(await eligibilityEmployer()).toBeNull();

    const input = { learnerId: aisyah.id, jobTitle: 'Junior Developer', since: '2026-06-01' };
    const recorded = (await graph.gateway.ok(RECORD, { as: perisianHr, variables: { input, key: 'perisian-aisyah-1' } })).recordEmployment;
    expect(recorded).toMatchObject({ status: 'PENDING', learner: { id: aisyah.id } });
    expect(await eligibilityEmployer()).toBeNull();
    expect((await graph.gateway.ok(OWN_VIEW, { as: asAisyah })).me).toEqual({
      employment: [{ id: recorded.id, status: 'PENDING', current: true, until: null, employer: { name: employers.software.name } }],
      currentEmployer: null,
    });

    await graph.gateway.ok(CONFIRM, { as: asAisyah, variables: { id: recorded.id } });
    expect(await eligibilityEmployer()).toEqual({ id: employers.software.id, name: employers.software.name });
    // HRD Corp holds no consent of hers: it learns nothing of her employer.
    const hrdCorp = await graph.gateway.query(`query($id: ID!) { learner(id: $id) { id eligibilityEmployer { id } } }`, { as: 'FUNDER', variables: { id: aisyah.id } });
    expect(hrdCorp.data?.learner).toEqual({ id: aisyah.id, eligibilityEmployer: null });
    expect((await graph.gateway.ok(OWN_VIEW, { as: asAisyah })).me.currentEmployer).toEqual({ id: employers.software.id });

    await graph.gateway.ok(END, { as: perisianHr, variables: { id: recorded.id, until: daysFromToday(-1) } });
    expect(await eligibilityEmployer()).toBeNull();
    expect((await graph.gateway.ok(OWN_VIEW, { as: asAisyah })).me).toMatchObject({ employment: [{ status: 'CONFIRMED', current: false }], currentEmployer: null });
  });

  it('tells a funder nothing of a record the learner declined', async () => {
    const input = { learnerId: aisyah.id, jobTitle: 'Barista', since: '2026-09-01' };
    const cafe = { role: 'EMPLOYER', sub: 'staff:kopi:owner', employerId: employers.cafe.id } as const;
    const recorded = (await graph.gateway.ok(RECORD, { as: cafe, variables: { input } })).recordEmployment;
    await graph.gateway.ok(DECLINE, { as: asAisyah, variables: { id: recorded.id } });
    expect(codesOf(await graph.gateway.query(CONFIRM, { as: asAisyah, variables: { id: recorded.id } }))).toEqual(['CONFLICT']);
    expect(await eligibilityEmployer()).toBeNull();
  });
});
