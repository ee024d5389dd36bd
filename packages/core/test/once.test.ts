import { describe, expect, it } from 'vitest';
import { sharedOnce } from '../src/once.ts';

describe('sharedOnce', () => {
  it('makes the value once and shares it, even with callers asking at the same time', async () => {
    let made = 0;
    const value = sharedOnce(async () => ({ made: ++made }));
    const [first, second] = await Promise.all([value(), value()]);
    expect(first).toBe(second);
    expect(await value()).toBe(first);
    expect(made).toBe(1);
  });

  it('keeps no failure: the next call tries again', async () => {
    let attempts = 0;
    const value = sharedOnce(async () => {
      attempts++;
      if (attempts === 1) throw new Error('not yet');
      return 'ready';
    });
    await expect(value()).rejects.toThrow('not yet');
    expect(await value()).toBe('ready');
    expect(await value()).toBe('ready');
    expect(attempts).toBe(2);
  });
});
