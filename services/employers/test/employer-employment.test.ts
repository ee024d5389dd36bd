import { employers, learnerByKey } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph, type Who } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { employersService } from '../src/index.ts';
import { asLearner, CONFIRM, daysFromToday, DECLINE, demoEmploymentOf, elektronikHr, END, kopiOwner, perisianHr, perisianSystem, record } from './employment-support.ts';

let graph: TestSubgraph<typeof employersService.tables>;

/** Kopi Digital's records as set up below, latest started first: [learner key, since, what became of it]. */
const KOPI: Array<[string, string, 'PENDING' | 'CONFIRMED' | 'ENDED' | 'DECLINED']> = [
  ['daniel', '2026-05-04', 'PENDING'],
  ['nurul', '2026-03-02', 'CONFIRMED'],
  ['farah', '2026-03-02', 'DECLINED'],
  ['arjun', '2025-09-01', 'ENDED'],
  ['siti', '2024-06-03', 'CONFIRMED'],
];
const kopiIds = new Map<string, string>();

beforeAll(async () => {
  graph = await startTestSubgraph(employersService);
  for (const [key, since, becomes] of KOPI) {
    const recorded = await record(graph.client, kopiOwner, { learnerId: learnerByKey(key).id, jobTitle: `Barista (${key})`, since });
    kopiIds.set(key, recorded.id);
    if (becomes === 'CONFIRMED' || becomes === 'ENDED') await graph.client.ok(CONFIRM, { as: asLearner(key), variables: { id: recorded.id } });
    if (becomes === 'ENDED') await graph.client.ok(END, { as: kopiOwner, variables: { id: recorded.id, until: daysFromToday(-10) } });
    if (becomes === 'DECLINED') await graph.client.ok(DECLINE, { as: asLearner(key), variables: { id: recorded.id } });
  }
});
afterAll(() => graph?.stop());

const LIST = `query($id: ID!, $first: Int, $after: String, $current: Boolean) {
  employer(id: $id) {
    name
    employment(first: $first, after: $after, current: $current) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id since status current learner { id } employer { id } } }
    }
  }
}`;

type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: { id: string; status: string; current: boolean } }> };
async function page(variables: Record<string, unknown>, as: Who = kopiOwner): Promise<Page> {
  return (await graph.client.ok(LIST, { as, variables: { id: employers.cafe.id, ...variables } })).employer.employment;
}
const idsOf = (keys: string[]) => keys.map((key) => kopiIds.get(key));

describe("an employer's employment records", () => {
  it('lists them latest started first, with the learner and their answer, page by page', async () => {
    const all = await page({ first: 100 });
    expect(all.totalCount).toBe(KOPI.length);
    // By first day, and by id among those that started the same day.
    const sameDay = idsOf(['nurul', 'farah']).sort().reverse();
    expect(all.edges.map((e) => e.node.id)).toEqual([kopiIds.get('daniel'), ...sameDay, kopiIds.get('arjun'), kopiIds.get('siti')]);
    expect(all.edges.map((e) => [e.node.status, e.node.current])).toEqual(
      all.edges.map((e) => {
        const becomes = KOPI.find(([key]) => kopiIds.get(key) === e.node.id)![2];
        return becomes === 'ENDED' ? ['CONFIRMED', false] : [becomes, becomes !== 'DECLINED'];
      }),
    );

    const pages: string[] = [];
    let after: string | null = null;
    do {
      const next: Page = await page({ first: 2, after });
      expect(next.totalCount).toBe(KOPI.length);
      expect(next.edges.length).toBeLessThanOrEqual(2);
      pages.push(...next.edges.map((e) => e.node.id));
      after = next.pageInfo.hasNextPage ? next.pageInfo.endCursor : null;
    } while (after);
    expect(pages).toEqual(all.edges.map((e) => e.node.id));
  });

  it('narrows to the records lasting today (pending or confirmed), or to those ended or declined', async () => {
    const current = await page({ first: 100, current: true });
    expect(new Set(current.edges.map((e) => e.node.id))).toEqual(new Set(idsOf(['daniel', 'nurul', 'siti'])));
    expect(current.totalCount).toBe(3);
    const past = await page({ first: 100, current: false });
    expect(new Set(past.edges.map((e) => e.node.id))).toEqual(new Set(idsOf(['farah', 'arjun'])));
    expect(past.totalCount).toBe(2);
    // A page of the current ones continues among the current ones.
    const first = await page({ first: 1, current: true });
    const second = await page({ first: 2, current: true, after: first.pageInfo.endCursor });
    expect([...first.edges, ...second.edges].map((e) => e.node.id)).toEqual(current.edges.map((e) => e.node.id));
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it("is for the employer's own staff and administrators; to anyone else FORBIDDEN, the employer itself still visible", async () => {
    expect((await page({}, 'ADMIN')).totalCount).toBe(KOPI.length);
    for (const who of [perisianHr, perisianSystem, elektronikHr, asLearner('daniel'), 'FUNDER', 'PROVIDER_STAFF'] as const) {
      const response = await graph.client.query(LIST, { as: who, variables: { id: employers.cafe.id } });
      expect(codesOf(response), JSON.stringify(who)).toEqual(['FORBIDDEN']);
      expect(response.data?.employer).toEqual({ name: employers.cafe.name, employment: null });
    }
  });

  it('refuses a page size outside 1–100 and a cursor from elsewhere', async () => {
    const madeUp = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const cursors = [madeUp(['2026-01-01', 'not-a-uuid']), madeUp(['yesterday', kopiIds.get('daniel')]), madeUp(['2026-01-01', kopiIds.get('daniel'), 'x'])];
    for (const variables of [{ first: 0 }, { first: 101 }, { after: 'bm90IGEgY3Vyc29y' }, { after: 'WzFd' }, ...cursors.map((after) => ({ after }))]) {
      const response = await graph.client.query(LIST, { as: kopiOwner, variables: { id: employers.cafe.id, ...variables } });
      expect(codesOf(response), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('lists the records of many employers in the same number of statements as of one', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Employer { employment(first: 2) { totalCount edges { node { id learner { id } employer { name } } } } } } }`;
    const reps = (ids: string[]) => ids.map((id) => ({ __typename: 'Employer', id }));
    const all = [employers.cafe.id, employers.software.id, employers.electronics.id];
    const one = await graph.statementsDuring(() => graph.client.ok(query, { as: 'ADMIN', variables: { r: reps(all.slice(0, 1)) } }));
    const { statements, result } = await graph.statementsDuring(() => graph.client.ok(query, { as: 'ADMIN', variables: { r: reps(all) } }));
    expect(statements).toBe(one.statements);
    expect(result._entities.map((e: { employment: { totalCount: number; edges: unknown[] } }) => [e.employment.totalCount, e.employment.edges.length])).toEqual([
      [KOPI.length, 2],
      [1, 1],
      [1, 1],
    ]);
    expect(result._entities[1].employment.edges[0].node.id).toBe(demoEmploymentOf('faizal').id);
  });
});

describe('employerByRegistrationNumber', () => {
  const BY_NUMBER = `query($n: String!) { employerByRegistrationNumber(registrationNumber: $n) { id name registrationNumber } }`;

  it('finds the employer with an SSM number for a platform administrator, and null when none has it', async () => {
    const { software } = employers;
    expect((await graph.client.ok(BY_NUMBER, { as: 'ADMIN', variables: { n: software.registrationNumber } })).employerByRegistrationNumber).toEqual({
      id: software.id,
      name: software.name,
      registrationNumber: software.registrationNumber,
    });
    expect((await graph.client.ok(BY_NUMBER, { as: 'ADMIN', variables: { n: ` ${software.registrationNumber} ` } })).employerByRegistrationNumber.id).toBe(software.id);
    expect((await graph.client.ok(BY_NUMBER, { as: 'ADMIN', variables: { n: '202401999999 (9999999-X)' } })).employerByRegistrationNumber).toBeNull();
    expect(codesOf(await graph.client.query(BY_NUMBER, { as: 'ADMIN', variables: { n: ' ' } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('is FORBIDDEN to everyone else, even the employer itself', async () => {
    for (const who of [perisianHr, 'FUNDER', 'LEARNER', 'PROVIDER_STAFF', 'PARTNER'] as const) {
      const response = await graph.client.query(BY_NUMBER, { as: who, variables: { n: employers.software.registrationNumber } });
      expect(codesOf(response), JSON.stringify(who)).toEqual(['FORBIDDEN']);
      expect(response.data?.employerByRegistrationNumber ?? null).toBeNull();
    }
    expect(codesOf(await graph.client.query(BY_NUMBER, { variables: { n: employers.software.registrationNumber } }))).toEqual(['UNAUTHENTICATED']);
  });
});
