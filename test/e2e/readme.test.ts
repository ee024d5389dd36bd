import type { Role } from '@tauliah/core';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The example operations of the README and of every page under docs/, each
 * run as written, as the stakeholder its first line names (`# As: LEARNER`).
 */
const root = new URL('../../', import.meta.url);
const pages = ['README.md', ...(await readdir(new URL('docs/', root))).filter((file) => file.endsWith('.md')).sort().map((file) => `docs/${file}`)];
const texts = new Map(await Promise.all(pages.map(async (page) => [page, await readFile(new URL(page, root), 'utf8')] as const)));

const blocksOf = (text: string) => [...text.matchAll(/```graphql\n([\s\S]*?)```/g)].map(([, block]) => block!);
const examples = pages.flatMap((page) =>
  blocksOf(texts.get(page)!).flatMap((block) => {
    const as = /^# As: (\w+)\n/.exec(block)?.[1];
    return as ? [{ page, as, query: block }] : [];
  }),
);

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

describe('the documented examples', () => {
  it('include one in the README for each stakeholder', () => {
    const inReadme = examples.filter((e) => e.page === 'README.md');
    expect(new Set(inReadme.map((e) => e.as))).toEqual(new Set(['public', 'LEARNER', 'PROVIDER_STAFF', 'EMPLOYER', 'FUNDER', 'PARTNER', 'ADMIN']));
  });

  it('each name who runs them, so none goes untested', () => {
    const unnamed = pages.flatMap((page) => blocksOf(texts.get(page)!).filter((block) => !/^# As: \w+\n/.test(block)).map(() => page));
    expect(unnamed).toEqual([]);
  });

  it.each(examples)('work as written: $page as $as', async ({ as, query }) => {
    const response = await graph.gateway.query(query, as === 'public' ? {} : { as: as as Role });
    expect(response.errors).toBeUndefined();
    const values = Object.values(response.data ?? {});
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((value) => value !== null)).toBe(true);
  });
});
