import type { Role } from '@tauliah/core';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The README's example queries, each run as written, as the stakeholder it names. */
const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```graphql\n# As: (\w+)\n([\s\S]*?)```/g)].map(([, as, query]) => ({ as: as!, query: query! }));

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

describe('the README examples', () => {
  it('include one for each stakeholder', () => {
    expect(new Set(examples.map((e) => e.as))).toEqual(new Set(['public', 'LEARNER', 'PROVIDER_STAFF', 'EMPLOYER', 'FUNDER', 'PARTNER']));
  });

  it.each(examples)('work as written for $as', async ({ as, query }) => {
    const response = await graph.gateway.query(query, as === 'public' ? {} : { as: as as Role });
    expect(response.errors).toBeUndefined();
    const values = Object.values(response.data ?? {});
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((value) => value !== null)).toBe(true);
  });
});
