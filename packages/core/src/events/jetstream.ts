import { AckPolicy, DeliverPolicy, DiscardPolicy, JetStreamApiCodes, JetStreamApiError, jetstream, jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { EventEnvelope } from './envelope.ts';
import { DUPLICATE_WINDOW_MS, producerOf, type Delivery, type EventSubscription, type EventTransport, type SubscribeOptions } from './transport.ts';

/** How long a stream keeps events: a consumer that is down for longer misses them. */
const STREAM_MAX_AGE_MS = 30 * 24 * 3_600_000;
/** How long one pull waits for messages; the broker sends heartbeats every half of it while it waits. */
const PULL_EXPIRES_MS = 10_000;
/** Missed heartbeats after which a pull counts as lost: about 10 s of silence from a broker that is reachable. */
const STALLED_AFTER_MISSED_HEARTBEATS = 2;
/** What says the subscription will get nothing more as it is. */
const LOST = new Set(['consumer_not_found', 'consumer_deleted', 'stream_not_found']);

/** How long an unacknowledged message waits before JetStream redelivers it (a consumer that died mid-handler). */
const ACK_WAIT_MS = 30_000;

export class BrokerUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrokerUnavailable';
  }
}

export interface JetStreamTransportOptions {
  /** One nats:// URL, or several comma-separated (a cluster). */
  servers: string;
  /** Prefixes every subject and stream, so deployments (or test runs) sharing a broker never see each other's events. */
  namespace: string;
  log: Logger;
  /** How long a publish waits for a connection, then for the ack; past it the relay retries later. */
  timeoutMs?: number;
}

/**
 * NATS JetStream. The connection is made in the background and remade after
 * an outage, so a service starts and takes writes while the broker is down;
 * publishing fails meanwhile (the outbox keeps the events) and consumers
 * resume when it returns. Streams are made on first use, one per producer:
 * `<NAMESPACE>_<PRODUCER>` over `<namespace>.<producer>.>`.
 */
export class JetStreamTransport implements EventTransport {
  readonly kind = 'jetstream';
  private connection: NatsConnection | undefined;
  private connecting: Promise<NatsConnection> | undefined;
  private readonly streamsMade = new Map<string, Promise<void>>();
  private closed = false;
  private readonly timeoutMs: number;

  constructor(private readonly options: JetStreamTransportOptions) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    if (!/^[A-Za-z0-9_-]+$/.test(options.namespace)) throw new Error(`The event namespace "${options.namespace}" may hold only letters, digits, "_" and "-".`);
  }

  streamName(producer: string): string {
    return `${this.options.namespace}_${producer}`.toUpperCase();
  }

  subjectOf(subject: string): string {
    return `${this.options.namespace}.${subject}`;
  }

  /** The live connection, or one attempt to make it; a refused attempt is retried by the next caller. */
  private async connected(): Promise<NatsConnection> {
    if (this.closed) throw new BrokerUnavailable('The event transport is closed.');
    if (this.connection && !this.connection.isClosed()) return this.connection;
    const { servers, user, pass } = natsServers(this.options.servers);
    this.connecting ??= connect({
      servers,
      user,
      pass,
      name: `tauliah-${process.pid}`,
      timeout: this.timeoutMs,
      // Once connected, the client rides out outages by itself for as long as the process lives.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1_000,
    }).then(
      (connection) => {
        this.connection = connection;
        this.connecting = undefined;
        this.options.log.info({ server: connection.getServer() }, 'connected to NATS');
        if (this.closed) void connection.close();
        return connection;
      },
      (error: unknown) => {
        this.connecting = undefined;
        throw new BrokerUnavailable(`NATS at ${servers.join(',')} is unreachable: ${(error as Error).message}`);
      },
    );
    return this.connecting;
  }

  private async manager(): Promise<JetStreamManager> {
    return jetstreamManager(await this.connected(), { timeout: this.timeoutMs });
  }

  /** Makes the producer's stream unless it exists; concurrent callers share one attempt. */
  private ensureStream(producer: string): Promise<void> {
    const name = this.streamName(producer);
    let made = this.streamsMade.get(name);
    if (!made) {
      made = (async () => {
        const jsm = await this.manager();
        try {
          await jsm.streams.info(name);
        } catch (error) {
          if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound) throw error;
          await jsm.streams.add({
            name,
            subjects: [`${this.subjectOf(producer)}.>`],
            storage: StorageType.File,
            retention: RetentionPolicy.Limits,
            discard: DiscardPolicy.Old,
            max_age: nanos(STREAM_MAX_AGE_MS),
            duplicate_window: nanos(DUPLICATE_WINDOW_MS),
          });
          this.options.log.info({ stream: name }, 'made the event stream');
        }
      })();
      this.streamsMade.set(name, made);
      made.catch(() => this.streamsMade.delete(name));
    }
    return made;
  }

  async publish(event: EventEnvelope): Promise<void> {
    const producer = producerOf(event.subject);
    await this.ensureStream(producer);
    const js = jetstream(await this.connected(), { timeout: this.timeoutMs });
    try {
      // msgID: a re-published event (the relay died between the ack and marking the row) is stored once.
      await js.publish(this.subjectOf(event.subject), JSON.stringify(event), {
        msgID: event.id,
        expect: { streamName: this.streamName(producer) },
        timeout: this.timeoutMs,
      });
    } catch (error) {
      // Checked again next time: the stream may have gone with the broker's storage.
      this.streamsMade.delete(this.streamName(producer));
      throw error;
    }
  }

  async subscribe(options: SubscribeOptions): Promise<EventSubscription> {
    await this.ensureStream(options.producer);
    const stream = this.streamName(options.producer);
    const jsm = await this.manager();
    const config = {
      durable_name: options.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      // One subject (filter_subject): several per consumer need NATS 2.10.
      filter_subject: this.subjectOf(options.subject),
      ack_wait: nanos(ACK_WAIT_MS),
      max_deliver: -1,
    };
    try {
      await jsm.consumers.info(stream, options.durable);
      await jsm.consumers.update(stream, options.durable, { filter_subject: config.filter_subject, ack_wait: config.ack_wait });
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.ConsumerNotFound) throw error;
      await jsm.consumers.add(stream, config);
    }
    const consumer = await jetstream(await this.connected()).consumers.get(stream, options.durable);
    const pulled = await consumer.consume({ max_messages: 32, expires: PULL_EXPIRES_MS });
    let closing = false;
    // A pull can be lost when the broker goes away, leaving the consumer waiting for ever once it is back (heartbeats
    // missed), or the consumer may be gone: the subscription ends, and the worker subscribes afresh (consumer.ts).
    const log = this.options.log;
    void (async () => {
      for await (const status of pulled.status()) {
        const stalled = status.type === 'heartbeats_missed' ? status.count >= STALLED_AFTER_MISSED_HEARTBEATS : LOST.has(status.type);
        if (!stalled || closing) continue;
        log.warn({ durable: options.durable, status: status.type }, 'an event subscription stopped receiving; subscribing again');
        await pulled.close();
        break;
      }
    })().catch(() => {});

    async function* messages(): AsyncGenerator<Delivery> {
      for await (const message of pulled) {
        // Pulled but not handed over: back to the broker at once rather than after the ack wait.
        if (closing) {
          message.nak();
          continue;
        }
        yield {
          body: message.string(),
          attempt: message.info.deliveryCount,
          ack: () => message.ack(),
          retry: (delayMs) => message.nak(delayMs),
          reject: (reason) => message.term(reason),
        };
      }
    }

    return {
      messages: messages(),
      async close() {
        closing = true;
        await pulled.close();
      },
    };
  }

  /** Deletes this namespace's streams (a test run cleaning up after itself). */
  async deleteStreams(producers: readonly string[]): Promise<void> {
    const jsm = await this.manager();
    for (const producer of producers) {
      try {
        await jsm.streams.delete(this.streamName(producer));
      } catch (error) {
        if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound) throw error;
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const connection = this.connection ?? (await this.connecting?.catch(() => undefined));
    if (connection && !connection.isClosed()) await connection.drain().catch(() => connection.close());
  }
}

/**
 * The servers of a NATS_URL (one or several, comma-separated) and the user and
 * password written in it: the client ignores credentials inside a URL, and
 * they must never reach a log line or an error message.
 */
export function natsServers(urls: string): { servers: string[]; user?: string; pass?: string } {
  let user: string | undefined;
  let pass: string | undefined;
  const servers = urls.split(',').map((raw) => {
    const url = new URL(raw.trim());
    if (url.username) [user, pass] = [decodeURIComponent(url.username), decodeURIComponent(url.password)];
    return `${url.protocol}//${url.host}`;
  });
  return { servers, user, pass };
}
