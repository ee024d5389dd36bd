import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../src/bounded-cache.ts';

describe('a bounded cache', () => {
  it('forgets the least recently used entry past its number of entries', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
  });

  it('keeps what its entries weigh within the weight given, forgetting the least recently used until they fit', () => {
    const cache = new BoundedCache<string, string>(100, { maxWeight: 10, weigh: (value) => value.length });
    cache.set('a', 'xxxx');
    cache.set('b', 'xxxx');
    cache.get('a');
    cache.set('c', 'xxxxxx');
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual(['xxxx', undefined, 'xxxxxx']);
    expect(cache.totalWeight).toBe(10);
    // Replacing an entry counts its new weight only.
    cache.set('c', 'xx');
    expect(cache.totalWeight).toBe(6);
    cache.delete('a');
    expect(cache.totalWeight).toBe(2);
  });

  it('does not keep a value heavier than the whole weight on its own, and forgets nothing for it', () => {
    const cache = new BoundedCache<string, string>(100, { maxWeight: 10, weigh: (value) => value.length });
    cache.set('a', 'xxxx');
    cache.set('huge', 'x'.repeat(11));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('a')).toBe('xxxx');
    expect(cache.totalWeight).toBe(4);
  });

  it('refuses limits that could hold nothing', () => {
    expect(() => new BoundedCache(0)).toThrow(RangeError);
    expect(() => new BoundedCache(10, { maxWeight: 0, weigh: () => 1 })).toThrow(RangeError);
  });
});
