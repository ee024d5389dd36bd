import { allCourses, btelEssentialCourses, providers } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providersService } from '../src/index.ts';

let graph: TestSubgraph<typeof providersService.tables>;

beforeAll(async () => {
  graph = await startTestSubgraph(providersService);
});
afterAll(() => graph?.stop());

const CATALOGUE = `query($filter: CourseFilter, $first: Int, $after: String) {
  courses(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { cursor node { id code } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Page {
  totalCount: number;
  edges: Array<{ cursor: string; node: { id: string; code: string } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

async function catalogue(filter: Record<string, unknown>, first = 100): Promise<Page> {
  const data = await graph.client.ok<{ courses: Page }>(CATALOGUE, { variables: { filter, first } });
  return data.courses;
}

const codesIn = (page: Page) => page.edges.map((e) => e.node.code).sort();
const demoCodes = (keep: (course: (typeof allCourses)[number]) => boolean) => allCourses.filter(keep).map((c) => c.code).sort();

/** Walks the catalogue page by page as a client would. */
async function walk(first: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages += 1) {
    const data: { courses: Page } = await graph.client.ok(CATALOGUE, { variables: { first, after } });
    ids.push(...data.courses.edges.map((e) => e.node.id));
    if (!data.courses.pageInfo.hasNextPage) return ids;
    after = data.courses.pageInfo.endCursor;
  }
  throw new Error('the catalogue never ended');
}

describe('browsing the public catalogue', () => {
  it('lists every published course to the public, with provider, skills and MQA facts', async () => {
    const page = await catalogue({});
    expect(page.totalCount).toBe(allCourses.length);
    const data = await graph.client.ok(`{ courses(filter: { text: "SE1101" }) { edges { node {
      title credits notionalHours mqfLevel feeSen deliveryMode accreditation creditBearing status learningOutcomes
      provider { name kind inGoodStanding } skills { code name }
    } } } }`);
    expect(data.courses.edges[0].node).toMatchObject({
      title: 'Programming with Python',
      credits: 5,
      notionalHours: 200,
      mqfLevel: 4,
      feeSen: 120_000,
      deliveryMode: 'ONLINE',
      accreditation: 'MQA_ACCREDITED',
      creditBearing: true,
      status: 'PUBLISHED',
      provider: { name: providers.odl.name, kind: 'ODL_UNIVERSITY', inGoodStanding: true },
      skills: [{ code: 'PROG-FUND', name: 'Programming fundamentals' }],
    });
  });

  it('narrows MQF level 3 to the seven BTEL essentials', async () => {
    const page = await catalogue({ mqfLevelMin: 3, mqfLevelMax: 3 });
    expect(codesIn(page)).toEqual(btelEssentialCourses.map((c) => c.code).sort());
    expect(page.totalCount).toBe(7);
  });

  it('finds courses teaching any of the skills asked for', async () => {
    expect(codesIn(await catalogue({ skillCodes: ['SOLDERING'] }))).toEqual(demoCodes((c) => c.skills.includes('SOLDERING')));
    const either = await catalogue({ skillCodes: ['FIRST-AID', 'databases'] });
    expect(codesIn(either)).toEqual(demoCodes((c) => c.skills.includes('FIRST-AID') || c.skills.includes('DATABASES')));
  });

  it('keeps to a fee range in sen, both ends included', async () => {
    const page = await catalogue({ feeMinSen: 90_000, feeMaxSen: 95_000 });
    expect(codesIn(page)).toEqual(demoCodes((c) => c.feeSen >= 90_000 && c.feeSen <= 95_000));
    expect(page.totalCount).toBe(21);
    expect(codesIn(await catalogue({ feeMaxSen: 45_000 }))).toEqual(['AKT-FA']);
  });

  it('searches titles, codes and descriptions without regard to case', async () => {
    expect(codesIn(await catalogue({ text: 'Python' }))).toEqual(['SE1101']);
    expect(codesIn(await catalogue({ text: 'pYTHON' }))).toEqual(['SE1101']);
    expect(codesIn(await catalogue({ text: 'ee11' }))).toEqual(btelEssentialCourses.map((c) => c.code).sort());
    expect(codesIn(await catalogue({ text: 'assessed micro-credential' })).length).toBe(allCourses.length);
  });

  it('treats % and _ in a search as the characters themselves', async () => {
    expect((await catalogue({ text: '%' })).totalCount).toBe(0);
    expect((await catalogue({ text: 'SE_101' })).totalCount).toBe(0);
  });

  it('filters by provider, delivery mode and credit-bearing status, and combines filters', async () => {
    expect(codesIn(await catalogue({ providerId: providers.publicUniversity.id }))).toEqual(['CS1010', 'DS2001']);
    expect(codesIn(await catalogue({ creditBearing: false }))).toEqual(['AKT-FA', 'AKT-PCB']);
    expect((await catalogue({ creditBearing: true })).totalCount).toBe(allCourses.length - 2);
    expect(codesIn(await catalogue({ deliveryMode: 'IN_PERSON' }))).toEqual(['AKT-FA', 'AKT-PCB', 'CS1010']);
    const combined = await catalogue({ deliveryMode: 'BLENDED', mqfLevelMin: 5, skillCodes: ['DATABASES'] });
    expect(codesIn(combined)).toEqual(['DS2001']);
  });
});

describe('paging through the catalogue', () => {
  it('walks every course exactly once, in the same order every time', async () => {
    const first = await walk(7);
    expect(first).toHaveLength(allCourses.length);
    expect(new Set(first).size).toBe(allCourses.length);
    expect(new Set(first)).toEqual(new Set(allCourses.map((c) => c.id)));
    expect(await walk(7)).toEqual(first);
    expect(await walk(100)).toEqual(first);
  });

  it('keeps the filter and totalCount across pages', async () => {
    const filter = { skillCodes: ['CIRCUITS', 'SOLDERING'] };
    const firstPage: { courses: Page } = await graph.client.ok(CATALOGUE, { variables: { filter, first: 3 } });
    const nextPage: { courses: Page } = await graph.client.ok(CATALOGUE, {
      variables: { filter, first: 100, after: firstPage.courses.pageInfo.endCursor },
    });
    const all = [...firstPage.courses.edges, ...nextPage.courses.edges].map((e) => e.node.code).sort();
    expect(all).toEqual(demoCodes((c) => c.skills.includes('CIRCUITS') || c.skills.includes('SOLDERING')));
    expect(nextPage.courses.totalCount).toBe(firstPage.courses.totalCount);
    expect(nextPage.courses.pageInfo).toEqual({ hasNextPage: false, endCursor: nextPage.courses.edges.at(-1)?.cursor });
  });

  it('defaults to 20 courses a page', async () => {
    const data = await graph.client.ok(`{ courses { edges { cursor } pageInfo { hasNextPage } } }`);
    expect(data.courses.edges).toHaveLength(20);
    expect(data.courses.pageInfo.hasNextPage).toBe(true);
  });
});

describe('refusing bad catalogue requests', () => {
  const problemFields = async (variables: Record<string, unknown>) => {
    const response = await graph.client.query(CATALOGUE, { variables });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.data?.courses ?? null).toBeNull();
    const extensions = response.errors![0]!.extensions!;
    const problems = (extensions.problems as Array<{ field: string }> | undefined)?.map((p) => p.field);
    return problems ?? [extensions.field];
  };

  it('names every field of a bad filter', async () => {
    expect(await problemFields({ filter: { mqfLevelMin: 0, mqfLevelMax: 9, feeMinSen: -1, providerId: 'utn' } })).toEqual(
      expect.arrayContaining(['filter.mqfLevelMin', 'filter.mqfLevelMax', 'filter.feeMinSen', 'filter.providerId']),
    );
  });

  it('refuses ranges whose minimum is above their maximum', async () => {
    expect(await problemFields({ filter: { mqfLevelMin: 6, mqfLevelMax: 4, feeMinSen: 100_000, feeMaxSen: 50_000 } })).toEqual([
      'filter.mqfLevelMin',
      'filter.feeMinSen',
    ]);
  });

  it('refuses empty searches and malformed skill codes', async () => {
    expect(await problemFields({ filter: { text: '   ', skillCodes: ['no such skill!'] } })).toEqual(['filter.text', 'filter.skillCodes.0']);
  });

  it('refuses pages of more than 100 or fewer than 1 courses', async () => {
    expect(await problemFields({ first: 101 })).toEqual(['first']);
    expect(await problemFields({ first: 0 })).toEqual(['first']);
  });

  it('refuses a cursor it did not hand out', async () => {
    const forged = [
      'not-a-cursor',
      Buffer.from(JSON.stringify(['SE1101', "x' or 1=1 --"])).toString('base64url'),
      Buffer.from(JSON.stringify(['SE1101'])).toString('base64url'),
      Buffer.from(JSON.stringify({ code: 'SE1101' })).toString('base64url'),
    ];
    for (const after of forged) expect(await problemFields({ after })).toEqual(['after']);
  });
});
