import { z } from 'zod';
import type { ServiceName } from '../config.ts';
import { isUuid } from '../loaders.ts';

/**
 * One event as it travels between services: the payload an outbox row holds,
 * with the identity the broker de-duplicates on and the producer's order.
 */
export interface EventEnvelope<TData = unknown> {
  /** Unique per event (the outbox row's id): JetStream drops a second message with the same id. */
  id: string;
  /** `<producing service>.<entity>.<fact>`, e.g. `learners.learner.residence`. */
  subject: string;
  /**
   * The outbox position: it grows with every event the producer records, so a
   * consumer keeps the highest it applied and drops anything older.
   */
  version: number;
  occurredAt: string;
  data: TData;
}

/** What one kind of event carries, declared once and shared by its producer and its consumers. */
export interface EventContract<TData> {
  subject: string;
  /** The producing service; its events share one stream on the broker. */
  producer: ServiceName;
  data: z.ZodType<TData, z.ZodTypeDef, unknown>;
}

/** The payload type of a contract's events. */
export type EventData<C> = C extends EventContract<infer TData> ? TData : never;

export function defineEvent<S extends z.ZodTypeAny>(producer: ServiceName, name: string, data: S): EventContract<z.infer<S>> {
  return { subject: `${producer}.${name}`, producer, data };
}

const envelopeSchema = z.object({
  id: z.string().refine(isUuid, 'must be a UUID'),
  subject: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.string().datetime({ offset: true }),
  data: z.unknown(),
});

export class MalformedEvent extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedEvent';
  }
}

/** Reads an event off the wire: it came from outside this process, so it is validated like any input. */
export function parseEvent<TData>(contract: EventContract<TData>, body: string): EventEnvelope<TData> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedEvent('not JSON');
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) throw new MalformedEvent(envelope.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  if (envelope.data.subject !== contract.subject) throw new MalformedEvent(`subject ${envelope.data.subject} is not ${contract.subject}`);
  const data = contract.data.safeParse(envelope.data.data);
  if (!data.success) throw new MalformedEvent(data.error.issues.map((i) => `data.${i.path.join('.')}: ${i.message}`).join('; '));
  return { ...envelope.data, data: data.data };
}
