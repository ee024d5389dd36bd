import { sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { Database } from './database.ts';
import { isFinalAnswer, KeyedWriteFailed } from './errors.ts';

/**
 * A partner's idempotency key: unique within a scope (what the write is, e.g.
 * 'learners.registerLearner') and an owner (who sent it: a subject, a provider).
 */
export interface IdempotencyKey {
  scope: string;
  owner: string;
  key: string;
}

/** A transaction of a service's database, as `db.transaction` hands it over. */
export type Transaction<TSchema extends Record<string, unknown>> = Parameters<Parameters<Database<TSchema>['transaction']>[0]>[0];

/** How one mutation does its write once per key. */
export interface IdempotentSteps<TSchema extends Record<string, unknown>, TPrepared, TResult> {
  /**
   * The result an earlier call with this key stored, or undefined when there
   * is none; throws CONFLICT when the key was used for a different request.
   */
  replay(db: Database<TSchema>): Promise<TResult | undefined>;
  /**
   * Checks and reads before the transaction: the graph, other services, work
   * that must not hold the transaction open. Runs only when there is nothing to replay.
   */
  prepare?(): Promise<TPrepared>;
  /** The write, in the transaction; it stores what `replay` finds. */
  write(tx: Transaction<TSchema>, prepared: TPrepared): Promise<TResult>;
}

export interface IdempotentOutcome<TResult> {
  result: TResult;
  /** True when an earlier call with the key did the write and this one answered its result. */
  replayed: boolean;
}

/**
 * Does a write once per idempotency key, however many times and however
 * concurrently a partner sends it. Without a key it simply prepares and
 * writes in a transaction.
 *
 * With one: an earlier call's stored result answers at once (a plain retry
 * costs one read). Otherwise, after `prepare`, the transaction first takes a
 * transaction-scoped advisory lock on the key, so a concurrent call with the
 * same key waits there until the first commits or rolls back, then looks up
 * the stored result again (under READ COMMITTED its next statement sees the
 * first call's commit) and answers it, or writes. Unique indexes on the data
 * (an e-mail, say) therefore never see the second call, and no work inside the
 * transaction (signing a cohort) is done twice. PGlite runs one transaction at
 * a time, which serialises the same way.
 *
 * Any error but a final answer (a CONFLICT, a BAD_USER_INPUT...) is thrown as
 * KeyedWriteFailed, whose message tells the partner to retry with the same key:
 * the first attempt may have committed before its answer was lost.
 */
export async function idempotentWrite<TSchema extends Record<string, unknown>, TResult, TPrepared = undefined>(
  db: Database<TSchema>,
  key: IdempotencyKey | null | undefined,
  steps: IdempotentSteps<TSchema, TPrepared, TResult>,
): Promise<IdempotentOutcome<TResult>> {
  const run = async (): Promise<IdempotentOutcome<TResult>> => {
    if (key) {
      const stored = await steps.replay(db);
      if (stored !== undefined) return { result: stored, replayed: true };
    }
    const prepared = (await steps.prepare?.()) as TPrepared;
    return db.transaction(async (tx) => {
      if (key) {
        await tx.execute(sql`select pg_advisory_xact_lock(${lockOf(key)}::bigint)`);
        const stored = await steps.replay(tx);
        if (stored !== undefined) return { result: stored, replayed: true };
      }
      return { result: await steps.write(tx, prepared), replayed: false };
    });
  };
  if (!key) return run();
  try {
    return await run();
  } catch (error) {
    throw isFinalAnswer(error) ? error : new KeyedWriteFailed(error);
  }
}

/** The advisory lock of a key: 64 bits of its hash (a collision only makes two keys wait for each other). */
function lockOf({ scope, owner, key }: IdempotencyKey): string {
  return createHash('sha256').update(`idempotency\0${scope}\0${owner}\0${key}`).digest().readBigInt64BE(0).toString();
}
