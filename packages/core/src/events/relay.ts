import { asc, inArray, isNull, lt, sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { Logger } from 'pino';
import type { Database } from '../database.ts';
import { observeBacklog, type BacklogReport } from '../telemetry/metrics.ts';
import type { EventEnvelope } from './envelope.ts';
import type { OutboxTable } from './outbox.ts';
import type { EventTransport } from './transport.ts';
import { backoff, Pause, type BackgroundWorker } from './worker.ts';

export interface OutboxRelayOptions {
  /** A database handle of the relay's own (its statements are not a request's). */
  db: Database;
  outbox: OutboxTable;
  transport: EventTransport;
  log: Logger;
  /** How often to look for new rows while idle. */
  pollMs?: number;
  /** Rows per round; a full round is followed at once by the next. */
  batchSize?: number;
  /** How long published rows are kept (for inspection) before they are deleted. */
  retentionMs?: number;
}

export interface OutboxRelay extends BackgroundWorker {
  /** Publishes what is pending now, in order; resolves with how many were published. */
  flush(): Promise<number>;
}

const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Publishes a service's outbox to the broker: unpublished rows oldest first,
 * one at a time, each marked published only after the broker acknowledged it.
 * A broker outage stops the round at the first failure and the relay tries
 * again with growing pauses: the rows wait in the outbox, in order, and the
 * writes that recorded them never noticed. A row published but not marked
 * (the process died in between) is published again and dropped by the
 * broker's de-duplication on its id; consumers also drop versions they have.
 *
 * Several replicas may each run a relay: they publish the same rows in the
 * same order and the broker keeps each once.
 *
 * While it runs, the outbox's lag is in the process's metrics (read at each
 * scrape): how many events wait and how old the oldest is, under the service
 * that owns the outbox (its table's schema).
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, outbox, transport, log } = options;
  const pollMs = options.pollMs ?? 250;
  const batchSize = options.batchSize ?? 100;
  const retentionMs = options.retentionMs ?? 7 * 24 * 3_600_000;
  const pause = new Pause();
  let stopping = false;
  let failures = 0;
  let prunedAt = 0;
  // One round at a time: the loop and flush() share it, so rows go out once and in order.
  let round: Promise<number> = Promise.resolve(0);
  const stopObserving = observeBacklog('outbox', getTableConfig(outbox).schema ?? 'public', () => outboxLag(db, outbox));

  async function publishPending(): Promise<number> {
    const rows = await db
      .select({ id: outbox.id, position: outbox.position, subject: outbox.subject, payload: outbox.payload, createdAt: outbox.createdAt })
      .from(outbox)
      .where(isNull(outbox.publishedAt))
      .orderBy(asc(outbox.position))
      .limit(batchSize);
    const published: number[] = [];
    try {
      for (const row of rows) {
        const event: EventEnvelope = { id: row.id, subject: row.subject, version: row.position, occurredAt: row.createdAt.toISOString(), data: row.payload };
        await transport.publish(event);
        published.push(row.position);
      }
    } finally {
      if (published.length > 0) {
        await db.update(outbox).set({ publishedAt: sql`now()` }).where(inArray(outbox.position, published));
      }
    }
    return published.length;
  }

  async function prune(): Promise<void> {
    if (Date.now() - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = Date.now();
    await db.delete(outbox).where(lt(outbox.publishedAt, new Date(Date.now() - retentionMs)));
  }

  function nextRound(): Promise<number> {
    round = round.catch(() => 0).then(publishPending);
    return round;
  }

  const loop = (async () => {
    while (!stopping) {
      let published = 0;
      try {
        published = await nextRound();
        await prune();
        if (failures > 0) log.info({ after: failures }, 'event broker reachable again; publishing the outbox');
        failures = 0;
      } catch (error) {
        failures += 1;
        const level = failures === 1 || failures % 20 === 0 ? 'warn' : 'debug';
        log[level]({ err: error, failures }, 'publishing the outbox failed; the events wait in it');
      }
      if (published === batchSize || stopping) continue;
      await pause.for(failures > 0 ? backoff(failures) : pollMs);
    }
  })();

  return {
    flush: nextRound,
    async stop() {
      stopping = true;
      stopObserving();
      pause.interrupt();
      await loop;
      // A last round, so what the final requests recorded goes out now rather than at the next start
      // (not while the broker is down: the events wait in the outbox either way).
      if (failures > 0) return;
      try {
        await nextRound();
      } catch (error) {
        log.warn({ err: error }, 'the outbox keeps events the broker did not take before stopping');
      }
    },
  };
}

/** How many events wait in the outbox, and how old the oldest is by the database's clock. */
async function outboxLag(db: Database, outbox: OutboxTable): Promise<BacklogReport> {
  const [lag] = await db
    .select({
      backlog: sql<number>`count(*)::int`,
      oldestAgeSeconds: sql<number>`coalesce(extract(epoch from now() - min(${outbox.createdAt})), 0)::float8`,
    })
    .from(outbox)
    .where(isNull(outbox.publishedAt));
  return { backlog: Number(lag?.backlog ?? 0), oldestAgeSeconds: Math.max(0, Number(lag?.oldestAgeSeconds ?? 0)) };
}
