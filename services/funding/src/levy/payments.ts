import { Conflict, formatRinggit, idempotentWrite, isUniqueViolation, type Transaction } from '@tauliah/core';
import { and, eq, sql } from 'drizzle-orm';
import { firstDayOf } from '../calendar.ts';
import type { Context } from '../context.ts';
import { levyAccount, levyEntry, type LevyEntryRow, type tables } from '../db/schema.ts';

type Db = Context['db'];

/** A month's levy as an HRD Corp officer records it, validated at the edge (graph/levy.resolver.ts). */
export interface LevyPaymentRequest {
  employerId: string;
  /** YYYY-MM. */
  month: string;
  amountSen: number;
  /** The officer's token subject. */
  recordedBy: string;
  idempotencyKey: string | null;
}

/**
 * Records one month's levy of an employer, once: the payment and the
 * balance it adds to in one transaction, opening the employer's levy account
 * with its first payment. A second payment for the same employer and month
 * is a CONFLICT naming the first (the unique index levy_entry_paid_month_key
 * decides, whatever raced); a retry with the officer's idempotency key
 * answers the payment it made (core's idempotentWrite).
 */
export async function recordLevyPayment(db: Db, request: LevyPaymentRequest): Promise<LevyEntryRow> {
  const { recordedBy, idempotencyKey } = request;
  const key = idempotencyKey ? { scope: 'funding.LevyPayment', owner: recordedBy, key: idempotencyKey } : null;
  try {
    const { result } = await idempotentWrite(db, key, {
      replay: (reader) => retried(reader, request),
      write: (tx) => pay(tx, request),
    });
    return result;
  } catch (error) {
    // Two payments for one month raced past the check in pay(): the index refused the second.
    if (isUniqueViolation(error, 'levy_entry_paid_month_key')) {
      const [first] = await db.select().from(levyEntry).where(paymentFor(request.employerId, request.month));
      if (first) throw alreadyRecorded(first);
    }
    throw error;
  }
}

async function pay(tx: Transaction<typeof tables>, request: LevyPaymentRequest): Promise<LevyEntryRow> {
  const { employerId, month, amountSen, recordedBy, idempotencyKey } = request;
  // The upsert locks the account's row, so payments to one employer run one at a time and the check below holds
  // until commit; a refusal rolls the balance back with everything else.
  await tx
    .insert(levyAccount)
    .values({ employerId, balanceSen: amountSen })
    .onConflictDoUpdate({ target: levyAccount.employerId, set: { balanceSen: sql`${levyAccount.balanceSen} + ${amountSen}`, updatedAt: sql`now()` } });
  const [first] = await tx.select().from(levyEntry).where(paymentFor(employerId, month));
  if (first) throw alreadyRecorded(first);
  const [row] = await tx
    .insert(levyEntry)
    .values({ employerId, kind: 'LEVY_PAID', amountSen, month: firstDayOf(month), recordedBy, idempotencyKey })
    .returning();
  return row!;
}

/** The payment this officer already recorded with this key, if any; the key names one payment, so reusing it for another is a CONFLICT. */
async function retried(reader: Pick<Db, 'select'>, request: LevyPaymentRequest): Promise<LevyEntryRow | undefined> {
  const [previous] = await reader
    .select()
    .from(levyEntry)
    .where(and(eq(levyEntry.recordedBy, request.recordedBy), eq(levyEntry.idempotencyKey, request.idempotencyKey!)));
  if (!previous) return undefined;
  if (previous.employerId !== request.employerId || previous.month !== firstDayOf(request.month) || previous.amountSen !== request.amountSen) {
    throw new Conflict(`This idempotencyKey was already used for another levy payment (levy payment ${previous.id}): use a new key for a new payment.`, {
      field: 'idempotencyKey',
    });
  }
  return previous;
}

const paymentFor = (employerId: string, month: string) =>
  and(eq(levyEntry.employerId, employerId), eq(levyEntry.kind, 'LEVY_PAID'), eq(levyEntry.month, firstDayOf(month)));

/** The refusal of a second payment for a month, naming the first: read only by HRD Corp's officers, who read every levy account. */
function alreadyRecorded(first: LevyEntryRow): Conflict {
  const month = first.month!.slice(0, 7);
  return new Conflict(
    `The levy of employer ${first.employerId} for ${month} is already recorded: levy payment ${first.id}, ${formatRinggit(first.amountSen)}, recorded ${first.recordedAt.toISOString()}${first.recordedBy ? ` by ${first.recordedBy}` : ''}. One payment is recorded per employer and month.`,
    { reason: 'LEVY_ALREADY_RECORDED_FOR_MONTH', levyPaymentId: first.id, month },
  );
}
