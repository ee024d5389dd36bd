import type { EventEnvelope } from './envelope.ts';
import { Pause } from './worker.ts';
import { DUPLICATE_WINDOW_MS, producerOf, subjectMatches, type Delivery, type EventSubscription, type EventTransport, type SubscribeOptions } from './transport.ts';

/** The most messages a stream holds: past it the oldest go, as a limits-based JetStream stream discards them. */
const MAX_MESSAGES = 100_000;

interface StoredMessage {
  seq: number;
  subject: string;
  body: string;
}

interface Redelivery {
  message: StoredMessage;
  attempt: number;
  dueAt: number;
}

/** A durable consumer's position: what it was handed in order, and what came back for redelivery. */
class Durable {
  /** The last sequence handed out in stream order. */
  delivered = 0;
  readonly unsettled = new Set<number>();
  readonly redeliveries: Redelivery[] = [];
  /** Its subscribers wait here for the next publish, redelivery or close. */
  readonly pause = new Pause();

  constructor(readonly subject: string) {}

  /** The oldest sequence it may still need. */
  floor(): number {
    return Math.min(this.delivered + 1, ...this.unsettled, ...this.redeliveries.map((r) => r.message.seq));
  }
}

class Stream {
  readonly messages: StoredMessage[] = [];
  private next = 1;
  private readonly seen = new Map<string, number>();
  readonly durables = new Map<string, Durable>();

  store(subject: string, id: string, body: string, now = Date.now()): void {
    for (const [seenId, at] of this.seen) {
      if (now - at < DUPLICATE_WINDOW_MS) break;
      this.seen.delete(seenId);
    }
    if (this.seen.has(id)) return;
    this.seen.set(id, now);
    this.messages.push({ seq: this.next++, subject, body });
    if (this.messages.length > MAX_MESSAGES) this.messages.shift();
    for (const durable of this.durables.values()) durable.pause.interrupt();
  }

  /** Drops messages every durable consumer has settled (memory is all this broker has). */
  trim(): void {
    if (this.durables.size === 0) return;
    const floor = Math.min(...[...this.durables.values()].map((d) => d.floor()));
    let drop = 0;
    while (drop < this.messages.length && this.messages[drop]!.seq < floor) drop += 1;
    if (drop > 0) this.messages.splice(0, drop);
  }

  /** The next message for this durable: a redelivery that is due, else the next in order; none when nothing is ready. */
  take(durable: Durable, now: number): { message: StoredMessage; attempt: number } | undefined {
    const due = durable.redeliveries.findIndex((r) => r.dueAt <= now);
    if (due >= 0) {
      const [redelivery] = durable.redeliveries.splice(due, 1);
      return { message: redelivery!.message, attempt: redelivery!.attempt };
    }
    for (const message of this.messages) {
      if (message.seq <= durable.delivered) continue;
      durable.delivered = message.seq;
      if (subjectMatches(durable.subject, message.subject)) return { message, attempt: 1 };
    }
    return undefined;
  }
}

/**
 * A broker in memory, for the embedded mode where every subgraph runs in one
 * process: streams per producer, de-duplication by event id, durable
 * consumers with acknowledgements and redelivery, like JetStream. It keeps
 * nothing across a restart; an orderly stop lets consumers drain it first.
 */
export class InProcessTransport implements EventTransport {
  readonly kind = 'in-process';
  private readonly streams = new Map<string, Stream>();
  private closed = false;

  private stream(producer: string): Stream {
    let stream = this.streams.get(producer);
    if (!stream) this.streams.set(producer, (stream = new Stream()));
    return stream;
  }

  async publish(event: EventEnvelope): Promise<void> {
    if (this.closed) throw new Error('The in-process event broker is closed.');
    this.stream(producerOf(event.subject)).store(event.subject, event.id, JSON.stringify(event));
  }

  async subscribe(options: SubscribeOptions): Promise<EventSubscription> {
    const stream = this.stream(options.producer);
    let durable = stream.durables.get(options.durable);
    if (!durable) stream.durables.set(options.durable, (durable = new Durable(options.subject)));
    const own = durable;
    let closing = false;

    async function* messages(): AsyncGenerator<Delivery> {
      for (;;) {
        const taken = stream.take(own, Date.now());
        if (taken) {
          yield settleable(stream, own, taken.message, taken.attempt);
          continue;
        }
        if (closing) return;
        const nextDue = Math.min(...own.redeliveries.map((r) => r.dueAt));
        await own.pause.for(Number.isFinite(nextDue) ? Math.max(0, nextDue - Date.now()) : 60_000);
      }
    }

    return {
      messages: messages(),
      async close() {
        closing = true;
        own.pause.interrupt();
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const stream of this.streams.values()) for (const durable of stream.durables.values()) durable.pause.interrupt();
  }
}

function settleable(stream: Stream, durable: Durable, message: StoredMessage, attempt: number): Delivery {
  durable.unsettled.add(message.seq);
  let settled = false;
  const settle = (then?: () => void) => {
    if (settled) return;
    settled = true;
    durable.unsettled.delete(message.seq);
    then?.();
    stream.trim();
  };
  return {
    body: message.body,
    attempt,
    ack: () => settle(),
    retry: (delayMs) =>
      settle(() => {
        durable.redeliveries.push({ message, attempt: attempt + 1, dueAt: Date.now() + delayMs });
        durable.pause.interrupt();
      }),
    reject: () => settle(),
  };
}
