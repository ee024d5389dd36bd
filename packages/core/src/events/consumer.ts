import type { Logger } from 'pino';
import { BoundedCache } from '../bounded-cache.ts';
import { MalformedEvent, parseEvent, type EventContract, type EventEnvelope } from './envelope.ts';
import type { EventSubscription, EventTransport } from './transport.ts';
import { backoff, Pause, type BackgroundWorker } from './worker.ts';

export interface EventConsumerOptions<TData> {
  transport: EventTransport;
  contract: EventContract<TData>;
  /** The durable consumer's name, e.g. `credentials-learner-residence`: the broker remembers its position. */
  durable: string;
  /**
   * Applies one event in the consumer's own transaction and resolves once it
   * has committed. It may be called again for an event it saw before (a
   * redelivery after its handling failed, or after this process restarted),
   * so it must be idempotent, and may see events out of order: compare
   * `event.version` with the version it stored.
   */
  handle(event: EventEnvelope<TData>): Promise<unknown>;
  log: Logger;
  /** How long stop() lets the in-process broker's remaining events be handled. */
  drainMs?: number;
}

/**
 * How many handled events a consumer remembers by id. JetStream delivers at
 * least once: a broker that restarts moments after an acknowledgement may
 * have stored neither the ack nor the delivery, and sends the event again.
 */
const REMEMBERED_HANDLED_EVENTS = 10_000;

/**
 * A durable consumer: each event is acknowledged only after its handler's
 * transaction committed, so a crash in between redelivers it; a handler that
 * fails has the event redelivered after a growing pause, while later events
 * keep flowing. An event that does not match its contract is logged and
 * rejected (no redelivery would make it valid). An event this consumer has
 * already handled, delivered again (the broker lost the acknowledgement), is
 * acknowledged without handling it twice.
 */
export function startEventConsumer<TData>(options: EventConsumerOptions<TData>): BackgroundWorker {
  const { transport, contract, durable, log } = options;
  const pause = new Pause();
  let stopping = false;
  let subscription: EventSubscription | undefined;
  let failures = 0;
  const handled = new BoundedCache<string, true>(REMEMBERED_HANDLED_EVENTS);

  async function consume(current: EventSubscription): Promise<void> {
    for await (const delivery of current.messages) {
      let event: EventEnvelope<TData>;
      try {
        event = parseEvent(contract, delivery.body);
      } catch (error) {
        if (!(error instanceof MalformedEvent)) throw error;
        log.error({ err: error, durable, subject: contract.subject }, 'rejected an event that breaks its contract');
        delivery.reject(error.message);
        continue;
      }
      if (handled.get(event.id)) {
        log.debug({ durable, eventId: event.id, attempt: delivery.attempt }, 'an event handled before was delivered again; acknowledged it');
        delivery.ack();
        continue;
      }
      try {
        await options.handle(event);
        handled.set(event.id, true);
        delivery.ack();
      } catch (error) {
        const delay = backoff(delivery.attempt);
        log[delivery.attempt >= 5 ? 'error' : 'warn']({ err: error, durable, eventId: event.id, attempt: delivery.attempt, retryInMs: delay }, 'handling an event failed; it will be redelivered');
        delivery.retry(delay);
      }
    }
  }

  const loop = (async () => {
    while (!stopping) {
      try {
        subscription = await transport.subscribe({ producer: contract.producer, durable, subject: contract.subject });
        if (stopping) await subscription.close();
        if (failures > 0) log.info({ durable }, 'event broker reachable again; consuming');
        failures = 0;
        await consume(subscription);
      } catch (error) {
        await subscription?.close().catch(() => {});
        if (stopping) break;
        failures += 1;
        log[failures === 1 || failures % 20 === 0 ? 'warn' : 'debug']({ err: error, durable, failures }, 'consuming events failed; retrying');
        await pause.for(backoff(failures));
        continue;
      }
      // The messages ended without a stop (the broker closed the subscription): subscribe again.
      if (!stopping) await pause.for(backoff(1));
    }
  })();

  return {
    async stop() {
      stopping = true;
      pause.interrupt();
      await subscription?.close();
      await Promise.race([loop, new Promise<void>((resolve) => setTimeout(resolve, options.drainMs ?? 5_000).unref())]);
    },
  };
}
