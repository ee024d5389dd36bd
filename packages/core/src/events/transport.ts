import type { ServiceName } from '../config.ts';
import type { EventEnvelope } from './envelope.ts';

/** A message handed to a consumer. Settle it once: ack, retry or reject. */
export interface Delivery {
  /** The message body as published: the JSON of an EventEnvelope. */
  body: string;
  /** 1 on the first delivery, more on each redelivery. */
  attempt: number;
  ack(): void;
  /** Hands the message back for redelivery after `delayMs`. */
  retry(delayMs: number): void;
  /** Never redelivers it: no version of the consumer could handle it. */
  reject(reason: string): void;
}

export interface EventSubscription {
  /** Messages in the stream's order; redeliveries come again later. Ends after close(). */
  messages: AsyncIterable<Delivery>;
  /**
   * Stops taking messages. The in-process broker still hands over what was
   * published before (it would be lost with the process); JetStream keeps it
   * and redelivers it to the next subscriber.
   */
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /** The service whose stream to read. */
  producer: ServiceName;
  /** The durable consumer's name: its position outlives the subscription. */
  durable: string;
  /** The event subject it takes (`learners.learner.residence`; NATS wildcards allowed). */
  subject: string;
}

/**
 * Where events travel: NATS JetStream between processes, or an in-process
 * broker when the whole graph runs in one process (embedded mode, tests).
 * The relay and consumers use this interface and nothing else, so the code
 * path is the same for both.
 */
export interface EventTransport {
  readonly kind: 'in-process' | 'jetstream';
  /**
   * Stores the event in its producer's stream (made if missing) and resolves
   * once the broker has acknowledged it; an event id the broker stored
   * recently is not stored again.
   */
  publish(event: EventEnvelope): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<EventSubscription>;
  close(): Promise<void>;
}

/** How long a broker remembers event ids to drop a re-published one (JetStream's duplicate window). */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

/** The service that produced an event, from its subject. */
export const producerOf = (subject: string): string => subject.slice(0, subject.indexOf('.'));

/** NATS subject matching: `*` is one token, a trailing `>` one or more. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const want = pattern.split('.');
  const have = subject.split('.');
  for (let i = 0; i < want.length; i += 1) {
    if (want[i] === '>') return have.length > i;
    if (i >= have.length || (want[i] !== '*' && want[i] !== have[i])) return false;
  }
  return want.length === have.length;
}
