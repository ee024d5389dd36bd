import { createLogger, InProcessTransport, JetStreamTransport, SERVICE_NAMES, type EventTransport } from '@tauliah/core';
import { randomBytes } from 'node:crypto';
import { natsUrl } from './config.ts';

export type TestEventsKind = EventTransport['kind'];

/** JetStream when the machine has NATS (NATS_URL), else the in-process broker. */
export const defaultTestEvents = (): TestEventsKind => (natsUrl() ? 'jetstream' : 'in-process');

/** Why a JetStream test is skipped, or undefined when it can run. */
export const jetStreamSkipReason = (): string | undefined =>
  natsUrl() ? undefined : 'needs NATS JetStream: set NATS_URL=nats://127.0.0.1:4222 to run it';

/**
 * An event broker for one test: the in-process one, or NATS JetStream under
 * a namespace of its own (test files run in parallel against one server and
 * must not see each other's events), whose streams close() deletes.
 */
export function openTestEventTransport(kind: TestEventsKind = defaultTestEvents()): EventTransport {
  if (kind === 'in-process') return new InProcessTransport();
  const servers = natsUrl();
  if (!servers) throw new Error(jetStreamSkipReason());
  const jetstream = new JetStreamTransport({ servers, namespace: `test_${randomBytes(6).toString('hex')}`, log: createLogger({ level: 'silent' }), timeoutMs: 3_000 });
  // A test that never touched the broker made no streams: nothing to delete, no connection to open.
  let used = false;
  return {
    kind: 'jetstream',
    publish: (event) => {
      used = true;
      return jetstream.publish(event);
    },
    subscribe: (options) => {
      used = true;
      return jetstream.subscribe(options);
    },
    async close() {
      try {
        if (used) await jetstream.deleteStreams(SERVICE_NAMES);
      } finally {
        await jetstream.close();
      }
    },
  };
}

/**
 * Waits until `check` holds, polling: for what events make true moments after
 * a write. Generous by default, since a loaded machine (two test files at once
 * on two cores) delivers late; a check that never holds still fails, with `what`.
 */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
