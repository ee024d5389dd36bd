import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerClock, type CircuitState } from '../src/index.ts';

/** A clock whose time moves only when the test says so. */
function fakeClock() {
  let now = 0;
  const timers: Array<{ at: number; run: () => void; cancelled: boolean }> = [];
  const clock: BreakerClock = {
    schedule(run, ms) {
      const timer = { at: now + ms, run, cancelled: false };
      timers.push(timer);
      return () => void (timer.cancelled = true);
    },
  };
  return {
    clock,
    /** Moves time on, running what falls due, then lets the probes' promises settle. */
    async advance(ms: number) {
      now += ms;
      for (const timer of timers.filter((t) => !t.cancelled && t.at <= now)) {
        timer.cancelled = true;
        timer.run();
      }
      for (let i = 0; i < 5; i += 1) await Promise.resolve();
    },
    pending: () => timers.filter((t) => !t.cancelled).length,
  };
}

/** A probe the test answers by hand, counting how often it was asked. */
function handProbe() {
  let answer: ((ready: boolean) => void) | undefined;
  let fail: ((error: Error) => void) | undefined;
  const probe = {
    asked: 0,
    run: () => {
      probe.asked += 1;
      return new Promise<boolean>((resolve, reject) => ((answer = resolve), (fail = reject)));
    },
    async answer(ready: boolean) {
      answer?.(ready);
      for (let i = 0; i < 5; i += 1) await Promise.resolve();
    },
    async throw(error: Error) {
      fail?.(error);
      for (let i = 0; i < 5; i += 1) await Promise.resolve();
    },
  };
  return probe;
}

function breakerWith(failureThreshold = 3, retryAfterMs = 1_000) {
  const time = fakeClock();
  const probe = handProbe();
  const changes: Array<[CircuitState, CircuitState]> = [];
  const breaker = new CircuitBreaker({
    failureThreshold,
    retryAfterMs,
    probe: probe.run,
    clock: time.clock,
    onStateChange: (state, previous) => changes.push([previous, state]),
  });
  return { breaker, time, probe, changes };
}

describe('a subgraph circuit breaker', () => {
  it('lets every request through while failures stay below the threshold, and any answer starts the count again', () => {
    const { breaker } = breakerWith(3);
    breaker.failed();
    breaker.failed();
    breaker.succeeded();
    breaker.failed();
    breaker.failed();
    expect(breaker.state).toBe('closed');
    expect(breaker.admits()).toBe(true);
  });

  it('opens after the threshold of consecutive failures and then refuses every request', () => {
    const { breaker, changes } = breakerWith(3);
    for (let i = 0; i < 3; i += 1) breaker.failed();
    expect(breaker.state).toBe('open');
    expect(breaker.admits()).toBe(false);
    expect(changes).toEqual([['closed', 'open']]);
  });

  it('is not closed by a late answer to a call made before it opened: only a probe closes it', () => {
    const { breaker } = breakerWith(1);
    breaker.failed();
    breaker.succeeded();
    expect(breaker.state).toBe('open');
  });

  it('probes once the retry time has passed, still refusing requests while the probe is out', async () => {
    const { breaker, time, probe } = breakerWith(1, 1_000);
    breaker.failed();
    await time.advance(999);
    expect(probe.asked).toBe(0);
    await time.advance(1);
    expect(probe.asked).toBe(1);
    expect(breaker.state).toBe('half-open');
    expect(breaker.admits()).toBe(false);
    // Failures reported meanwhile (calls still in flight from before) change nothing.
    breaker.failed();
    expect(breaker.state).toBe('half-open');
  });

  it('closes when the probe finds the subgraph ready, and needs the full threshold to open again', async () => {
    const { breaker, time, probe, changes } = breakerWith(2, 1_000);
    breaker.failed();
    breaker.failed();
    await time.advance(1_000);
    await probe.answer(true);
    expect(breaker.state).toBe('closed');
    expect(breaker.admits()).toBe(true);
    breaker.failed();
    expect(breaker.state).toBe('closed');
    breaker.failed();
    expect(breaker.state).toBe('open');
    expect(changes).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'closed'],
      ['closed', 'open'],
    ]);
  });

  it('stays open after a failed or broken probe, and probes again after another retry time', async () => {
    const { breaker, time, probe } = breakerWith(1, 1_000);
    breaker.failed();
    await time.advance(1_000);
    await probe.answer(false);
    expect(breaker.state).toBe('open');
    await time.advance(999);
    expect(probe.asked).toBe(1);
    await time.advance(1);
    expect(probe.asked).toBe(2);
    await probe.throw(new Error('connect ECONNREFUSED'));
    expect(breaker.state).toBe('open');
    await time.advance(1_000);
    expect(probe.asked).toBe(3);
    await probe.answer(true);
    expect(breaker.state).toBe('closed');
  });

  it('schedules nothing more once stopped', async () => {
    const { breaker, time, probe } = breakerWith(1, 1_000);
    breaker.failed();
    breaker.stop();
    expect(time.pending()).toBe(0);
    await time.advance(5_000);
    expect(probe.asked).toBe(0);
    expect(breaker.state).toBe('open');
  });

  it('refuses settings that would never open or never probe', () => {
    const probe = async () => true;
    expect(() => new CircuitBreaker({ failureThreshold: 0, retryAfterMs: 1_000, probe })).toThrow(/failureThreshold must be a positive integer; got 0/);
    expect(() => new CircuitBreaker({ failureThreshold: 1.5, retryAfterMs: 1_000, probe })).toThrow(/failureThreshold/);
    expect(() => new CircuitBreaker({ failureThreshold: 3, retryAfterMs: 0, probe })).toThrow(/retryAfterMs must be positive; got 0/);
    expect(() => new CircuitBreaker({ failureThreshold: 3, retryAfterMs: Number.NaN, probe })).toThrow(/retryAfterMs/);
  });
});
