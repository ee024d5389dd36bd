import { allCourses, bdse, btel, courseId, demoId, providers } from '@tauliah/demo-data';
import { startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providersService } from '../src/index.ts';

let graph: TestSubgraph<typeof providersService.tables>;

beforeAll(async () => {
  graph = await startTestSubgraph(providersService);
});
afterAll(() => graph?.stop());

interface PathwayStages {
  stages: Array<{ requiredCourses: unknown[]; electiveCourses: unknown[] }>;
}

/** How many SQL statements one request runs. */
async function statementsFor(query: string, variables: Record<string, unknown> = {}): Promise<number> {
  return (await graph.statementsDuring(() => graph.client.ok(query, { variables }))).statements;
}

describe('federation entities', () => {
  it('resolves Course, Provider, Pathway and Skill representations in one batch per type', async () => {
    const representations = [
      { __typename: 'Course', id: courseId('SE1101') },
      { __typename: 'Provider', id: providers.odl.id },
      { __typename: 'Pathway', id: bdse.id },
      { __typename: 'Skill', code: 'SOLDERING' },
      { __typename: 'Course', id: courseId('AKT-FA') },
      { __typename: 'Provider', id: providers.trainingProvider.id },
      { __typename: 'Pathway', id: btel.id },
      { __typename: 'Skill', code: 'FIRST-AID' },
      { __typename: 'Course', id: demoId('course:nonexistent') },
      { __typename: 'Skill', code: 'NO-SUCH-SKILL' },
    ];
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Course { code } ... on Provider { slug } ... on Pathway { code } ... on Skill { name }
    } }`;
    const data = await graph.client.ok(query, { variables: { representations } });
    expect(data._entities).toEqual([
      { code: 'SE1101' },
      { slug: 'utn' },
      { code: 'BDSE' },
      { name: 'Soldering and assembly' },
      { code: 'AKT-FA' },
      { slug: 'akt' },
      { code: 'BTEL' },
      { name: 'Workplace first aid' },
      null,
      null,
    ]);
    expect(await statementsFor(query, { representations })).toBe(4);
  });

  it('ignores a malformed course id in a representation instead of failing the batch', async () => {
    const data = await graph.client.ok(`{ _entities(representations: [
      { __typename: "Course", id: "not-a-uuid" }, { __typename: "Course", id: "${courseId('SE1101')}" }
    ]) { ... on Course { code } } }`);
    expect(data._entities).toEqual([null, { code: 'SE1101' }]);
  });
});

describe('statement counts do not grow with the result', () => {
  it('runs as many statements for 100 catalogue rows with providers and skills as for 10', async () => {
    const query = `query($first: Int) { courses(first: $first) { edges { node { provider { name } skills { name } } } } }`;
    const ten = await statementsFor(query, { first: 10 });
    const hundred = await statementsFor(query, { first: 100 });
    expect(hundred).toBe(ten);
    // The page with its providers and every course's skills.
    expect(ten).toBe(1);
  });

  it("reads a catalogue page's skills in the page's own statement, each as the course's own skills list gives it", async () => {
    // A retired skill with a successor too: its retiredAt is a timestamp read from JSON.
    const [taught] = await graph.connection.query<{ skill_code: string }>(`select skill_code from providers.course_skill order by course_id, position limit 1`);
    const [other] = await graph.connection.query<{ code: string }>(`select code from providers.skill where code <> $1 order by code limit 1`, [taught!.skill_code]);
    await graph.connection.query(`update providers.skill set retired_at = '2026-03-01T08:30:00.123456Z', successor_code = $2 where code = $1`, [taught!.skill_code, other!.code]);
    try {
      const fields = 'code name description framework frameworkReference retiredAt successor { code }';
      type Page = { courses: { edges: Array<{ node: { id: string; skills: unknown[] } }> } };
      const query = `{ courses(first: 100) { edges { node { id skills { ${fields} } } } } }`;
      // The successors are a lookup of their own.
      expect(await statementsFor(query)).toBe(2);
      expect(await statementsFor(query.replace(' successor { code }', ''))).toBe(1);
      const page = await graph.client.ok<Page>(query);
      const retired = page.courses.edges.flatMap((edge) => edge.node.skills).find((s) => (s as { code: string }).code === taught!.skill_code);
      expect(retired).toMatchObject({ retiredAt: '2026-03-01T08:30:00.123Z', successor: { code: other!.code } });
      expect(page.courses.edges.some((edge) => edge.node.skills.length > 1)).toBe(true);
      for (const { node } of page.courses.edges) {
        const { course } = await graph.client.ok<{ course: { skills: unknown[] } }>(`query($id: ID!) { course(id: $id) { skills { ${fields} } } }`, { variables: { id: node.id } });
        expect(node.skills).toEqual(course.skills);
      }
    } finally {
      await graph.connection.query(`update providers.skill set retired_at = null, successor_code = null where code = $1`, [taught!.skill_code]);
    }
  });

  it("reads a catalogue page's providers in the page's own statement, the same providers as asked by id", async () => {
    type Page = { courses: { edges: Array<{ node: { code: string; provider: { id: string; name: string; slug: string; inGoodStanding: boolean } } }> } };
    const query = `{ courses(first: 100) { edges { node { code provider { id name slug inGoodStanding } } } } }`;
    expect(await statementsFor(query)).toBe(1);
    const page = await graph.client.ok<Page>(query);
    const ids = [...new Set(page.courses.edges.map((edge) => edge.node.provider.id))];
    expect(ids.length).toBeGreaterThan(1);
    for (const id of ids) {
      const { provider } = await graph.client.ok<{ provider: unknown }>('query($id: ID!) { provider(id: $id) { id name slug inGoodStanding } }', { variables: { id } });
      for (const edge of page.courses.edges.filter((e) => e.node.provider.id === id)) expect(edge.node.provider).toEqual(provider);
    }
    // Through a fragment too.
    expect(await statementsFor(`{ courses(first: 5) { ...Page } } fragment Page on CourseConnection { edges { node { ... on Course { provider { name } } } } }`)).toBe(1);
  });

  it('counts a course list only when its totalCount is selected, beside the page, however it is selected', async () => {
    const counted = ' fragment Counted on CourseConnection { totalCount }';
    const page = (selection: string) =>
      `{ courses(first: 100) { edges { node { code } } ${selection} } skills { code courses(first: 100) { edges { node { code } } ${selection} } } }${selection === '...Counted' ? counted : ''}`;
    const without = await statementsFor(page(''));
    // Every skill's count in one statement; the catalogue's rides in its page's own statement.
    expect(await statementsFor(page('totalCount'))).toBe(without + 1);
    expect(await statementsFor(page('... on CourseConnection { totalCount }'))).toBe(without + 1);
    expect(await statementsFor(page('...Counted'))).toBe(without + 1);

    type Page = { edges: Array<{ node: { code: string } }>; totalCount: number };
    const data = await graph.client.ok<{ courses: Page; skills: Array<{ code: string; courses: Page }> }>(page('...Counted'));
    expect(data.courses.totalCount).toBe(data.courses.edges.length);
    expect(data.courses.totalCount).toBeGreaterThan(10);
    for (const skill of data.skills) expect({ skill: skill.code, total: skill.courses.totalCount }).toEqual({ skill: skill.code, total: skill.courses.edges.length });
    expect(data.skills.some((skill) => skill.courses.totalCount > 1)).toBe(true);
  });

  it("counts the catalogue's every page, the last and one past it included, whatever page it is asked with", async () => {
    type Page = { totalCount: number; edges: Array<{ cursor: string }>; pageInfo: { endCursor: string | null } };
    const pageAfter = async (after: string | null) =>
      (await graph.client.ok<{ courses: Page }>(`query($after: String) { courses(first: 7, after: $after) { totalCount edges { cursor } pageInfo { endCursor } } }`, { variables: { after } })).courses;
    const first = await pageAfter(null);
    const all = (await graph.client.ok<{ courses: { edges: unknown[] } }>('{ courses(first: 100) { edges { cursor } } }')).courses.edges.length;
    expect(first.totalCount).toBe(all);
    let page = first;
    let pages = 1;
    while (page.pageInfo.endCursor && page.edges.length === 7 && pages < 50) {
      page = await pageAfter(page.pageInfo.endCursor);
      pages++;
      expect(page.totalCount).toBe(all);
    }
    expect(pages).toBeGreaterThan(1);
    // Past the last course: an empty page, and still the whole count (counted apart, in a second statement).
    const past = await pageAfter(page.edges.at(-1)?.cursor ?? first.edges.at(-1)!.cursor);
    expect(past).toMatchObject({ totalCount: all, edges: [] });
  });

  it('pages every provider and skill courses in the same number of statements at any page size', async () => {
    const query = `query($first: Int) {
      providers { courses(first: $first) { totalCount edges { node { code skills { code } } } } pathways { code } }
      skills { courses(first: $first) { edges { node { provider { slug } } } } }
    }`;
    expect(await statementsFor(query, { first: 100 })).toBe(await statementsFor(query, { first: 1 }));
  });

  it("reads the providers of every skill's and provider's course page in the page's own statement, as asked by id", async () => {
    type Pages = { skills: Array<{ courses: { edges: Array<{ node: { provider: { id: string; name: string; inGoodStanding: boolean } } }> } }> };
    // The skills list, then their courses' first pages with their providers: the way a job role's skills reach their courses.
    const first = `{ skills { courses(first: 5) { edges { node { title provider { id name inGoodStanding } } } } } }`;
    expect(await statementsFor(first)).toBe(2);
    // Past a cursor, and a provider's own pages, too.
    const { skills } = await graph.client.ok<{ skills: Array<{ code: string; courses: { pageInfo: { endCursor: string } } }> }>('{ skills { code courses(first: 1) { pageInfo { endCursor } } } }');
    const skill = skills.find((s) => s.courses.pageInfo.endCursor)!;
    expect(await statementsFor(`query($code: String!, $after: String) { skill(code: $code) { courses(first: 5, after: $after) { edges { node { provider { name } } } } } }`, { code: skill.code, after: skill.courses.pageInfo.endCursor })).toBe(2);
    expect(await statementsFor(`{ providers { courses(first: 5) { edges { node { provider { name } } } } } }`)).toBe(2);

    const pages = await graph.client.ok<Pages>(first);
    const seen = pages.skills.flatMap((s) => s.courses.edges.map((edge) => edge.node.provider));
    expect(new Set(seen.map((p) => p.id)).size).toBeGreaterThan(1);
    for (const provider of seen) {
      const byId = await graph.client.ok<{ provider: unknown }>('query($id: ID!) { provider(id: $id) { id name inGoodStanding } }', { variables: { id: provider.id } });
      expect(provider).toEqual(byId.provider);
    }
  });

  it('reads whole pathways, stages and courses in a constant number of statements', async () => {
    const query = `{ pathways { provider { name } stages { requiredCourses { code provider { slug } skills { code } } electiveCourses { code } } } }`;
    const count = await statementsFor(query);
    expect(count).toBeLessThanOrEqual(6);
    const data = await graph.client.ok<{ pathways: PathwayStages[] }>(query);
    const listed = data.pathways.flatMap((p) => p.stages.flatMap((s) => [...s.requiredCourses, ...s.electiveCourses]));
    expect(listed).toHaveLength(allCourses.length - 4);
  });
});
