import { services } from '@tauliah/cli';
import * as core from '@tauliah/core';
import {
  createLogger,
  JetStreamTransport,
  SERVICE_NAMES,
  type DatabaseConnection,
  type EventContract,
  type EventEnvelope,
  type EventSubscription,
  type EventTransport,
  type ServiceName,
  type SubscribeOptions,
} from '@tauliah/core';
import { testConfig } from '@tauliah/testing';

/**
 * Who publishes and who consumes which stream, read from the code rather
 * than written down: the one source of truth the NATS users' permissions
 * (deploy/nats/nats-server.conf, and through it the Helm values, the compose
 * file and the Secrets) are checked against.
 *
 * - A service publishes its own stream when some event contract names it as
 *   the producer (packages/core/src/events/contracts.ts): its outbox relay
 *   publishes every event it records, and only to its own stream.
 * - A service consumes what its background worker subscribes to. Each
 *   service's `worker` is started as production starts it, on a real
 *   migrated database, with a transport that records every subscription
 *   (stream, subject, durable name) and hands over no message; then stopped.
 *   Nothing is listed by hand, so a consumer added to a worker changes what
 *   the permissions must allow, and the test fails until they do.
 */
export interface ServiceEvents {
  service: ServiceName;
  /** The subjects of the events it produces (its stream's), from the contracts. */
  produces: string[];
  /** Every durable consumer its worker starts. */
  consumes: SubscribeOptions[];
}

/** Every event contract core declares: the exports of `@tauliah/core` shaped like one. */
export function eventContracts(): EventContract<unknown>[] {
  return (Object.values(core) as unknown[]).filter((value): value is EventContract<unknown> => {
    const candidate = value as Partial<EventContract<unknown>> | null;
    return (
      typeof candidate === 'object' &&
      candidate !== null &&
      typeof candidate.subject === 'string' &&
      (SERVICE_NAMES as readonly string[]).includes(candidate.producer as string) &&
      typeof (candidate.data as { safeParse?: unknown } | undefined)?.safeParse === 'function'
    );
  });
}

/**
 * A broker that keeps what a worker asks of it: each subscription (with a
 * subscription that stays idle until closed) and each subject published
 * (the relay's round over the seeded outbox).
 */
class RecordingTransport implements EventTransport {
  readonly kind = 'jetstream';
  readonly subscriptions: SubscribeOptions[] = [];
  readonly published = new Set<string>();

  async publish(event: EventEnvelope): Promise<void> {
    this.published.add(event.subject);
  }

  async subscribe(options: SubscribeOptions): Promise<EventSubscription> {
    this.subscriptions.push(options);
    let end: () => void = () => {};
    const closed = new Promise<void>((resolve) => (end = resolve));
    return {
      // Nothing to hand over: the messages end once the subscription is closed.
      messages: { [Symbol.asyncIterator]: () => ({ next: async () => (await closed, { done: true as const, value: undefined }) }) },
      async close() {
        end();
      },
    };
  }

  async close(): Promise<void> {}
}

/**
 * Each service's events, from its contracts and its worker. `connection`
 * must hold every service's tables (a test database, migrated): a worker may
 * read its own at start-up (learners seals NRICs left in clear).
 */
export async function readEventFlows(connection: DatabaseConnection): Promise<ServiceEvents[]> {
  const contracts = eventContracts();
  const log = createLogger({ level: 'silent' });
  const config = testConfig();
  const flows: ServiceEvents[] = [];
  for (const name of SERVICE_NAMES) {
    const service = services.find((candidate) => candidate.name === name);
    if (!service) throw new Error(`the CLI lists no service ${name}`);
    const recorder = new RecordingTransport();
    if (service.worker) {
      const { db } = connection.drizzle(service.tables);
      const worker = await service.worker({ db, events: recorder, log, config });
      // Consumers subscribe as they start; a moment more lets one that subscribes after an await do so too.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await worker.stop();
    }
    const produces = contracts.filter((contract) => contract.producer === name).map((contract) => contract.subject);
    const strays = [...recorder.published].filter((subject) => !produces.includes(subject));
    if (strays.length > 0) throw new Error(`${name} published ${strays.join(', ')}, which no contract of ${name} declares`);
    flows.push({ service: name, produces, consumes: recorder.subscriptions });
  }
  return flows;
}

/** What a NATS user may publish and subscribe to. */
export interface NatsPermissions {
  publish: string[];
  subscribe: string[];
}

/** Names as the real transport makes them, for the namespace the configuration is written for. */
const naming = (namespace: string) => new JetStreamTransport({ servers: 'nats://127.0.0.1:4222', namespace, log: createLogger({ level: 'silent' }) });

/**
 * The permissions a service's user needs, exactly the JetStream API subjects
 * packages/core/src/events/jetstream.ts uses:
 * - publishing its own stream: the events' subjects, the account info every
 *   JetStream manager asks first, and the stream's info and creation (made
 *   on first use);
 * - consuming a stream: its info and creation (a consumer starting before
 *   the producer makes it), its durable consumers' info and creation (the
 *   server's named-consumer API, and the older durable one), pulling
 *   (MSG.NEXT) and acknowledging (both forms of the ack subject);
 * - answers to all of it (API replies, publish acks, pulled messages) on its
 *   own inbox.
 * In the order deploy/nats/nats-server.conf lists them: its own stream
 * first, then the streams it consumes in SERVICE_NAMES order.
 */
export function natsPermissionsFor(events: ServiceEvents, namespace = 'tauliah'): NatsPermissions {
  const names = naming(namespace);
  const publish: string[] = [];
  if (events.produces.length > 0) publish.push(`${names.subjectOf(events.service)}.>`);
  publish.push('$JS.API.INFO');
  if (events.produces.length > 0) {
    const stream = names.streamName(events.service);
    publish.push(`$JS.API.STREAM.INFO.${stream}`, `$JS.API.STREAM.CREATE.${stream}`);
  }
  for (const producer of consumedStreams(events)) {
    const stream = names.streamName(producer);
    publish.push(
      `$JS.API.STREAM.INFO.${stream}`,
      `$JS.API.STREAM.CREATE.${stream}`,
      `$JS.API.CONSUMER.INFO.${stream}.*`,
      `$JS.API.CONSUMER.CREATE.${stream}.>`,
      `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.*`,
      `$JS.API.CONSUMER.MSG.NEXT.${stream}.*`,
      `$JS.ACK.${stream}.>`,
      `$JS.ACK.*.*.${stream}.>`,
    );
  }
  return { publish: [...new Set(publish)], subscribe: ['_INBOX.>'] };
}

/** The streams (by producer) a service consumes, in SERVICE_NAMES order. */
export const consumedStreams = (events: ServiceEvents): ServiceName[] =>
  SERVICE_NAMES.filter((producer) => events.consumes.some((consumer) => consumer.producer === producer));

/** Whether a service needs a NATS user at all. */
export const usesEvents = (events: ServiceEvents): boolean => events.produces.length > 0 || events.consumes.length > 0;
