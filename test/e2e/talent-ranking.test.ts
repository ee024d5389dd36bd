import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { softwareStaff, TALENT, type TalentEdge } from './talent.support.ts';

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const search = async (variables: Record<string, unknown>) => (await graph.gateway.ok(TALENT, { as: softwareStaff, variables })).talentSearch;

describe('ANY ranks by coverage, page after page', () => {
  // Searches whose candidates, in the demo set, fall in different coverage tiers, so that paging walks
  // through each way the search finds a tier: all skills, all but one, any one.
  const searches = [
    { skills: ['PROG-FUND', 'WEB-FRONTEND'], tiers: [2, 1] },
    { skills: ['PROG-FUND', 'WEB-FRONTEND', 'DATABASES'], tiers: [3, 1] },
    { skills: ['PROG-FUND', 'CIRCUITS', 'WEB-BACKEND'], tiers: [2, 1] },
  ];
  const variables = { skills: searches[0]!.skills };

  it.each(searches)('$skills: ranks those who prove more of the skills first', async ({ skills, tiers }) => {
    const { edges, totalCount } = await search({ skills, match: 'ANY', first: 100 });
    const coverage: number[] = edges.map((e: TalentEdge) => e.node.matchedSkills.length);
    expect([...new Set(coverage)]).toEqual(tiers);
    for (const tier of tiers) expect(coverage.filter((c) => c === tier).length, `proving ${tier}`).toBeGreaterThanOrEqual(2);
    expect(totalCount).toBe(edges.length);
  });

  it.each(searches)('$skills: pages from tier to tier without a gap or a repeat, one candidate per page', async ({ skills }) => {
    const all = (await search({ skills, match: 'ANY', first: 100 })).edges.map((e: TalentEdge) => e.node.learner.id);
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const page: { edges: TalentEdge[]; pageInfo: { hasNextPage: boolean; endCursor: string }; totalCount: number } = await search({ skills, match: 'ANY', first: 1, after });
      expect(page.totalCount).toBe(all.length);
      paged.push(...page.edges.map((e) => e.node.learner.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(paged).toEqual(all);
  });

  it('counts the candidates only for a client that asks for totalCount, or when the page already folded them all', async () => {
    const statements = async (match: string, first: number, selection: string) => {
      const { statements, result: data } = await graph.statementsDuring(() =>
        graph.gateway.ok(`query($skills: [String!]!) { talentSearch(skills: $skills, match: ${match}, first: ${first}) { ${selection} } }`, {
          as: softwareStaff,
          variables: { skills: variables.skills },
        }),
      );
      return { statements, data: data.talentSearch };
    };
    await statements('ANY', 1, 'edges { cursor }');
    // One ANY candidate per page comes from those who prove both skills: counting everyone is a statement of its own.
    const withoutCount = await statements('ANY', 1, 'edges { cursor }');
    const withCount = await statements('ANY', 1, 'totalCount edges { cursor }');
    expect(withCount.statements).toBe(withoutCount.statements + 1);
    // Asked for twice under two aliases, it is still counted once.
    const twice = await statements('ANY', 1, 'totalCount again: totalCount edges { cursor }');
    expect(twice.statements).toBe(withCount.statements);
    expect(twice.data.again).toBe(twice.data.totalCount);
    // A page of 100 folds every candidate, and ALL always does: the count comes with the page.
    expect((await statements('ANY', 100, 'totalCount edges { cursor }')).statements).toBe((await statements('ANY', 100, 'edges { cursor }')).statements);
    const all = await statements('ALL', 1, 'totalCount edges { cursor }');
    expect(all.statements).toBe((await statements('ALL', 1, 'edges { cursor }')).statements);
    expect(all.data.totalCount).toBeGreaterThanOrEqual(2);
  });
});
