import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageSize, toConnection, totalCountWhen } from '../src/index.ts';

describe('cursor pagination', () => {
  it('round-trips a sort key through an opaque cursor', () => {
    expect(decodeCursor(encodeCursor(['SE1101', 'abc']), ['string', 'string'])).toEqual(['SE1101', 'abc']);
  });

  it('refuses a cursor that is not from this list', () => {
    for (const bad of ['nonsense', encodeCursor([1, 'x']), encodeCursor(['only-one'])]) {
      expect(() => decodeCursor(bad, ['string', 'string'])).toThrow(/after is not a cursor from this list/);
    }
  });

  it('bounds the page size', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(100)).toBe(100);
    expect(() => pageSize(0)).toThrow(/between 1 and 100/);
    expect(() => pageSize(101)).toThrow(/between 1 and 100/);
  });

  it('says there is a next page only when an extra row came back', () => {
    const rows = [1, 2, 3];
    const page = toConnection(rows, 2, 3, (n) => [n], (n) => ({ n }));
    expect(page.edges.map((e) => e.node.n)).toEqual([1, 2]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor([2]) });
    expect(toConnection(rows, 3, 3, (n) => [n], (n) => n).pageInfo.hasNextPage).toBe(false);
  });
});

describe('a count beside a page (totalCountWhen)', () => {
  const counting = (result: () => Promise<number>) => {
    let runs = 0;
    return { count: () => ((runs += 1), result()), runs: () => runs };
  };

  it('starts at once when totalCount is selected, and reading it does not count again', async () => {
    const { count, runs } = counting(async () => 7);
    const total = totalCountWhen(true, count);
    expect(runs()).toBe(1);
    expect(await total()).toBe(7);
    expect(runs()).toBe(1);
  });

  it('does not count when totalCount is not selected, unless it is read', async () => {
    const { count, runs } = counting(async () => 7);
    const total = totalCountWhen(false, count);
    expect(runs()).toBe(0);
    expect(await total()).toBe(7);
    expect(runs()).toBe(1);
  });

  it('leaves no unhandled rejection when a count started for a failed page is never read, and fails the read of one that is', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      totalCountWhen(true, async () => {
        throw new Error('count failed');
      });
      const read = totalCountWhen(true, async () => {
        throw new Error('count failed too');
      });
      await expect(read()).rejects.toThrow('count failed too');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });
});
