import { demoId, employers } from '@tauliah/demo-data';
import { startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { employersService } from '../src/index.ts';
import { daysFromToday, today } from './employment-support.ts';

let graph: TestSubgraph<typeof employersService.tables>;
const { employment } = employersService.tables;
const learnerId = (key: string) => demoId(`learner:eligibility-batch:${key}`);

type Employer = (typeof employers)[keyof typeof employers];
/** Each learner of the batch, their records, and the employer funding must learn for them (null: none counts today). */
const cases: Array<{ key: string; records: Array<{ employer: Employer; since: string; until?: string; confirmed: boolean; declined?: boolean }>; expected: Employer | null }> = [
  { key: 'current', records: [{ employer: employers.software, since: '2024-01-01', confirmed: true }], expected: employers.software },
  { key: 'ended', records: [{ employer: employers.electronics, since: '2022-03-01', until: daysFromToday(-1), confirmed: true }], expected: null },
  { key: 'unconfirmed', records: [{ employer: employers.cafe, since: '2025-05-01', confirmed: false }], expected: null },
  { key: 'none', records: [], expected: null },
  { key: 'declined', records: [{ employer: employers.software, since: '2025-02-01', confirmed: false, declined: true }], expected: null },
  {
    // Serving a notice period at one employer while already started at the next: the latest started counts.
    key: 'notice-then-next',
    records: [
      { employer: employers.electronics, since: '2023-01-01', until: daysFromToday(30), confirmed: true },
      { employer: employers.software, since: daysFromToday(-2), confirmed: true },
    ],
    expected: employers.software,
  },
  {
    key: 'last-day-today',
    records: [
      { employer: employers.cafe, since: '2020-01-01', until: '2021-12-31', confirmed: true },
      { employer: employers.electronics, since: '2022-01-01', until: today(), confirmed: true },
    ],
    expected: employers.electronics,
  },
  {
    // A newer record the learner has not confirmed does not displace the one they did.
    key: 'confirmed-and-newer-pending',
    records: [
      { employer: employers.cafe, since: '2021-06-01', confirmed: true },
      { employer: employers.software, since: daysFromToday(-3), confirmed: false },
    ],
    expected: employers.cafe,
  },
];

beforeAll(async () => {
  graph = await startTestSubgraph(employersService);
  await graph.db.insert(employment).values(
    cases.flatMap(({ key, records }) =>
      records.map((r) => ({
        learnerId: learnerId(key),
        employerId: r.employer.id,
        jobTitle: 'Technician',
        since: r.since,
        until: r.until ?? null,
        confirmedByLearner: r.confirmed,
        declinedAt: r.declined ? new Date() : null,
      })),
    ),
  );
});
afterAll(() => graph?.stop());

/** How the gateway asks when funding requires the employer: the learner's consentedScopes (from learners) ride in the representation. */
const WITH_FACTS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Learner { eligibilityEmployer { id name hrdCorpRegistered registrationNumber } } } }`;
/** What funding's `@requires` asks: the employer's id alone. */
const ID_ONLY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Learner { eligibilityEmployer { id } } } }`;
const representation = (key: string, consentedScopes = ['PERSONAL', 'ELIGIBILITY']) => ({ __typename: 'Learner', id: learnerId(key), consentedScopes });

const ask = async (query: string, keys: string[]) => {
  const { statements, result } = await graph.statementsDuring(() => graph.client.ok(query, { as: 'FUNDER', variables: { r: keys.map((key) => representation(key)) } }));
  return { statements, answers: result._entities as Array<{ eligibilityEmployer: Record<string, unknown> | null }> };
};

describe("a batch of learners' employers for funding eligibility", () => {
  const keys = cases.map((c) => c.key);

  it('answers each learner of a mixed batch as when asked alone, and as their records say', async () => {
    const batch = await ask(WITH_FACTS, keys);
    expect(batch.answers).toEqual(
      cases.map(({ expected }) => ({
        eligibilityEmployer: expected && { id: expected.id, name: expected.name, hrdCorpRegistered: expected.hrdCorpRegistered, registrationNumber: expected.registrationNumber },
      })),
    );
    for (const [i, key] of keys.entries()) expect((await ask(WITH_FACTS, [key])).answers).toEqual([batch.answers[i]]);

    const ids = await ask(ID_ONLY, keys);
    expect(ids.answers).toEqual(cases.map(({ expected }) => ({ eligibilityEmployer: expected && { id: expected.id } })));
    for (const [i, key] of keys.entries()) expect((await ask(ID_ONLY, [key])).answers).toEqual([ids.answers[i]]);
  });

  it('withholds the employer of a learner without ELIGIBILITY consent, in a batch with ones who gave it', async () => {
    const r = [representation('current', ['PERSONAL']), representation('notice-then-next'), representation('current')];
    const data = await graph.client.ok(ID_ONLY, { as: 'FUNDER', variables: { r } });
    expect(data._entities).toEqual([{ eligibilityEmployer: null }, { eligibilityEmployer: { id: employers.software.id } }, { eligibilityEmployer: { id: employers.software.id } }]);
  });

  it('costs the same statements for 1 learner as for 8, and reads no employer row when only its id is asked', async () => {
    const withFacts = [(await ask(WITH_FACTS, ['current'])).statements, (await ask(WITH_FACTS, keys)).statements];
    const idOnly = [(await ask(ID_ONLY, ['current'])).statements, (await ask(ID_ONLY, keys)).statements];
    expect(withFacts[1]).toBe(withFacts[0]);
    expect(idOnly[1]).toBe(idOnly[0]);
    expect(idOnly[0]).toBe(withFacts[0]! - 1);
  });
});
