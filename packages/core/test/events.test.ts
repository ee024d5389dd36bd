import { eventually, jetStreamSkipReason, natsServerSkipReason, openTestDatabase, openTestEventTransport, startThrowawayNats, type TestEventsKind } from '@tauliah/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { pgSchema } from 'drizzle-orm/pg-core';
import { asc, isNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import {
  createLogger,
  defineEvent,
  JetStreamTransport,
  outboxTable,
  recordEvent,
  startEventConsumer,
  startOutboxRelay,
  type BackgroundWorker,
  type Database,
  type DatabaseConnection,
  type Delivery,
  type EventEnvelope,
  type EventTransport,
} from '../src/index.ts';

const log = createLogger({ level: 'silent' });
const outbox = outboxTable(pgSchema('events_test'));
const counted = defineEvent('learners', 'test.counted', z.object({ n: z.number().int() }));
type Counted = EventEnvelope<{ n: number }>;

let connection: DatabaseConnection;
let db: Database;
const cleanup: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  connection = await openTestDatabase({ template: false });
  db = connection.drizzle({ outbox }).db;
  await connection.query('create schema events_test');
  // The table outboxTable() declares, as drizzle-kit generates it for a service.
  await connection.query(`create table events_test.outbox (
    position bigserial primary key, id uuid not null unique default gen_random_uuid(), subject text not null,
    payload jsonb not null, created_at timestamptz not null default now(), published_at timestamptz)`);
});
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
  await connection.query('delete from events_test.outbox');
});
afterAll(() => connection?.close());

/** Records events as a service does: inside one transaction. */
async function record(...ns: number[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const n of ns) await recordEvent(tx, outbox, counted, { n });
  });
}

const unpublished = async () => (await db.select({ position: outbox.position }).from(outbox).where(isNull(outbox.publishedAt)).orderBy(asc(outbox.position))).length;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function track<T extends BackgroundWorker | EventTransport>(thing: T): T {
  cleanup.push(() => ('kind' in thing ? thing.close() : thing.stop()));
  return thing;
}

/** A consumer that keeps what it handled; `fail` decides which deliveries throw. */
function consumer(transport: EventTransport, durable = 'test-consumer', fail: (event: Counted) => boolean = () => false) {
  const handled: Counted[] = [];
  const worker = startEventConsumer({
    transport,
    contract: counted,
    durable,
    log,
    async handle(event) {
      if (fail(event)) throw new Error(`refusing ${event.data.n}`);
      handled.push(event);
    },
  });
  return { handled, worker, numbers: () => handled.map((e) => e.data.n) };
}

const unreachableBroker = () => new JetStreamTransport({ servers: 'nats://127.0.0.1:1', namespace: 'unreachable', log, timeoutMs: 500 });

const brokers: Array<{ kind: TestEventsKind; title: string; skip: string | undefined }> = [
  { kind: 'in-process', title: 'the in-process broker', skip: undefined },
  { kind: 'jetstream', title: 'NATS JetStream', skip: jetStreamSkipReason() },
];

for (const { kind, title, skip } of brokers) {
  describe.skipIf(skip !== undefined)(`the outbox relay and a durable consumer over ${title}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    it('publishes the outbox oldest first and marks each row only once the broker took it', async () => {
      const transport = track(openTestEventTransport(kind));
      await record(1, 2, 3);
      await record(4, 5);
      const relay = startOutboxRelay({ db, outbox, transport, log, pollMs: 60_000 });
      cleanup.push(() => relay.stop());
      const { numbers, handled, worker } = consumer(transport);
      track(worker);

      await relay.flush();
      expect(await unpublished()).toBe(0);
      await eventually(() => handled.length === 5, 'five events');
      expect(numbers()).toEqual([1, 2, 3, 4, 5]);
      const versions = handled.map((e) => e.version);
      expect([...versions].sort((a, b) => a - b)).toEqual(versions);
      expect(new Set(handled.map((e) => e.id)).size).toBe(5);
      expect(handled[0]).toMatchObject({ subject: 'learners.test.counted', data: { n: 1 } });
    });

    it('stores an event once when the relay publishes it again (it died before marking the row)', async () => {
      const transport = track(openTestEventTransport(kind));
      await record(1, 2, 3);
      const relay = startOutboxRelay({ db, outbox, transport, log, pollMs: 60_000 });
      cleanup.push(() => relay.stop());
      await relay.flush();
      expect(await unpublished()).toBe(0);
      // As if the process had died between the broker's ack and the update that marks the rows.
      await connection.query('update events_test.outbox set published_at = null');
      await record(4);
      await relay.flush();
      expect(await unpublished()).toBe(0);

      const { numbers, worker } = consumer(transport);
      track(worker);
      await eventually(() => numbers().length >= 4, 'four events');
      await pause(300);
      expect(numbers()).toEqual([1, 2, 3, 4]);
    });

    it('keeps events in the outbox while the broker is unreachable and loses none of them once it is back', async () => {
      const down = unreachableBroker();
      const outage = startOutboxRelay({ db, outbox, transport: down, log, pollMs: 50 });
      await record(1);
      await record(2, 3);
      await pause(700);
      await expect(outage.flush()).rejects.toThrow(/unreachable/);
      expect(await unpublished()).toBe(3);
      await outage.stop();
      await down.close();
      expect(await unpublished()).toBe(3);

      const transport = track(openTestEventTransport(kind));
      const { numbers, worker } = consumer(transport);
      track(worker);
      const relay = startOutboxRelay({ db, outbox, transport, log, pollMs: 50 });
      cleanup.push(() => relay.stop());
      await record(4);
      await eventually(() => numbers().length === 4, 'every event recorded during the outage');
      expect(numbers()).toEqual([1, 2, 3, 4]);
      // The relay marks a round's rows once the broker took them all: a consumer may hear the last one first.
      await eventually(async () => (await unpublished()) === 0, 'every row marked published');
    });

    it('redelivers an event whose handler failed, without holding back the events after it', async () => {
      const transport = track(openTestEventTransport(kind));
      let refusals = 0;
      const { numbers, worker } = consumer(transport, 'flaky', (event) => event.data.n === 2 && refusals++ === 0);
      track(worker);
      await record(1, 2, 3);
      const relay = startOutboxRelay({ db, outbox, transport, log, pollMs: 50 });
      cleanup.push(() => relay.stop());
      await eventually(() => numbers().length === 3, 'the refused event, redelivered');
      expect(refusals).toBe(2);
      expect(numbers()).toEqual([1, 3, 2]);
    });

    it('resumes a durable consumer where it stopped, and only there', async () => {
      const transport = track(openTestEventTransport(kind));
      const relay = startOutboxRelay({ db, outbox, transport, log, pollMs: 50 });
      cleanup.push(() => relay.stop());
      const first = consumer(transport, 'resuming');
      await record(1, 2);
      await eventually(() => first.handled.length === 2, 'the first two events');
      await first.worker.stop();

      await record(3);
      await relay.flush();
      const second = consumer(transport, 'resuming');
      track(second.worker);
      await eventually(() => second.handled.length >= 1, 'the event published while it was stopped');
      await pause(300);
      expect(second.numbers()).toEqual([3]);
    });

    it('rejects an event that breaks its contract and goes on with the next', async () => {
      const transport = track(openTestEventTransport(kind));
      const { numbers, worker } = consumer(transport, 'strict');
      track(worker);
      const event = (n: unknown, version: number) => ({ id: randomUUID(), subject: counted.subject, version, occurredAt: new Date().toISOString(), data: { n } });
      await transport.publish(event('three', 1));
      await transport.publish({ ...event(4, 2), version: -1 });
      await transport.publish(event(5, 3));
      await eventually(() => numbers().length === 1, 'the valid event');
      await pause(300);
      expect(numbers()).toEqual([5]);
    });
  });
}

describe('the in-process broker', () => {
  it('hands the consumer every event published before an orderly stop: it keeps nothing after', async () => {
    const transport = track(openTestEventTransport('in-process'));
    const handled: number[] = [];
    let stopAsked!: () => void;
    const stopping = new Promise<void>((resolve) => (stopAsked = resolve));
    const worker = startEventConsumer({
      transport,
      contract: counted,
      durable: 'draining',
      log,
      async handle(event) {
        await stopping;
        handled.push(event.data.n);
      },
    });
    await record(1, 2, 3, 4, 5);
    const relay = startOutboxRelay({ db, outbox, transport, log, pollMs: 60_000 });
    await relay.flush();
    await relay.stop();
    expect(handled).toEqual([]);
    const stopped = worker.stop();
    stopAsked();
    await stopped;
    expect(handled).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('a durable consumer', () => {
  it('handles an event once when the broker delivers it again after its acknowledgement (a broker restart lost the ack)', async () => {
    const event: Counted = { id: randomUUID(), subject: counted.subject, version: 1, occurredAt: new Date().toISOString(), data: { n: 1 } };
    const settled: string[] = [];
    const delivery = (): Delivery => ({
      body: JSON.stringify(event),
      // A broker that lost its consumer's state counts the delivery as a first one again.
      attempt: 1,
      ack: () => settled.push('ack'),
      retry: () => settled.push('retry'),
      reject: () => settled.push('reject'),
    });
    let closed!: () => void;
    const closing = new Promise<void>((resolve) => (closed = resolve));
    const forgetful: EventTransport = {
      kind: 'jetstream',
      publish: async () => {},
      async subscribe() {
        return {
          messages: (async function* () {
            yield delivery();
            yield delivery();
            await closing;
          })(),
          close: async () => closed(),
        };
      },
      close: async () => closed(),
    };
    const { numbers, worker } = consumer(forgetful, 'forgetful');
    track(worker);
    await eventually(() => settled.length === 2, 'both deliveries settled');
    expect(numbers()).toEqual([1]);
    expect(settled).toEqual(['ack', 'ack']);
  });
});

const natsServerMissing = natsServerSkipReason('the tests that stop and start a NATS server');

describe.skipIf(natsServerMissing !== undefined)(`NATS JetStream going down and coming back${natsServerMissing ? ` (skipped: ${natsServerMissing})` : ''}`, () => {
  /** A JetStream server of the test's own (stopping it disturbs no other test) and a transport to it. */
  async function privateBroker(namespace: string) {
    const nats = await startThrowawayNats();
    cleanup.push(() => nats.destroy());
    const transport = track(new JetStreamTransport({ servers: nats.url, namespace: `${namespace}_${randomBytes(4).toString('hex')}`, log, timeoutMs: 1_000 }));
    return { nats, transport };
  }

  it('holds the events while the broker is down and publishes them, in order, once it is back', async () => {
    const { nats, transport } = await privateBroker('outage');
    const { numbers, worker } = consumer(transport, 'outage');
    track(worker);
    const relay = startOutboxRelay({ db, outbox, transport, log, pollMs: 50 });
    cleanup.push(() => relay.stop());
    await record(1);
    await eventually(() => numbers().length === 1, 'the event before the outage');

    // Moments after the consumer acknowledged event 1: the broker may come back without that ack and send it again.
    await nats.stop();
    await record(2);
    await record(3);
    await pause(1_500);
    expect(await unpublished()).toBe(2);

    // The same port and store: the streams and the durable consumer are still there.
    await nats.start();
    await eventually(() => numbers().length >= 3, 'the events recorded during the outage', 45_000);
    await pause(300);
    expect(numbers()).toEqual([1, 2, 3]);
    // The relay marks its round published once the broker acknowledged it, which may come after the consumer heard it.
    await eventually(async () => (await unpublished()) === 0, 'the relay marks the events it published');
  }, 90_000);

  it('subscribes again when its consumer is deleted under it, and hears what is published next', async () => {
    const { nats, transport } = await privateBroker('deleted');
    const { numbers, worker } = consumer(transport, 'deleted');
    track(worker);
    const event = (n: number) => ({ id: randomUUID(), subject: counted.subject, version: n, occurredAt: new Date().toISOString(), data: { n } });
    await transport.publish(event(1));
    await eventually(() => numbers().length === 1, 'the first event');

    const admin = await connect({ servers: nats.url });
    try {
      await (await jetstreamManager(admin)).consumers.delete(transport.streamName('learners'), 'deleted');
    } finally {
      await admin.close();
    }
    await transport.publish(event(2));
    await eventually(() => numbers().includes(2), 'the event published after its consumer was deleted', 45_000);
  }, 90_000);
});

describe('a NATS_URL with credentials', () => {
  it('gives the client the user and password apart, and keeps them out of the server addresses', async () => {
    const { natsServers } = await import('../src/events/jetstream.ts');
    expect(natsServers('nats://learners:s%40cret@nats:4222, nats://learners:s%40cret@nats-2:4222')).toEqual({
      servers: ['nats://nats:4222', 'nats://nats-2:4222'],
      user: 'learners',
      pass: 's@cret',
    });
    expect(natsServers('nats://127.0.0.1:4222')).toEqual({ servers: ['nats://127.0.0.1:4222'], user: undefined, pass: undefined });
  });
});
