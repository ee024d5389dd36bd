import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageSize, toConnection } from '../src/index.ts';

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
