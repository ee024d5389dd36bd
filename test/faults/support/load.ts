import { expect } from 'vitest';

/**
 * A small load generator: a few loops, each sending one request after the
 * other, every answer kept with its timing and the error codes it carried, so
 * a scenario can ask what was answered in each phase of a fault and print the
 * counts by code when an assertion fails.
 */

/** One answer (or the lack of one) as a partner would see it. */
export interface Answer {
  /** Which request this was (the loop's own label: an operation, a key). */
  label: string;
  startedAt: number;
  endedAt: number;
  ms: number;
  /** The HTTP status; 0 when nothing was answered (connection refused or reset, timed out). */
  status: number;
  retryAfter: string | null;
  /** extensions.code of every error, in order; a transport failure is NO_ANSWER. */
  codes: string[];
  /** The parsed body (undefined without one). */
  body: any;
  /** Why nothing was answered, when so. */
  failure?: string;
}

/** The answer's outcome in one word: OK, the error codes joined with "+", or NO_ANSWER. */
export const outcome = (answer: Answer): string => (answer.codes.length === 0 ? 'OK' : [...new Set(answer.codes)].sort().join('+'));

const REQUEST_TIMEOUT_MS = 45_000;

/** Posts one GraphQL request; never throws (a transport failure is an answer with code NO_ANSWER). */
export async function post(url: string, request: { query: string; variables?: Record<string, unknown> }, options: { token?: string; label?: string } = {}): Promise<Answer> {
  const startedAt = Date.now();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const finish = (fields: Pick<Answer, 'status' | 'retryAfter' | 'codes' | 'body' | 'failure'>): Answer => {
    const endedAt = Date.now();
    return { label: options.label ?? '', startedAt, endedAt, ms: endedAt - startedAt, ...fields };
  };
  try {
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(request), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await response.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const errors: any[] = Array.isArray(body?.errors) ? body.errors : [];
    const codes = errors.map((error) => (typeof error?.extensions?.code === 'string' ? error.extensions.code : 'UNCODED'));
    if (body === undefined && !response.ok) codes.push(`HTTP_${response.status}`);
    return finish({ status: response.status, retryAfter: response.headers.get('retry-after'), codes, body });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return finish({ status: 0, retryAfter: null, codes: ['NO_ANSWER'], body: undefined, failure: cause });
  }
}

/** Answers counted by outcome, most frequent first: "OK 212, SUBGRAPH_UNAVAILABLE 31". */
export function countsByCode(answers: readonly Answer[]): string {
  const counts = new Map<string, number>();
  for (const answer of answers) {
    const key = answer.failure ? `NO_ANSWER (${answer.failure})` : outcome(answer);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([key, count]) => `${key} ${count}`);
  return `${answers.length} answers: ${parts.join(', ') || 'none'}`;
}

/** What a failed assertion prints: the counts by code, and a few answers that broke the rule. */
export function report(title: string, answers: readonly Answer[], offending: readonly Answer[] = []): string {
  // One example of each kind of offence first, then more of the commonest.
  const firstOfEach = [...new Map(offending.map((a) => [a.failure ?? outcome(a), a])).values()];
  const examples = [...new Set([...firstOfEach, ...offending])].slice(0, 4);
  const samples = examples.map((a) => `  ${a.label} after ${a.ms} ms: HTTP ${a.status} ${JSON.stringify(a.body ?? a.failure).slice(0, 400)}`);
  return [title, countsByCode(answers), ...(offending.length ? [`${offending.length} offending, e.g.:`, ...samples] : [])].join('\n');
}

/**
 * Asserts that no answer broke a rule; a failure prints `message` (made with
 * report(): the counts by code and a few offenders). Soft unless `hard`, so
 * one run reports every figure that is off, not only the first.
 */
export function expectNone(offending: readonly Answer[], message: string, options: { hard?: boolean } = {}): void {
  (options.hard ? expect : expect.soft)(offending.length, message).toBe(0);
}

export interface Load {
  /** Every answer so far. */
  readonly answers: Answer[];
  /** Stops the loops after their current request and resolves with every answer. */
  stop(): Promise<Answer[]>;
}

/**
 * Starts `loops` concurrent loops, each calling `request(loop, n)` again once
 * its previous answer arrives: after `pauseMs`, or after `pauseAfterErrorMs`
 * when that answer carried an error, as a client that backs off would.
 * Bounded: the loops stop by themselves after `maxMs` even if nobody calls stop().
 */
export function startLoad(options: {
  loops: number;
  request: (loop: number, n: number) => Promise<Answer>;
  pauseMs?: number;
  pauseAfterErrorMs?: number;
  maxMs?: number;
}): Load {
  const answers: Answer[] = [];
  let stopping = false;
  const deadline = Date.now() + (options.maxMs ?? 120_000);
  const loop = async (index: number) => {
    for (let n = 0; !stopping && Date.now() < deadline; n += 1) {
      const answer = await options.request(index, n);
      answers.push(answer);
      const pause = answer.codes.length > 0 ? (options.pauseAfterErrorMs ?? options.pauseMs) : options.pauseMs;
      if (pause) await new Promise((resolve) => setTimeout(resolve, pause));
    }
  };
  const running = Promise.all(Array.from({ length: options.loops }, (_, index) => loop(index)));
  return {
    answers,
    async stop() {
      stopping = true;
      await running;
      return answers;
    },
  };
}

/** The answers to requests sent within [from, to) (by when each was sent). */
export const sentBetween = (answers: readonly Answer[], from: number, to = Number.POSITIVE_INFINITY): Answer[] =>
  answers.filter((answer) => answer.startedAt >= from && answer.startedAt < to);
