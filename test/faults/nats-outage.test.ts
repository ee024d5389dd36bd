import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countsByCode, expectNone, outcome, report, sentBetween, startLoad } from './support/load.ts';
import { sleep, waitFor } from './support/processes.ts';
import { acknowledgedId, ENROLLING_PROVIDER, enrolLearner } from './support/requests.ts';
import { startFaultTopology, type FaultTopology } from './support/topology.ts';

/**
 * NATS stops while a partner enrols learners. The learners service records
 * each enrolment's events in its outbox in the same transaction, so writes go
 * on; once NATS is back the outbox is published and the credentials service's
 * read model (who is enrolled where, the state employers may find them by)
 * shows every learner enrolled during the outage, without restarting anything.
 */

/** How long NATS stays down. */
const OUTAGE_MS = 5_000;
/** No enrolment waits on the broker. */
const WRITE_MS = 2_000;
/** From NATS accepting connections again to the last enrolment reaching the credentials service (it took 8 s before). */
const CATCH_UP_MS = 20_000;

const run = `nats${randomBytes(3).toString('hex')}`;
let graph: FaultTopology;
let partnerToken: string;

beforeAll(async () => {
  graph = await startFaultTopology();
  partnerToken = await graph.tokens.tokenFor('PARTNER');
});
afterAll(async () => {
  await graph?.destroy();
});

describe('NATS stopped under enrolments', () => {
  it('keeps accepting writes and delivers every event once it is back', async () => {
    const load = startLoad({ loops: 2, request: (loop, n) => enrolLearner(graph.gatewayUrl, partnerToken, run, `${loop}-${n}`), pauseMs: 50 });
    await sleep(1_000);
    const stoppedAt = Date.now();
    await graph.nats.stop();
    await sleep(OUTAGE_MS);
    await graph.nats.start();
    const startedAt = Date.now();
    await sleep(500);
    const answers = await load.stop();

    const during = sentBetween(answers, stoppedAt, startedAt);
    const failed = answers.filter((a) => outcome(a) !== 'OK' || a.ms > WRITE_MS);
    expectNone(failed, report(`NATS down: every enrolment succeeds within ${WRITE_MS} ms`, answers, failed));
    expect.soft(during.length, report('NATS down: enrolments were made during the outage', during)).toBeGreaterThan(5);

    const enrolled = answers.flatMap((a) => acknowledgedId(a) ?? []);
    // Each enrolment announces itself (learner.enrolled); a learner a provider enrolled has chosen nothing else to announce yet.
    const missing = async () => {
      const [row] = await graph.sql<{ enrolment: number }>(
        `select (select count(*)::int from credentials.learner_enrolment where learner_id = any($1::uuid[]) and provider_id = $2) as enrolment`,
        [enrolled, ENROLLING_PROVIDER],
      );
      return { enrolment: enrolled.length - (row?.enrolment ?? 0) };
    };
    await waitFor(async () => Object.values(await missing()).every((count) => count === 0), {
      timeoutMs: CATCH_UP_MS,
      everyMs: 250,
      what: 'every enrolment reaching the credentials service',
    }).catch(async (error: Error) => {
      const [outbox] = await graph.sql<{ unpublished: number }>('select count(*)::int as unpublished from learners.outbox where published_at is null');
      throw new Error(`${error.message}: still missing ${JSON.stringify(await missing())} of ${enrolled.length}; unpublished in the outbox: ${outbox?.unpublished}\n${graph.output()}`);
    });
    const caughtUpMs = Date.now() - startedAt;
    const [outbox] = await graph.sql<{ unpublished: number }>('select count(*)::int as unpublished from learners.outbox where published_at is null');
    expect.soft(outbox?.unpublished, 'the outbox is drained').toBe(0);
    expect.soft(graph.crashes().map((exit) => exit.name), graph.output()).toEqual([]);
    console.info(
      `NATS down ${startedAt - stoppedAt} ms: ${countsByCode(during)} during it; all ${enrolled.length} enrolments reached credentials ${caughtUpMs} ms after NATS started`,
    );
  });
});
