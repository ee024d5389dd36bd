import { Conflict, idempotentWrite, isUniqueViolation, NotFound, pageSize, parseInput, requirePrincipal, rules, toConnection, type Connection, type Transaction } from '@tauliah/core';
import { and, asc, count, desc, eq, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Context } from '../context.ts';
import type { application, courseApproval, tables } from '../db/schema.ts';
import { Decision } from '../graph/decision.ts';
import { decidingFunder } from '../policy.ts';
import { alreadyDecided, decisionReason, statusOf } from './decision.ts';
import { afterCursor, cursorOf, parseFilterIds } from './listing.ts';

type QueueTable = typeof application | typeof courseApproval;
type RowOf<T extends QueueTable> = T['$inferSelect'];
type Db = Context['db'];

/** How one queue differs from the other; everything else is the same rule for both. */
export interface ReviewQueueOptions<T extends QueueTable> {
  table: T;
  /** The GraphQL type of a record, for NOT_FOUND. */
  typename: string;
  /** What messages call a record, e.g. 'course approval'. */
  what: string;
  /**
   * The columns that say which submission a record is: there is one current
   * record per their values, and a retry must name the same values.
   */
  submission: ReadonlyArray<keyof RowOf<T> & string>;
  /** The filter fields that are ids (each filter field narrows the column of its name). */
  filterIds: ReadonlyArray<keyof RowOf<T> & string>;
  /** The records the viewer may list, or FORBIDDEN. */
  visibleTo(context: Context): Promise<SQL | undefined>;
  /** The unique keys two racing submissions can hit (the superseded record, the submitter's retry key). */
  raceKeys: readonly string[];
  /** The CONFLICT when the current record of the submission is still pending or approved. */
  stillOpen(status: string): string;
  /** The CONFLICT when a racing submission won. */
  raced: string;
  /**
   * Records the decision's event (review/announce.ts) in the transaction that took the record out of PENDING, with
   * the funder that owns the record's scheme.
   */
  announce(tx: Transaction<typeof tables>, row: RowOf<T>, funderId: string): Promise<void>;
  /**
   * Approves a pending record and announces it in one transaction, or answers null (announcing nothing) if it was
   * no longer pending; by default it is only marked approved.
   */
  approve?(db: Db, decision: DecisionRequest): Promise<RowOf<T> | null>;
}

/** A decision to make on a pending record: who makes it, why, and the funder whose scheme the record is for. */
export interface DecisionRequest {
  id: string;
  decidedBy: string;
  reason: string;
  funderId: string;
}

/**
 * A funder's review queue: submissions for a scheme (a provider's course, a
 * learner's application, an employer's claim) that the scheme's funder staff
 * approve or reject. Both queues list oldest first, answer a partner's retry
 * with the first record, let a new submission supersede only a rejected one,
 * and never change a decision.
 */
export class ReviewQueue<T extends QueueTable> {
  constructor(private readonly options: ReviewQueueOptions<T>) {}

  /** One page of the records the viewer may see, filtered, oldest first, with the total that matches. */
  async list<Node>(
    context: Context,
    request: {
      filter: object | null | undefined;
      first: number | null | undefined;
      after: string | null | undefined;
      /** What the filter asks beyond equal columns (a submitted range), as the caller validated it. */
      where?: SQL | undefined;
    },
    toNode: (row: RowOf<T>) => Node,
  ): Promise<Connection<Node>> {
    const { table, filterIds } = this.options;
    const limit = pageSize(request.first);
    const filter = parseFilterIds<Partial<RowOf<T>>>(request.filter, filterIds);
    const matching = and(
      await this.options.visibleTo(context),
      request.where,
      ...Object.entries(filter).map(([field, value]) => (value === null || value === undefined ? undefined : eq(this.column(field), value))),
    );
    const [rows, [total]] = await Promise.all([
      this.select(context.db, and(matching, afterCursor(request.after, table.submittedAt, table.id)), limit + 1, 'oldest'),
      context.db.select({ n: count() }).from(table as typeof courseApproval).where(matching),
    ]);
    return toConnection(rows, limit, total?.n ?? 0, cursorOf, toNode);
  }

  /** The record with this id (as the client gave it), or NOT_FOUND. */
  async byId(db: Db, id: string, field = 'id'): Promise<RowOf<T>> {
    return this.find(db, parseInput(rules.uuid(`${this.options.what} id`), id, field), id);
  }

  /**
   * A partner's retry: the record the submitter already made with this key.
   * The key names one submission, so reusing it for another is a CONFLICT.
   */
  private async retried(db: Db, submittedBy: string, key: string | null | undefined, submission: Partial<RowOf<T>>): Promise<RowOf<T> | undefined> {
    if (!key) return undefined;
    const { table } = this.options;
    const [previous] = await this.select(db, and(eq(table.submittedBy, submittedBy), eq(table.idempotencyKey, key)), 1);
    if (previous && this.options.submission.some((field) => previous[field] !== submission[field])) {
      throw new Conflict('This idempotencyKey was already used for another submission.');
    }
    return previous;
  }

  /**
   * A submission made once per idempotency key (core's idempotentWrite): a
   * retry, even one racing the first call, answers the first record. `prepare`
   * checks and reads before the transaction (the graph, the rules); `record`
   * writes in it (`submit`, and whatever the submission brings with it).
   */
  async submitOnce<Prepared>(
    db: Db,
    request: { submittedBy: string; idempotencyKey: string | null | undefined; submission: Partial<RowOf<T>> },
    steps: { prepare: () => Promise<Prepared>; record: (tx: Transaction<typeof tables>, prepared: Prepared) => Promise<RowOf<T>> },
  ): Promise<RowOf<T>> {
    const { submittedBy, idempotencyKey, submission } = request;
    const key = idempotencyKey ? { scope: `funding.${this.options.typename}`, owner: submittedBy, key: idempotencyKey } : null;
    const { result } = await idempotentWrite(db, key, {
      replay: (reader) => this.retried(reader, submittedBy, idempotencyKey, submission),
      prepare: steps.prepare,
      write: steps.record,
    });
    return result;
  }

  /**
   * Records a new submission. It supersedes the current record of the same
   * submission if that was rejected; a pending or approved one is a CONFLICT,
   * and so is losing a race to another submission (the unique keys decide).
   */
  async submit(db: Db, values: T['$inferInsert']): Promise<RowOf<T>> {
    const { table, submission } = this.options;
    const same = and(...submission.map((field) => eq(this.column(field), (values as Record<string, unknown>)[field])));
    const [current] = await this.select(db, same, 1, 'newest');
    if (current && current.status !== 'REJECTED') throw new Conflict(this.options.stillOpen(current.status));
    try {
      const [row] = await db
        .insert(table as typeof courseApproval)
        .values({ ...values, supersedesId: current?.id ?? null } as T['$inferInsert'] & RowOf<typeof courseApproval>)
        .returning();
      return row as RowOf<T>;
    } catch (error) {
      if (this.options.raceKeys.some((key) => isUniqueViolation(error, key))) throw new Conflict(this.options.raced);
      throw error;
    }
  }

  /**
   * The scheme's own funder staff approve or reject a pending record with a
   * reason. Repeating the same decision answers the record; any other
   * decision on a decided record is a CONFLICT.
   */
  async decide(context: Context, id: string, decision: Decision, reason: string): Promise<RowOf<T>> {
    const { viewer, db, loaders } = context;
    const { subject } = requirePrincipal(viewer);
    const valid = parseInput(rules.uuid(`${this.options.what} id`), id, 'id');
    const why = parseInput(decisionReason, reason, 'reason');
    const row = await this.find(db, valid, id);
    const { funderId } = decidingFunder(viewer, await loaders.scheme.load(row.schemeId));
    const request: DecisionRequest = { id: valid, decidedBy: subject, reason: why, funderId };
    const decided = decision === Decision.APPROVE && this.options.approve ? await this.options.approve(db, request) : await this.markDecided(db, decision, request);
    // A record no longer pending was decided before (a retry, or a racing decision that won): nothing new to announce.
    return decided ?? alreadyDecided(await this.find(db, valid, id), decision, subject, this.options.what);
  }

  private async find(db: Db, id: string, asGiven: string): Promise<RowOf<T>> {
    const [row] = await this.select(db, eq(this.options.table.id, id), 1);
    if (!row) throw new NotFound(this.options.typename, asGiven);
    return row;
  }

  /**
   * Leaves PENDING only if still pending, and announces the decision in the same transaction: of two racing
   * decisions one wins and is announced, the other finds the record decided and announces nothing.
   */
  private async markDecided(db: Db, decision: Decision, { id, decidedBy, reason, funderId }: DecisionRequest): Promise<RowOf<T> | null> {
    const { table } = this.options;
    return db.transaction(async (tx) => {
      const [row] = await tx
        .update(table as typeof courseApproval)
        .set({ status: statusOf(decision), decidedBy, decidedAt: sql`now()`, reason })
        .where(and(eq(table.id, id), eq(table.status, 'PENDING')))
        .returning();
      if (!row) return null;
      const decided = row as RowOf<T>;
      await this.options.announce(tx, decided, funderId);
      return decided;
    });
  }

  private async select(db: Db, where: SQL | undefined, limit: number, order?: 'oldest' | 'newest'): Promise<Array<RowOf<T>>> {
    const { table } = this.options;
    const by = order === 'oldest' ? [asc(table.submittedAt), asc(table.id)] : order === 'newest' ? [desc(table.submittedAt), desc(table.id)] : [];
    // drizzle cannot type a select over a table chosen by a type parameter; the rows are the table's own.
    // tsc needs the cast that the linter's generic inference calls unnecessary.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    return (await db.select().from(table as typeof courseApproval).where(where).orderBy(...by).limit(limit)) as Array<RowOf<T>>;
  }

  private column(field: string): AnyColumn {
    return (this.options.table as unknown as Record<string, AnyColumn>)[field]!;
  }
}
