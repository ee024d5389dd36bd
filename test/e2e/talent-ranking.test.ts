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
  // In the demo set several learners prove both skills and more prove only one of them.
  const variables = { skills: ['PROG-FUND', 'WEB-FRONTEND'], match: 'ANY' };

  it('puts everyone who proves every skill first, then those who prove fewer, each tier by latest proof', async () => {
    const { edges, totalCount } = await search({ ...variables, first: 100 });
    const coverage = edges.map((e: TalentEdge) => e.node.matchedSkills.length);
    expect(coverage.filter((c: number) => c === 2).length).toBeGreaterThanOrEqual(2);
    expect(coverage.filter((c: number) => c === 1).length).toBeGreaterThanOrEqual(1);
    expect(coverage).toEqual([...coverage].sort((a, b) => b - a));
    expect(totalCount).toBe(edges.length);
  });

  it('walks from the full-coverage tier into the next without a gap or a repeat, one candidate per page', async () => {
    const all = (await search({ ...variables, first: 100 })).edges.map((e: TalentEdge) => e.node.learner.id);
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const page: { edges: TalentEdge[]; pageInfo: { hasNextPage: boolean; endCursor: string }; totalCount: number } = await search({ ...variables, first: 1, after });
      expect(page.totalCount).toBe(all.length);
      paged.push(...page.edges.map((e) => e.node.learner.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(paged).toEqual(all);
  });

  it('counts the candidates only for a client that asks for totalCount', async () => {
    const statements = async (selection: string) => {
      const before = graph.statements();
      await graph.gateway.ok(`query($skills: [String!]!) { talentSearch(skills: $skills, match: ANY, first: 5) { ${selection} } }`, {
        as: softwareStaff,
        variables: { skills: variables.skills },
      });
      return graph.statements() - before;
    };
    await statements('edges { cursor }');
    const withoutCount = await statements('edges { cursor }');
    const withCount = await statements('totalCount edges { cursor }');
    expect(withCount).toBe(withoutCount + 1);
    // Asked for twice under two aliases, it is still counted once.
    expect(await statements('totalCount again: totalCount edges { cursor }')).toBe(withCount);
  });
});
