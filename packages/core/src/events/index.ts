import type { Logger } from 'pino';
import type { BaseConfig } from '../config.ts';
import { InProcessTransport } from './in-process.ts';
import { JetStreamTransport } from './jetstream.ts';
import type { EventTransport } from './transport.ts';

export * from './consumer.ts';
export * from './contracts.ts';
export * from './envelope.ts';
export * from './in-process.ts';
export * from './jetstream.ts';
export * from './outbox.ts';
export * from './relay.ts';
export * from './transport.ts';
export * from './worker.ts';

/**
 * The broker this process's events go through: NATS JetStream when NATS_URL
 * is set; otherwise the in-process broker, which only connects services
 * running in this same process (the embedded mode: `npm start`, tests).
 */
export function openEventTransport(config: Pick<BaseConfig, 'NATS_URL' | 'NATS_NAMESPACE'>, log: Logger): EventTransport {
  return config.NATS_URL
    ? new JetStreamTransport({ servers: config.NATS_URL, namespace: config.NATS_NAMESPACE, log })
    : new InProcessTransport();
}
