import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';
import type { Database } from '../database.ts';
import type { EventContract } from './envelope.ts';

/**
 * A service's transactional outbox: an event is a row written in the same
 * transaction as the change it announces, so there is never a change without
 * its event nor an event without its change. The relay (relay.ts) publishes
 * the rows to the broker in `position` order and marks them once the broker
 * has acknowledged them.
 */
export function outboxTable<TSchema extends string>(schema: PgSchema<TSchema>) {
  return schema.table(
    'outbox',
    {
      /** The order events were recorded in, and each event's version for its consumers. */
      position: bigserial('position', { mode: 'number' }).primaryKey(),
      /** The event's identity on the broker, which drops a second message with the same id. */
      id: uuid('id').notNull().unique().defaultRandom(),
      subject: text('subject').notNull(),
      payload: jsonb('payload').$type<unknown>().notNull(),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
      publishedAt: timestamp('published_at', { withTimezone: true }),
    },
    // The relay's one question, "what is still to publish, oldest first", reads only unpublished rows.
    (t) => [index('outbox_unpublished_idx').on(t.position).where(sql`${t.publishedAt} is null`)],
  );
}

export type OutboxTable = ReturnType<typeof outboxTable<string>>;

/** Inserts through the caller's transaction; a plain database would write the event apart from its change. */
type Transaction = Pick<Database, 'insert'>;

/**
 * Records an event in the outbox, inside the transaction that makes the
 * change. Its payload is checked against the contract here, so nothing the
 * consumers would refuse (or were never meant to see) is ever published.
 */
export async function recordEvent<TData>(tx: Transaction, outbox: OutboxTable, contract: EventContract<TData>, data: TData): Promise<void> {
  await tx.insert(outbox).values({ subject: contract.subject, payload: contract.data.parse(data) });
}

/**
 * Records many events of one kind, inside the transaction that makes their
 * changes, as one statement however many there are (a cohort of 10,000
 * credentials, a bulk enrolment): the payloads travel as one JSON parameter.
 * Each is parsed by the contract first, as recordEvent does; they take their
 * outbox positions (their versions) in the order given.
 */
export async function recordEvents<TData>(tx: Pick<Database, 'execute'>, outbox: OutboxTable, contract: EventContract<TData>, data: readonly TData[]): Promise<void> {
  if (data.length === 0) return;
  const rows = data.map((payload, at) => ({ at, payload: contract.data.parse(payload) }));
  await tx.execute(sql`
    insert into ${outbox} (subject, payload)
    select ${contract.subject}, e.payload from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as e(at int, payload jsonb)
    order by e.at`);
}
