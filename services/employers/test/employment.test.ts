import { employers, employments, learnerByKey } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { employersService } from '../src/index.ts';

let graph: TestSubgraph<typeof employersService.tables>;
const faizal = learnerByKey('faizal');
const aisyah = learnerByKey('aisyah');
const asFaizal = { role: 'LEARNER', sub: faizal.id } as const;
const electronicsStaff = { role: 'EMPLOYER', sub: 'staff:elektronik:hr', employerId: employers.electronics.id } as const;

beforeAll(async () => {
  graph = await startTestSubgraph(employersService);
});
afterAll(() => graph?.stop());

/** How the gateway asks for a learner's employment: through _entities with the learner's key. */
const EMPLOYMENT_OF = (learnerId: string) => `{
  _entities(representations: [{ __typename: "Learner", id: "${learnerId}" }]) {
    ... on Learner { employment { jobTitle since until confirmedByLearner current employer { name } } currentEmployer { id name } }
  }
}`;
const faizalAtPerisian = {
  jobTitle: 'Support Engineer',
  since: '2019-06-01',
  until: null,
  confirmedByLearner: true,
  current: true,
  employer: { name: employers.software.name },
};

describe("a learner's employment", () => {
  it('is visible to the learner themselves', async () => {
    const data = await graph.client.ok(EMPLOYMENT_OF(faizal.id), { as: asFaizal });
    expect(data._entities).toEqual([
      { employment: [faizalAtPerisian], currentEmployer: { id: employers.software.id, name: employers.software.name } },
    ]);
  });

  it('is visible to the employer that employs them, and to administrators', async () => {
    for (const who of ['EMPLOYER', 'ADMIN'] as const) {
      const data = await graph.client.ok(EMPLOYMENT_OF(faizal.id), { as: who });
      expect(data._entities[0].employment).toEqual([faizalAtPerisian]);
      expect(data._entities[0].currentEmployer.id).toBe(employers.software.id);
    }
  });

  it('is FORBIDDEN to another employer, another learner, a funder and the public', async () => {
    for (const who of [electronicsStaff, 'LEARNER', 'FUNDER', undefined] as const) {
      const response = await graph.client.query(EMPLOYMENT_OF(faizal.id), { as: who });
      expect(response.data?._entities).toEqual([{ employment: null, currentEmployer: null }]);
      expect(codesOf(response)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    }
  });

  it("shows an employer only its own records of a learner, not the learner's other employers", async () => {
    const learnerId = employments.find((e) => e.employerId === employers.electronics.id)!.learnerId;
    await graph.db.insert(employersService.tables.employment).values({
      learnerId,
      employerId: employers.software.id,
      jobTitle: 'Intern',
      since: '2010-01-04',
      until: '2010-06-30',
      confirmedByLearner: true,
    });
    const software = await graph.client.ok(EMPLOYMENT_OF(learnerId), { as: 'EMPLOYER' });
    // A past employer sees its own record and no current employer (the new one is none of its business).
    expect(software._entities).toEqual([
      {
        employment: [{ jobTitle: 'Intern', since: '2010-01-04', until: '2010-06-30', confirmedByLearner: true, current: false, employer: { name: employers.software.name } }],
        currentEmployer: null,
      },
    ]);
    const admin = await graph.client.ok(EMPLOYMENT_OF(learnerId), { as: 'ADMIN' });
    expect(admin._entities[0].employment.map((e: { jobTitle: string }) => e.jobTitle)).toEqual(['Production Operator', 'Intern']);
    expect(admin._entities[0].currentEmployer.id).toBe(employers.electronics.id);
  });

  it('does not count an unconfirmed record as the current employer', async () => {
    const learnerId = learnerByKey('daniel').id;
    await graph.db.insert(employersService.tables.employment).values({
      learnerId,
      employerId: employers.cafe.id,
      jobTitle: 'Barista',
      since: '2026-01-05',
      confirmedByLearner: false,
    });
    const data = await graph.client.ok(EMPLOYMENT_OF(learnerId), { as: { role: 'LEARNER', sub: learnerId } });
    expect(data._entities[0]).toMatchObject({ employment: [{ jobTitle: 'Barista', confirmedByLearner: false, current: true }], currentEmployer: null });
  });

  it('is an empty list for a learner who never worked, shown to that learner', async () => {
    const data = await graph.client.ok(EMPLOYMENT_OF(aisyah.id), { as: 'LEARNER' });
    expect(data._entities).toEqual([{ employment: [], currentEmployer: null }]);
  });

  it.each([
    ['a second current confirmed employer for one learner', 'employment_one_current_key', { learnerId: faizal.id, employerId: employers.electronics.id, since: '2025-01-01', confirmedByLearner: true }],
    ['an employment that ends before it starts', 'employment_dates_check', { learnerId: aisyah.id, employerId: employers.cafe.id, since: '2025-01-01', until: '2024-01-01' }],
  ])('refuses %s in the database itself', async (_what, constraint, record) => {
    const insert = graph.db.insert(employersService.tables.employment).values({ jobTitle: 'Technician', ...record });
    await expect(insert).rejects.toMatchObject({ cause: { message: expect.stringContaining(constraint) } });
  });
});
