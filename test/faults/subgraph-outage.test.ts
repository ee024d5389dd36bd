import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countsByCode, expectNone, post, report, sentBetween, startLoad, type Answer } from './support/load.ts';
import { sleep, waitFor } from './support/processes.ts';
import { CATALOGUE, isWholeCatalogue, isWholePage, keepsOwnerData, ME_WITH_CREDENTIALS } from './support/requests.ts';
import { startFaultTopology, type FaultTopology } from './support/topology.ts';

/**
 * A subgraph dies or hangs while learners read their page through the
 * gateway. What a learner depends on: their own data still comes (with a
 * coded, retryable error for what is missing), nothing else falls over, a
 * hung subgraph does not hold every request, and all comes back by itself.
 */

/** The gateway's timeout for a subgraph here: short, so the hung case stays short; the breaker must answer far faster. */
const SUBGRAPH_TIMEOUT_MS = 5_000;
/** A page missing a down or hung subgraph is answered within this (the timeout is 5 s; without a breaker a hung one took all of it). */
const FAIL_FAST_MS = 1_500;
/** From the subgraph serving again to the gateway serving whole pages again. */
const RECOVERY_MS = 15_000;

let graph: FaultTopology;
let learnerToken: string;

beforeAll(async () => {
  graph = await startFaultTopology({ gatewayEnv: { SUBGRAPH_TIMEOUT_MS: String(SUBGRAPH_TIMEOUT_MS) } });
  learnerToken = await graph.tokens.tokenFor('LEARNER');
});
afterAll(async () => {
  await graph?.destroy();
});
beforeEach(async () => {
  await graph.restoreAll();
});

/**
 * Five loops reading the learner's page (as many as the gateway's default
 * breaker threshold: one round of timeouts opens it) and one reading the
 * catalogue, which the faulty subgraph has no part in.
 */
function readLoad() {
  return startLoad({ loops: 6, request: readRequest, pauseMs: 20 });
}

const readRequest = (loop: number) =>
  loop === 0
    ? post(graph.gatewayUrl, { query: CATALOGUE }, { label: 'catalogue' })
    : post(graph.gatewayUrl, { query: ME_WITH_CREDENTIALS }, { token: learnerToken, label: 'me' });

const pages = (answers: Answer[]) => answers.filter((a) => a.label === 'me');
const catalogues = (answers: Answer[]) => answers.filter((a) => a.label === 'catalogue');

/** During an outage a page has the learner's name and only SUBGRAPH_UNAVAILABLE errors, if any. */
function expectPartialPages(title: string, answers: Answer[]): void {
  const broken = pages(answers).filter((a) => !keepsOwnerData(a) || a.codes.some((code) => code !== 'SUBGRAPH_UNAVAILABLE'));
  expectNone(broken, report(`${title}: every page keeps the learner's name, with SUBGRAPH_UNAVAILABLE only`, answers, broken));
  const coded = pages(answers).filter((a) => a.codes.includes('SUBGRAPH_UNAVAILABLE'));
  expect.soft(coded.length, report(`${title}: the missing credentials are reported as SUBGRAPH_UNAVAILABLE`, answers)).toBeGreaterThan(0);
}

function expectWholeCatalogue(title: string, answers: Answer[], withinMs: number): void {
  const broken = catalogues(answers).filter((a) => !isWholeCatalogue(a) || a.ms > withinMs);
  expectNone(broken, report(`${title}: the catalogue is answered whole within ${withinMs} ms`, answers, broken));
}

/** The gateway's /readyz: its status, and whether its body names credentials as anything but ready. */
async function gatewayReadiness(): Promise<{ status: number; text: string; namesCredentialsMissing: boolean }> {
  const response = await fetch(graph.gatewayUrl.replace(/\/graphql$/, '/readyz'), { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  return { status: response.status, text, namesCredentialsMissing: text.includes('credentials') && !/"credentials"\s*:\s*"ready"/.test(text) };
}

/** Waits (from `from`, at most RECOVERY_MS) for a whole page, then puts the load back on for a while and requires every answer in it to be whole. */
async function expectRecovery(title: string, from: number): Promise<number> {
  let last: Answer | undefined;
  await waitFor(
    async () => {
      last = await post(graph.gatewayUrl, { query: ME_WITH_CREDENTIALS }, { token: learnerToken });
      return isWholePage(last);
    },
    { timeoutMs: RECOVERY_MS - (Date.now() - from), everyMs: 200, what: `${title}: whole pages again` },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; the last answer: ${JSON.stringify(last?.body ?? last?.failure)}`);
  });
  const wholeAt = Date.now();
  const steadyLoad = readLoad();
  await sleep(2_000);
  const steady = await steadyLoad.stop();
  const broken = steady.filter((a) => (a.label === 'me' ? !isWholePage(a) : !isWholeCatalogue(a)));
  expectNone(broken, report(`${title}: every answer whole once recovered`, steady, broken), { hard: true });
  return wholeAt - from;
}

describe('a subgraph killed under load', () => {
  it("keeps the learner's own data, fails only with a coded retryable error, and recovers when the subgraph is back", async () => {
    const load = readLoad();
    await sleep(2_000);
    const before = [...load.answers];
    const notWhole = before.filter((a) => (a.label === 'me' ? !isWholePage(a) : !isWholeCatalogue(a)));
    expectNone(notWhole, report('before the fault: every answer whole', before, notWhole), { hard: true });

    const killedAt = Date.now();
    await graph.subgraphs.credentials.kill();
    await sleep(4_000);
    const readiness = await gatewayReadiness();
    const outage = sentBetween(await load.stop(), killedAt);
    expectPartialPages('credentials killed', outage);
    expectWholeCatalogue('credentials killed', outage, 2_000);
    const slow = pages(outage).filter((a) => a.ms > FAIL_FAST_MS);
    expectNone(slow, report(`credentials killed: pages answered within ${FAIL_FAST_MS} ms`, outage, slow));
    expect.soft(readiness.namesCredentialsMissing, `the gateway's /readyz names the missing subgraph: ${readiness.status} ${readiness.text}`).toBe(true);

    const restartedAt = Date.now();
    await graph.subgraphs.credentials.start();
    const servedAgainAt = Date.now();
    const recoveryMs = await expectRecovery('credentials restarted', servedAgainAt);
    const ready = await gatewayReadiness();
    expect.soft([ready.status, ready.namesCredentialsMissing], `the gateway is ready again: ${ready.text}`).toEqual([200, false]);
    expect.soft(graph.crashes().map((exit) => exit.name), graph.output()).toEqual([]);
    console.info(
      `subgraph killed: ${outage.length} answers during the outage (${countsByCode(outage)}); process restart ${servedAgainAt - restartedAt} ms, whole pages ${recoveryMs} ms after it served`,
    );
  });
});

describe('a subgraph hung (SIGSTOP) under load', () => {
  it("fails fast once the breaker has opened, keeps the learner's own data, and recovers after SIGCONT", async () => {
    const load = readLoad();
    await sleep(1_000);
    const pausedAt = Date.now();
    graph.subgraphs.credentials.pause();
    // The breaker needs a few timed-out calls to open; from twice the timeout on, every call must fail fast.
    const openFrom = pausedAt + 2 * SUBGRAPH_TIMEOUT_MS + 1_000;
    await sleep(openFrom - Date.now() + 4_000);
    const readiness = await gatewayReadiness();
    const hung = sentBetween(await load.stop(), pausedAt);

    // Before the breaker opens a page waits at most the timeout, never the old 30 s.
    const overTimeout = pages(hung).filter((a) => a.ms > SUBGRAPH_TIMEOUT_MS + 2_000);
    expectNone(overTimeout, report(`credentials hung: no page waits past the ${SUBGRAPH_TIMEOUT_MS} ms timeout`, hung, overTimeout));
    expectPartialPages('credentials hung', hung);
    const open = sentBetween(hung, openFrom);
    const slow = pages(open).filter((a) => a.ms > FAIL_FAST_MS);
    expectNone(slow, report(`credentials hung, breaker open: every page answered within ${FAIL_FAST_MS} ms`, open, slow));
    expect.soft(pages(open).length, report('credentials hung, breaker open: pages kept coming', open)).toBeGreaterThan(10);
    expectWholeCatalogue('credentials hung', hung, 2_000);
    expect.soft(readiness.namesCredentialsMissing, `the gateway's /readyz names the hung subgraph: ${readiness.status} ${readiness.text}`).toBe(true);

    const resumedAt = Date.now();
    graph.subgraphs.credentials.resume();
    const recoveryMs = await expectRecovery('credentials resumed', resumedAt);
    expect.soft(graph.crashes().map((exit) => exit.name), graph.output()).toEqual([]);
    const slowest = Math.max(0, ...pages(open).map((a) => a.ms));
    console.info(`subgraph hung: ${countsByCode(hung)}; ${pages(open).length} pages with the breaker open (slowest ${slowest} ms); whole pages ${recoveryMs} ms after SIGCONT`);
  });
});
