import type { ServiceName } from '@tauliah/core';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countsByCode, expectNone, outcome, report, sentBetween, startLoad, type Answer } from './support/load.ts';
import { sleep, waitFor } from './support/processes.ts';
import { acknowledgedId, enrolLearner } from './support/requests.ts';
import { startFaultTopology, type FaultTopology } from './support/topology.ts';

/**
 * PostgreSQL restarts (cleanly, and as a crash) while partners enrol learners
 * with idempotency keys, half through the gateway and half straight at the
 * learners subgraph. What a partner depends on: an outage is answered with a
 * code that says "retry later" (never an internal error), no process falls
 * over, every enrolment acknowledged is in the database, a retry with the
 * same key creates nobody twice, and writes work again shortly after the
 * database is back, without restarting anything.
 */

/** How long the database stays down. */
const OUTAGE_MS = 3_000;
/** From the database accepting connections again to enrolments succeeding again. */
const RECOVERY_MS = 10_000;
/** Once recovered, no enrolment waits on a broken pooled connection. */
const STEADY_ANSWER_MS = 2_000;
/** The codes that tell a partner to retry later: the subgraph's own, and the gateway's for a subgraph that could not answer. */
const RETRYABLE = new Set(['SERVICE_UNAVAILABLE', 'SUBGRAPH_UNAVAILABLE']);

const run = `pg${randomBytes(3).toString('hex')}`;
let graph: FaultTopology;
let partnerToken: string;

beforeAll(async () => {
  graph = await startFaultTopology();
  partnerToken = await graph.tokens.tokenFor('PARTNER');
});
afterAll(async () => {
  await graph?.destroy();
});
beforeEach(async () => {
  await graph.restoreAll();
});

/** Where a loop sends its enrolments: even loops through the gateway, odd ones to the learners subgraph directly. */
const urlFor = (loop: number) => (loop % 2 === 0 ? graph.gatewayUrl : graph.subgraphUrl('learners'));

/** Four loops, each enrolling a new learner under a new key after the last answer, backing off a little after an error. */
function enrolmentLoad(prefix: string) {
  return startLoad({
    loops: 4,
    request: (loop, n) => enrolLearner(urlFor(loop), partnerToken, run, `${prefix}-${loop}-${n}`),
    pauseMs: 25,
    pauseAfterErrorMs: 250,
  });
}

const viaSubgraph = (answer: Answer) => /-[13]-\d+$/.test(answer.label);

describe.each(['fast', 'immediate'] as const)('PostgreSQL stopped (%s) and started again under enrolments', (mode) => {
  it('answers only retryable codes, loses no acknowledged write, duplicates nothing on retry, and recovers without a restart', async () => {
    const load = enrolmentLoad(mode);
    await sleep(1_500);
    const before = [...load.answers];
    expectNone(
      before.filter((a) => outcome(a) !== 'OK'),
      report('before the fault: every enrolment succeeds', before, before.filter((a) => outcome(a) !== 'OK')),
      { hard: true },
    );

    const stoppedAt = Date.now();
    await graph.postgres.stop(mode);
    await sleep(OUTAGE_MS / 2);
    const readyDuringOutage = await readiness('learners');
    await sleep(OUTAGE_MS / 2);
    await graph.postgres.start();
    const startedAt = Date.now();
    const recoveryMs = await waitFor(async () => sentBetween(load.answers, startedAt).some((a) => outcome(a) === 'OK'), {
      timeoutMs: RECOVERY_MS,
      what: `enrolments succeeding again after PostgreSQL started (${mode})`,
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${report('answers since it started', sentBetween(load.answers, startedAt))}\n${graph.output()}`);
    });
    const steadyFrom = Date.now();
    await sleep(3_000);
    const answers = await load.stop();
    const during = sentBetween(answers, stoppedAt);

    // What an outage is answered with.
    const notRetryable = during.filter((a) => a.codes.some((code) => !RETRYABLE.has(code)));
    expectNone(notRetryable, report(`PostgreSQL ${mode}: only ${[...RETRYABLE].join(' or ')}`, during, notRetryable));
    expect.soft(during.filter((a) => outcome(a) !== 'OK').length, report(`PostgreSQL ${mode}: the outage was seen`, during)).toBeGreaterThan(0);
    const without503 = during.filter((a) => viaSubgraph(a) && a.codes.includes('SERVICE_UNAVAILABLE') && (a.status !== 503 || !a.retryAfter));
    expectNone(without503, report(`PostgreSQL ${mode}: the subgraph answers SERVICE_UNAVAILABLE with HTTP 503 and Retry-After`, during, without503));
    const steady = sentBetween(answers, steadyFrom);
    const unsteady = steady.filter((a) => outcome(a) !== 'OK' || a.ms > STEADY_ANSWER_MS);
    expectNone(unsteady, report(`PostgreSQL ${mode}, recovered: every enrolment succeeds within ${STEADY_ANSWER_MS} ms`, steady, unsteady));
    expect.soft(graph.crashes().map((exit) => exit.name), graph.output()).toEqual([]);
    expect.soft([readyDuringOutage, await readiness('learners')], "the learners subgraph's /readyz reports the database: 503 while down, 200 again").toEqual([503, 200]);

    // Every acknowledged enrolment is in the database.
    const acknowledged = new Map(answers.flatMap((a) => (acknowledgedId(a) ? [[a.label, acknowledgedId(a)!] as const] : [])));
    const stored = await graph.sql<{ id: string }>('select id from learners.learner where id = any($1::uuid[])', [[...acknowledged.values()]]);
    const lost = [...acknowledged].filter(([, id]) => !stored.some((row) => row.id === id));
    expect.soft(lost, `PostgreSQL ${mode}: acknowledged enrolments missing from the database (${acknowledged.size} acknowledged)`).toEqual([]);

    // Every key retried: an acknowledged one answers with its learner and creates nobody; an unanswered one enrols once.
    const retries = await retryEach(answers);
    const retryFailed = retries.filter((r) => outcome(r) !== 'OK');
    expectNone(retryFailed, report(`PostgreSQL ${mode}: every retry with the same key succeeds`, retries, retryFailed));
    const changed = retries.filter((r) => acknowledged.has(r.label) && (acknowledgedId(r) !== acknowledged.get(r.label) || r.body?.data?.enrolLearner?.replayed !== true));
    expectNone(changed, report(`PostgreSQL ${mode}: a retry of an acknowledged enrolment returns its learner, replayed: true`, retries, changed));
    const keys = answers.map((a) => `${run}-${a.label}`);
    const [counts] = await graph.sql<{ learners: number; keys: number }>(
      'select count(*)::int as learners, count(distinct idempotency_key)::int as keys from learners.enrolment where idempotency_key = any($1::text[])',
      [keys],
    );
    expect.soft(counts, `PostgreSQL ${mode}: one learner per key after every key was retried`).toEqual({ learners: keys.length, keys: keys.length });

    const outage = during.filter((a) => a.startedAt < startedAt);
    console.info(
      `PostgreSQL ${mode}: down ${startedAt - stoppedAt} ms; during it ${countsByCode(outage)}; enrolments succeeded again ${recoveryMs} ms after it started; ` +
        `${acknowledged.size} acknowledged, all checked in the database; ${retries.length} keys retried`,
    );
  });
});

describe('concurrent retries with one idempotency key', () => {
  it("answer with the first call's learner and create one", async () => {
    const keys = Array.from({ length: 5 }, (_, i) => `same-key-${i}`);
    const answers = (
      await Promise.all(keys.map((key) => Promise.all([0, 1, 2].map((copy) => enrolLearner(urlFor(copy), partnerToken, run, key)))))
    ).flat();
    const failed = answers.filter((a) => outcome(a) !== 'OK');
    expectNone(failed, report('concurrent same-key enrolments all succeed', answers, failed));
    for (const key of keys) {
      const forKey = answers.filter((a) => a.label === key);
      expect.soft(new Set(forKey.map(acknowledgedId).filter(Boolean)).size, `${key}: one learner for every copy`).toBe(1);
      expect.soft(forKey.filter((a) => a.body?.data?.enrolLearner?.replayed === false).length, `${key}: created once`).toBe(1);
    }
    const [row] = await graph.sql<{ learners: number }>('select count(*)::int as learners from learners.enrolment where idempotency_key = any($1::text[])', [
      keys.map((key) => `${run}-${key}`),
    ]);
    expect(row?.learners).toBe(keys.length);
  });
});

/** A subgraph's /readyz status. */
async function readiness(name: ServiceName): Promise<number> {
  const response = await fetch(graph.subgraphUrl(name).replace(/\/graphql$/, '/readyz'), { signal: AbortSignal.timeout(5_000) });
  await response.body?.cancel();
  return response.status;
}

/** Sends every key of `answers` again, with the same input, a few at a time. */
async function retryEach(answers: readonly Answer[]): Promise<Answer[]> {
  const pending = answers.map((a, index) => ({ key: a.label, loop: index }));
  const retries: Answer[] = [];
  const worker = async () => {
    for (let next = pending.shift(); next; next = pending.shift()) retries.push(await enrolLearner(urlFor(next.loop), partnerToken, run, next.key));
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return retries;
}
