import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_SCHEDULE,
  failingSinceAfter,
  minimumRetrySpanMs,
  nextRetryDelay,
  parseDuration,
  parseRetrySchedule,
  SHORT_RETRY_SCHEDULE,
  shouldDisableEndpoint,
  type RetrySchedule,
} from '../../src/webhooks/index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Every pause a delivery failing on every attempt waits, drawing jitter from `random`. */
function pausesOf(schedule: RetrySchedule, random: () => number, retryAfterMs?: number): number[] {
  const pauses: number[] = [];
  let elapsedMs = 0;
  for (let attempts = 1; attempts < 100_000; attempts += 1) {
    const delay = nextRetryDelay(schedule, { attempts, previousDelayMs: pauses.at(-1) ?? 0, elapsedMs, retryAfterMs }, random);
    if (delay === undefined) return pauses;
    pauses.push(delay);
    elapsedMs += delay;
  }
  throw new Error('the schedule never gives up');
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const lowest = () => 0;
const highest = () => 0.999_999;

describe('the default retry schedule', () => {
  it('retries for more than 24 hours, then gives up', () => {
    expect(pausesOf(DEFAULT_RETRY_SCHEDULE, lowest)).toEqual([5_000, 300_000, 1_800_000, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]);
    expect(sum(pausesOf(DEFAULT_RETRY_SCHEDULE, lowest))).toBeGreaterThanOrEqual(24 * HOUR);
    expect(minimumRetrySpanMs(DEFAULT_RETRY_SCHEDULE)).toBe(27 * HOUR + 35 * 60_000 + 5_000);
    expect(DEFAULT_RETRY_SCHEDULE.kind === 'delays' && DEFAULT_RETRY_SCHEDULE.delaysMs[0]).toBe(0);
  });

  it('stretches each pause by up to 20% and never shortens one', () => {
    const planned = pausesOf(DEFAULT_RETRY_SCHEDULE, lowest);
    for (let run = 0; run < 200; run += 1) {
      pausesOf(DEFAULT_RETRY_SCHEDULE, Math.random).forEach((pause, i) => {
        expect(pause).toBeGreaterThanOrEqual(planned[i]!);
        expect(pause).toBeLessThanOrEqual(planned[i]! * 1.2);
      });
    }
    expect(pausesOf(DEFAULT_RETRY_SCHEDULE, highest).at(-1)).toBeGreaterThan(11.9 * HOUR);
  });

  it('waits for a receiver’s Retry-After, but no longer than its longest pause', () => {
    expect(nextRetryDelay(DEFAULT_RETRY_SCHEDULE, { attempts: 1, previousDelayMs: 0, elapsedMs: 0, retryAfterMs: 60_000 }, lowest)).toBe(60_000);
    expect(nextRetryDelay(DEFAULT_RETRY_SCHEDULE, { attempts: 1, previousDelayMs: 0, elapsedMs: 0, retryAfterMs: 30 * DAY }, lowest)).toBe(10 * HOUR);
    expect(nextRetryDelay(DEFAULT_RETRY_SCHEDULE, { attempts: 3, previousDelayMs: 0, elapsedMs: 0, retryAfterMs: 1_000 }, lowest)).toBe(1_800_000);
  });

  it('has a short sibling for tests, done within a second', () => {
    expect(sum(pausesOf(SHORT_RETRY_SCHEDULE, highest))).toBeLessThan(1_000);
  });
});

describe('exponential schedules', () => {
  const full = parseRetrySchedule('exponential:base=5s,factor=2,cap=2h,for=24h,jitter=full');
  const decorrelated = parseRetrySchedule('exponential:base=5s,factor=2,cap=2h,for=24h,jitter=decorrelated');

  it('draw full jitter up to the capped exponential pause, never below the base', () => {
    for (let attempts = 1; attempts <= 20; attempts += 1) {
      const ceiling = Math.min(2 * HOUR, 5_000 * 2 ** (attempts - 1));
      for (let draw = 0; draw < 50; draw += 1) {
        const pause = nextRetryDelay(full, { attempts, previousDelayMs: 0, elapsedMs: 0 })!;
        expect(pause).toBeGreaterThanOrEqual(5_000);
        expect(pause).toBeLessThanOrEqual(ceiling);
      }
      expect(nextRetryDelay(full, { attempts, previousDelayMs: 0, elapsedMs: 0 }, highest)).toBeGreaterThan(ceiling * 0.999);
      expect(nextRetryDelay(full, { attempts, previousDelayMs: 0, elapsedMs: 0 }, lowest)).toBe(5_000);
    }
  });

  it('draw decorrelated jitter between the base and three times the previous pause, capped', () => {
    for (const previous of [0, 5_000, 60_000, HOUR, 2 * HOUR]) {
      for (let draw = 0; draw < 50; draw += 1) {
        const pause = nextRetryDelay(decorrelated, { attempts: 2, previousDelayMs: previous, elapsedMs: 0 })!;
        expect(pause).toBeGreaterThanOrEqual(5_000);
        expect(pause).toBeLessThanOrEqual(Math.min(2 * HOUR, Math.max(5_000, previous * 3)));
      }
    }
  });

  it('keep retrying until their span has passed, whatever the draws', () => {
    for (const schedule of [full, decorrelated]) {
      for (const random of [lowest, highest, Math.random]) {
        const pauses = pausesOf(schedule, random);
        expect(sum(pauses)).toBeGreaterThanOrEqual(24 * HOUR);
        expect(sum(pauses.slice(0, -1))).toBeLessThan(24 * HOUR);
      }
      expect(minimumRetrySpanMs(schedule)).toBe(24 * HOUR);
    }
  });
});

describe('WEBHOOK_RETRY_SCHEDULE', () => {
  it('reads the default schedule written out, with its jitter', () => {
    expect(parseRetrySchedule('0,5s,5m,30m,2h,5h,10h,10h;jitter=0.2')).toEqual(DEFAULT_RETRY_SCHEDULE);
    expect(parseRetrySchedule(' 0, 50ms, 1.5s ')).toEqual({ kind: 'delays', delaysMs: [0, 50, 1_500], jitterRatio: 0.2 });
    expect(parseRetrySchedule('0,1d;jitter=0')).toEqual({ kind: 'delays', delaysMs: [0, DAY], jitterRatio: 0 });
    expect(parseRetrySchedule('exponential:base=1s,factor=3,cap=1h,for=2d')).toEqual({ kind: 'exponential', baseMs: 1_000, factor: 3, capMs: HOUR, jitter: 'full', retryForMs: 2 * DAY });
  });

  it.each([
    ['0,5,10', /"5" is not a duration/],
    ['0,5 minutes', /not a duration/],
    ['0,-5s', /not a duration/],
    ['0,5s;jitter=2', /only jitter=<0 to 1>/],
    ['0,5s;spread=0.1', /only jitter=/],
    ['exponential:base=5s,factor=2,cap=1h', /needs for=/],
    ['exponential:base=5s,factor=0.5,cap=1h,for=1d', /factor must be/],
    ['exponential:base=5s,factor=2,cap=1s,for=1d', /cap at least base/],
    ['exponential:base=5s,factor=2,cap=1h,for=1d,jitter=equal', /full or decorrelated/],
    ['exponential:base=5s,factor=2,cap=1h,for=1d,attempts=5', /unknown exponential setting attempts/],
  ])('refuses %s, saying why', (text, reason) => {
    expect(() => parseRetrySchedule(text)).toThrow(reason);
  });

  it('reads durations in every unit', () => {
    expect(['0', '250ms', '5s', '5m', '2h', '5d'].map(parseDuration)).toEqual([0, 250, 5_000, 300_000, 2 * HOUR, 5 * DAY]);
  });
});

describe('disabling an endpoint that keeps failing', () => {
  const start = new Date('2025-03-01T08:00:00Z');
  const later = (ms: number) => new Date(start.getTime() + ms);

  it('disables it once every delivery has failed for 5 days, not a moment before', () => {
    let failingSince: Date | null = null;
    failingSince = failingSinceAfter(failingSince, { ok: false, at: start });
    failingSince = failingSinceAfter(failingSince, { ok: false, at: later(3 * DAY) });
    expect(failingSince).toEqual(start);
    expect(shouldDisableEndpoint(failingSince, later(5 * DAY - 1))).toBe(false);
    expect(shouldDisableEndpoint(failingSince, later(5 * DAY))).toBe(true);
  });

  it('starts counting again after any success', () => {
    let failingSince = failingSinceAfter(null, { ok: false, at: start });
    failingSince = failingSinceAfter(failingSince, { ok: true, at: later(4 * DAY) });
    expect(failingSince).toBeNull();
    expect(shouldDisableEndpoint(failingSince, later(6 * DAY))).toBe(false);
    failingSince = failingSinceAfter(failingSince, { ok: false, at: later(4 * DAY + HOUR) });
    expect(shouldDisableEndpoint(failingSince, later(9 * DAY))).toBe(false);
    expect(shouldDisableEndpoint(failingSince, later(9 * DAY + HOUR))).toBe(true);
  });

  it('honours a configured period', () => {
    expect(shouldDisableEndpoint(start, later(2 * HOUR), 2 * HOUR)).toBe(true);
    expect(shouldDisableEndpoint(start, later(2 * HOUR - 1), 2 * HOUR)).toBe(false);
  });
});
