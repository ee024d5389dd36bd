import { allOf, startEventConsumer, type BackgroundWorker, type BaseConfig, type Database, type EventTransport, type Logger } from '@tauliah/core';
import type { tables } from '../db/schema.ts';
import { startWebhookDelivery } from './delivery.ts';
import { consumerName, routeEvent, WantedEventTypes, WEBHOOK_ROUTES } from './routing.ts';
import { webhookConfigOf } from './settings.ts';

export interface WebhookWorkerEnv {
  db: Database<typeof tables>;
  events: EventTransport;
  log: Logger;
  config: BaseConfig;
}

/**
 * Webhooks' background work in the providers service: a durable consumer
 * per event partners hear about, turning each event into deliveries to the
 * endpoints it concerns, and the loop delivering them. Every instance of the
 * service runs both; the broker hands each event to one consumer of a
 * durable, and the deliveries table shares the attempts out.
 */
export function startWebhookWorker({ db, events, log, config }: WebhookWorkerEnv): BackgroundWorker {
  const settings = webhookConfigOf(config);
  const delivery = startWebhookDelivery({ db, config: settings, log: log.child({ worker: 'webhooks' }) });
  const wanted = new WantedEventTypes(db);
  const consumers = WEBHOOK_ROUTES.map((routing) =>
    startEventConsumer({
      transport: events,
      contract: routing.contract,
      durable: consumerName(routing.type),
      handle: async (event) => {
        if (await wanted.unwanted(routing, event)) return;
        if ((await routeEvent(db, routing, event)) > 0) delivery.wake();
      },
      log,
    }),
  );
  return allOf([...consumers, delivery]);
}
