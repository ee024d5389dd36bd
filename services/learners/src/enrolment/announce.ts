import { learnerEnrolmentEndedEvent, recordEvent, type Database, type EventContract } from '@tauliah/core';
import { sql } from 'drizzle-orm';
import { outbox } from '../db/schema.ts';

/** Announces that an enrolment ended (learner.enrolment-ended): the provider's access to the learner ends with it. */
export function announceEnrolmentEnded(tx: Pick<Database, 'insert'>, enrolment: { learnerId: string; providerId: string }): Promise<void> {
  return recordEvent(tx, outbox, learnerEnrolmentEndedEvent, { learnerId: enrolment.learnerId, providerId: enrolment.providerId });
}

/**
 * Records many events of one kind in one statement, in the order given,
 * whatever their number: what core's recordEvent does for one (each payload
 * parsed by the contract first), for an enrolment request of up to 10,000
 * students. The payloads travel as one JSON parameter, so the statement never
 * outgrows PostgreSQL's 65,535 parameters.
 */
export async function recordEvents<TData>(tx: Pick<Database, 'execute'>, contract: EventContract<TData>, payloads: TData[]): Promise<void> {
  if (payloads.length === 0) return;
  const rows = payloads.map((data, at) => ({ at, payload: contract.data.parse(data) }));
  await tx.execute(sql`
    insert into ${outbox} (subject, payload)
    select ${contract.subject}, e.payload from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as e(at int, payload jsonb)
    order by e.at`);
}
