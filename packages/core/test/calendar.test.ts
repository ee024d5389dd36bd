import { afterEach, describe, expect, it, vi } from 'vitest';
import { todayInMalaysia } from '../src/calendar.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe("today's date in Malaysia", () => {
  it('turns at midnight in Malaysia (16:00 UTC), however often it is asked in between', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-07T15:59:59.999Z'));
    expect(todayInMalaysia()).toBe('2026-12-07');
    expect(todayInMalaysia()).toBe('2026-12-07');
    vi.setSystemTime(new Date('2026-12-07T16:00:00.000Z'));
    expect(todayInMalaysia()).toBe('2026-12-08');
    // A clock set back is followed too.
    vi.setSystemTime(new Date('2026-12-06T23:59:00.000Z'));
    expect(todayInMalaysia()).toBe('2026-12-07');
    vi.setSystemTime(new Date('2026-12-06T15:00:00.000Z'));
    expect(todayInMalaysia()).toBe('2026-12-06');
  });

  it('gives the Malaysian date of any instant asked about', () => {
    expect(todayInMalaysia(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
    expect(todayInMalaysia(new Date('2026-12-31T15:30:00Z'))).toBe('2026-12-31');
  });
});
