/**
 * When to try a failed webhook delivery again, and when to give up on an
 * endpoint. Retries spread over more than a day ride out a receiver's outage
 * or a deployment gone wrong; jitter keeps the retries of many events that
 * failed together (one receiver down) from arriving together when it returns.
 */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type RetrySchedule =
  | {
      kind: 'delays';
      /** The pause before each attempt: the first (usually 0, at once), then one per retry. Past the last, give up. */
      delaysMs: readonly number[];
      /**
       * Each pause is stretched by a random share up to this (0.2: up to 20% longer), never
       * shortened, so the schedule still spans at least the sum of its delays.
       */
      jitterRatio: number;
    }
  | {
      kind: 'exponential';
      /** The first retry's pause before jitter, growing by `factor` each retry up to `capMs`. */
      baseMs: number;
      factor: number;
      capMs: number;
      /**
       * full: a uniform pause up to the exponential one (AWS's "full jitter"), at least `baseMs`;
       * decorrelated: between `baseMs` and three times the previous pause, capped.
       */
      jitter: 'full' | 'decorrelated';
      /** Keep retrying until this long after the first attempt: the span is bounded by time, not by a count jitter would blur. */
      retryForMs: number;
    };

/**
 * The Standard Webhooks specification's example schedule with its pauses
 * capped at 10 hours: at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h,
 * 27 h 35 min from first to last attempt, so an event outlives a day-long outage.
 */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  kind: 'delays',
  delaysMs: [0, 5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR],
  jitterRatio: 0.2,
};

/** For tests: the same shape in milliseconds, so a retried delivery is seen within a test. */
export const SHORT_RETRY_SCHEDULE: RetrySchedule = { kind: 'delays', delaysMs: [0, 50, 100, 200], jitterRatio: 0.2 };

/** An endpoint whose every delivery has failed for this long is disabled (and its organisation told). */
export const DEFAULT_DISABLE_AFTER_MS = 5 * DAY;

export interface RetryState {
  /** Attempts made so far (1 after the first). */
  attempts: number;
  /** The pause before the attempt just made (decorrelated jitter grows from it). */
  previousDelayMs: number;
  /** Time since the first attempt. */
  elapsedMs: number;
  /** The receiver's `Retry-After` on its last answer (429, 503), honoured up to the schedule's longest pause. */
  retryAfterMs?: number;
}

/**
 * The pause before the next attempt, or undefined to give up (the delivery
 * is then failed for good, until someone redelivers it). `random` returns
 * [0, 1) like Math.random, which it defaults to.
 */
export function nextRetryDelay(schedule: RetrySchedule, state: RetryState, random: () => number = Math.random): number | undefined {
  let delay: number;
  if (schedule.kind === 'delays') {
    const planned = schedule.delaysMs[state.attempts];
    if (planned === undefined) return undefined;
    delay = Math.round(planned * (1 + random() * schedule.jitterRatio));
  } else {
    if (state.elapsedMs >= schedule.retryForMs) return undefined;
    if (schedule.jitter === 'full') {
      const ceiling = Math.min(schedule.capMs, schedule.baseMs * schedule.factor ** Math.max(0, state.attempts - 1));
      // Never below the base: a run of low draws must not retry in a tight loop.
      delay = Math.round(Math.max(schedule.baseMs, random() * ceiling));
    } else {
      const upper = Math.max(schedule.baseMs, state.previousDelayMs * 3);
      delay = Math.round(Math.min(schedule.capMs, schedule.baseMs + random() * (upper - schedule.baseMs)));
    }
  }
  if (state.retryAfterMs !== undefined) delay = Math.max(delay, Math.min(state.retryAfterMs, longestPauseMs(schedule)));
  return delay;
}

/** The longest single pause the schedule plans (before jitter): the most a receiver's Retry-After can ask for. */
export function longestPauseMs(schedule: RetrySchedule): number {
  return schedule.kind === 'delays' ? Math.max(0, ...schedule.delaysMs) : schedule.capMs;
}

/** The least time from the first attempt to the last, whatever the jitter draws: what "retries for at least 24 h" is checked against. */
export function minimumRetrySpanMs(schedule: RetrySchedule): number {
  return schedule.kind === 'delays' ? schedule.delaysMs.slice(1).reduce((sum, ms) => sum + ms, 0) : schedule.retryForMs;
}

/**
 * When the endpoint's current run of failures began, after one more attempt:
 * a success ends the run (null), a failure starts one or continues it.
 */
export function failingSinceAfter(failingSince: Date | null, attempt: { ok: boolean; at: Date }): Date | null {
  if (attempt.ok) return null;
  return failingSince ?? attempt.at;
}

/**
 * Whether an endpoint is to be disabled: every delivery to it has failed
 * since `failingSince`, and that is at least `disableAfterMs` (5 days) ago.
 * One success in between resets the run, so a receiver that is merely flaky
 * keeps its endpoint.
 */
export function shouldDisableEndpoint(failingSince: Date | null, now: Date, disableAfterMs: number = DEFAULT_DISABLE_AFTER_MS): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= disableAfterMs;
}

const UNITS: Record<string, number> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY };

/** A duration such as `500ms`, `5s`, `30m`, `2h`, `1d` (or `0`), in milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (text.trim() === '0') return 0;
  if (!match) throw new Error(`"${text}" is not a duration: write a number and a unit, ms, s, m, h or d (e.g. 5m).`);
  return Math.round(Number(match[1]) * UNITS[match[2]!]!);
}

/**
 * Reads WEBHOOK_RETRY_SCHEDULE. Either the pauses, comma-separated, the
 * first before the first attempt (`0,5s,5m,30m,2h,5h,10h,10h`), optionally
 * followed by `;jitter=0.2`; or an exponential schedule
 * (`exponential:base=5s,factor=2,cap=10h,for=27h,jitter=full`). Throws an
 * Error saying what is wrong.
 */
export function parseRetrySchedule(text: string): RetrySchedule {
  const trimmed = text.trim();
  if (trimmed.startsWith('exponential:')) {
    const fields = new Map(
      trimmed
        .slice('exponential:'.length)
        .split(',')
        .map((pair) => pair.split('=').map((part) => part.trim()) as [string, string | undefined]),
    );
    const unknown = [...fields.keys()].filter((key) => !['base', 'factor', 'cap', 'for', 'jitter'].includes(key));
    if (unknown.length > 0) throw new Error(`unknown exponential setting ${unknown.join(', ')}: use base, factor, cap, for and jitter.`);
    const required = (key: string) => {
      const value = fields.get(key);
      if (!value) throw new Error(`an exponential schedule needs ${key}= (e.g. exponential:base=5s,factor=2,cap=10h,for=27h,jitter=full).`);
      return value;
    };
    const factor = Number(required('factor'));
    if (!(factor >= 1)) throw new Error('factor must be a number of at least 1.');
    const jitter = fields.get('jitter') ?? 'full';
    if (jitter !== 'full' && jitter !== 'decorrelated') throw new Error('jitter must be full or decorrelated.');
    const schedule = { kind: 'exponential', baseMs: parseDuration(required('base')), factor, capMs: parseDuration(required('cap')), jitter, retryForMs: parseDuration(required('for')) } as const;
    if (schedule.baseMs <= 0 || schedule.capMs < schedule.baseMs) throw new Error('base must be above 0 and cap at least base.');
    return schedule;
  }
  const [list = '', ...options] = trimmed.split(';');
  const delaysMs = list.split(',').map(parseDuration);
  let jitterRatio = DEFAULT_RETRY_SCHEDULE.kind === 'delays' ? DEFAULT_RETRY_SCHEDULE.jitterRatio : 0;
  for (const option of options) {
    const [key, value] = option.split('=').map((part) => part.trim());
    const ratio = Number(value);
    if (key !== 'jitter' || value === undefined || !(ratio >= 0 && ratio <= 1)) throw new Error(`"${option}" is not a setting: only jitter=<0 to 1> follows the pauses.`);
    jitterRatio = ratio;
  }
  return { kind: 'delays', delaysMs, jitterRatio };
}
