import {
  activeSigningSecrets,
  attemptWebhookDelivery,
  backoff,
  failingSinceAfter,
  nextRetryDelay,
  observeBacklog,
  Pause,
  shouldDisableEndpoint,
  type BackgroundWorker,
  type BacklogReport,
  type Database,
  type Logger,
  type Resolver,
  type WebhookAttempt,
} from '@tauliah/core';
import { and, asc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { webhookAttempt, webhookDelivery, webhookEndpoint, webhookSecret, type tables, type WebhookDeliveryRow } from '../db/schema.ts';
import { openWebhookSecret } from './sealing.ts';
import type { WebhookConfig } from './settings.ts';

type Db = Database<typeof tables>;

export interface WebhookDeliveryOptions {
  /** A database handle of the worker's own. */
  db: Db;
  config: WebhookConfig;
  log: Logger;
  /** Attempts in flight at once: a receiver that hangs ties up one of them for at most the timeout. */
  concurrency?: number;
  /** How often to look for due deliveries while idle (another instance's new ones; this instance's it is told of). */
  pollMs?: number;
  /** How names are resolved at delivery (the system's resolver unless a test gives one). */
  resolve?: Resolver;
}

export interface WebhookDelivery extends BackgroundWorker {
  /** New deliveries were queued: look for due ones now rather than at the next poll. */
  wake(): void;
}

/**
 * How long a claimed delivery stays out of other instances' reach: the
 * attempt's own deadline and a margin to record it. An instance that dies
 * mid-attempt loses nothing: past this, another claims the delivery again.
 */
const LEASE_MARGIN_MS = 30_000;

/** A delivery claimed for one attempt, with the state the retry schedule reads. */
type Claimed = Pick<WebhookDeliveryRow, 'id' | 'endpointId' | 'eventId' | 'body' | 'attempts' | 'scheduledAttempts' | 'lastDelayMs'> & { scheduledSince: Date };

/**
 * Delivers queued webhooks: claims due deliveries (FOR UPDATE SKIP LOCKED, so
 * instances sharing the table never claim the same one), makes each attempt
 * outside any transaction, then records it, schedules the next
 * (nextRetryDelay, honouring Retry-After) or gives up (FAILED), and keeps the
 * endpoint's run of failures, disabling it after five days of nothing but
 * failures. Everything lives in the rows: a restart resumes where it stopped.
 * The queue's backlog is in the process's metrics (queue "webhooks").
 */
export function startWebhookDelivery(options: WebhookDeliveryOptions): WebhookDelivery {
  const { db, config, log } = options;
  const concurrency = options.concurrency ?? 16;
  const pollMs = options.pollMs ?? 1_000;
  const pause = new Pause();
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let woken = false;
  let failures = 0;
  const stopObserving = observeBacklog('webhooks', 'providers', () => backlog(db));

  const wake = () => {
    woken = true;
    pause.interrupt();
  };

  function track(work: Promise<void>): void {
    inFlight.add(work);
    void work.finally(() => {
      inFlight.delete(work);
      wake();
    });
  }

  async function deliver(claimed: Claimed, endpoint: Target | undefined): Promise<void> {
    try {
      // Deleted since the claim (its deliveries went with it), or its secrets would not open (logged).
      if (!endpoint) return;
      const at = new Date();
      const attempt = await attemptWebhookDelivery({
        url: endpoint.url,
        id: claimed.eventId,
        body: claimed.body,
        secrets: endpoint.secrets,
        policy: config.policy,
        timeoutMs: config.timeoutMs,
        maxResponseBytes: config.maxResponseBytes,
        resolve: options.resolve,
      });
      await record(db, config, claimed, attempt, at);
    } catch (error) {
      // The row keeps its lease: past it, this or another instance tries again.
      log.error({ err: error, deliveryId: claimed.id }, 'a webhook delivery could not be made or recorded; it will be tried again');
    }
  }

  let prunedAt = 0;
  const loop = (async () => {
    while (!stopping) {
      woken = false;
      let wait: number;
      try {
        if (Date.now() - prunedAt >= PRUNE_EVERY_MS) {
          const pruned = await prune(db, config.retentionMs);
          prunedAt = Date.now();
          if (pruned > 0) log.info({ pruned }, 'deleted finished webhook deliveries past their retention');
        }
        const free = concurrency - inFlight.size;
        const claimed = free > 0 ? await claim(db, free, config.timeoutMs + LEASE_MARGIN_MS) : [];
        const targets = await targetsOf(db, config, claimed, log);
        for (const row of claimed) track(deliver(row, targets.get(row.endpointId)));
        if (failures > 0) log.info({ after: failures }, 'webhook deliveries reachable again');
        failures = 0;
        if (free > 0 && claimed.length === free) continue;
        wait = free > 0 ? Math.min(pollMs, (await untilNextDue(db)) ?? pollMs) : pollMs;
      } catch (error) {
        failures += 1;
        log[failures === 1 || failures % 20 === 0 ? 'warn' : 'debug']({ err: error, failures }, 'claiming webhook deliveries failed; retrying');
        wait = backoff(failures);
      }
      if (stopping) break;
      if (woken && failures === 0) continue;
      await pause.for(Math.max(0, wait));
    }
  })();

  return {
    wake,
    async stop() {
      stopping = true;
      stopObserving();
      pause.interrupt();
      await loop;
      // Attempts under way finish (each within its timeout) and are recorded.
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** How often the loop deletes finished deliveries past their retention (WEBHOOK_RETENTION_DAYS). */
const PRUNE_EVERY_MS = 3_600_000;
/** Deliveries deleted per statement: a backlog of old rows goes in bounded bites, never one long lock. */
const PRUNE_BATCH = 5_000;

/**
 * Deletes deliveries finished (DELIVERED, or FAILED for good) more than the
 * retention ago, with their attempts: they were queryable, redeliverable and
 * replayable until then. Pending ones are never deleted, however old.
 * Answers how many went.
 */
export async function prune(db: Db, retentionMs: number): Promise<number> {
  let total = 0;
  for (;;) {
    const old = db
      .select({ id: webhookDelivery.id })
      .from(webhookDelivery)
      .where(and(inArray(webhookDelivery.status, ['DELIVERED', 'FAILED']), lte(webhookDelivery.createdAt, sql`now() - ${retentionMs} * interval '1 millisecond'`)))
      .limit(PRUNE_BATCH);
    const deleted = await db.delete(webhookDelivery).where(inArray(webhookDelivery.id, old)).returning({ id: webhookDelivery.id });
    total += deleted.length;
    if (deleted.length < PRUNE_BATCH) return total;
  }
}

/**
 * Claims up to `limit` due deliveries of enabled endpoints, oldest due first,
 * in one statement: the rows are locked while they are chosen, other
 * instances skip them, and each leaves with its attempt counted and a lease
 * (claimed_until) that keeps it from being claimed again meanwhile.
 */
async function claim(db: Db, limit: number, leaseMs: number): Promise<Claimed[]> {
  const queued = alias(webhookDelivery, 'queued');
  const due = db
    .select({ id: queued.id })
    .from(queued)
    .innerJoin(webhookEndpoint, eq(webhookEndpoint.id, queued.endpointId))
    .where(
      and(
        eq(queued.status, 'PENDING'),
        lte(queued.nextAttemptAt, sql`now()`),
        or(isNull(queued.claimedUntil), lte(queued.claimedUntil, sql`now()`)),
        isNull(webhookEndpoint.disabledAt),
      ),
    )
    .orderBy(asc(queued.nextAttemptAt))
    .limit(limit)
    .for('update', { of: queued, skipLocked: true });
  const rows = await db
    .update(webhookDelivery)
    .set({
      attempts: sql`${webhookDelivery.attempts} + 1`,
      scheduledAttempts: sql`${webhookDelivery.scheduledAttempts} + 1`,
      scheduledSince: sql`coalesce(${webhookDelivery.scheduledSince}, now())`,
      claimedUntil: sql`now() + ${leaseMs} * interval '1 millisecond'`,
    })
    .where(inArray(webhookDelivery.id, due))
    .returning({
      id: webhookDelivery.id,
      endpointId: webhookDelivery.endpointId,
      eventId: webhookDelivery.eventId,
      body: webhookDelivery.body,
      attempts: webhookDelivery.attempts,
      scheduledAttempts: webhookDelivery.scheduledAttempts,
      scheduledSince: webhookDelivery.scheduledSince,
      lastDelayMs: webhookDelivery.lastDelayMs,
    });
  return rows.map((row) => ({ ...row, scheduledSince: row.scheduledSince! }));
}

/** Where a claimed delivery goes, and the secrets that sign it now. */
interface Target {
  url: string;
  secrets: string[];
}

/**
 * The endpoints of the claimed deliveries, with their active secrets
 * unsealed: one statement per round. An endpoint whose secrets do not open
 * (WEBHOOK_SECRET_ENCRYPTION_KEY changed) is left out, and logged: its
 * deliveries wait, the others go.
 */
async function targetsOf(db: Db, config: WebhookConfig, claimed: Claimed[], log: Logger): Promise<Map<string, Target>> {
  const ids = [...new Set(claimed.map((row) => row.endpointId))];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: webhookEndpoint.id, url: webhookEndpoint.url, sealedSecret: webhookSecret.sealedSecret, retiresAt: webhookSecret.retiresAt })
    .from(webhookEndpoint)
    .innerJoin(webhookSecret, eq(webhookSecret.endpointId, webhookEndpoint.id))
    .where(and(inArray(webhookEndpoint.id, ids), or(isNull(webhookSecret.retiresAt), gt(webhookSecret.retiresAt, sql`now()`))));
  const now = new Date();
  const targets = new Map<string, Target>();
  for (const id of ids) {
    const own = rows.filter((row) => row.id === id);
    if (own.length === 0) continue;
    try {
      const secrets = own.map((row) => ({ secret: openWebhookSecret(row.sealedSecret, id, config.secretKey), retiresAt: row.retiresAt }));
      targets.set(id, { url: own[0]!.url, secrets: activeSigningSecrets(secrets, now) });
    } catch (error) {
      log.error({ err: error, endpointId: id }, "a webhook endpoint's signing secrets do not open with WEBHOOK_SECRET_ENCRYPTION_KEY; its deliveries wait");
    }
  }
  return targets;
}

/** "5 days", "36 hours", "90 minutes": how long the 5-day rule waits, as its reason says it. */
function spanOf(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours >= 48 && Number.isInteger(hours / 24)) return `${hours / 24} days`;
  if (hours >= 1) return `${Math.round(hours * 10) / 10} hours`;
  return `${Math.max(1, Math.round(ms / 60_000))} minutes`;
}

/**
 * Records one attempt in one transaction: the attempt itself; the delivery's
 * outcome (DELIVERED, due again after the schedule's pause, or FAILED once
 * the schedule is spent), unless another instance recorded a later attempt
 * meanwhile; and the endpoint's run of failures, which disables it once it
 * has lasted the configured span (5 days).
 */
async function record(db: Db, config: WebhookConfig, claimed: Claimed, attempt: WebhookAttempt, at: Date): Promise<void> {
  const delay = attempt.ok
    ? undefined
    : nextRetryDelay(config.schedule, {
        attempts: claimed.scheduledAttempts,
        previousDelayMs: claimed.lastDelayMs,
        elapsedMs: Math.max(0, at.getTime() - claimed.scheduledSince.getTime()),
        retryAfterMs: attempt.retryAfterMs,
      });
  const last = {
    claimedUntil: null,
    lastStatusCode: attempt.status ?? null,
    lastErrorKind: attempt.error?.kind ?? null,
    lastError: attempt.error?.message ?? null,
    lastLatencyMs: attempt.latencyMs,
  };
  const outcome = attempt.ok
    ? { ...last, status: 'DELIVERED', deliveredAt: sql`now()`, nextAttemptAt: null }
    : delay === undefined
      ? { ...last, status: 'FAILED', nextAttemptAt: null }
      : { ...last, nextAttemptAt: sql`now() + ${delay} * interval '1 millisecond'`, lastDelayMs: delay };
  await db.transaction(async (tx) => {
    // The endpoint first, as every change to an endpoint and its deliveries takes them (no key update: new
    // deliveries referencing it are not held up). Its run of failures changes under this lock, so two attempts
    // recorded at once agree on it; gone, the delivery went with it and there is nothing to record.
    const [endpoint] = await tx
      .select({ failingSince: webhookEndpoint.failingSince, disabledAt: webhookEndpoint.disabledAt })
      .from(webhookEndpoint)
      .where(eq(webhookEndpoint.id, claimed.endpointId))
      .for('no key update');
    if (!endpoint) return;
    await tx
      .insert(webhookAttempt)
      .values({
        deliveryId: claimed.id,
        attempt: claimed.attempts,
        at,
        statusCode: attempt.status ?? null,
        latencyMs: attempt.latencyMs,
        errorKind: attempt.error?.kind ?? null,
        error: attempt.error?.message ?? null,
      })
      .onConflictDoNothing();
    await tx
      .update(webhookDelivery)
      .set(outcome)
      .where(and(eq(webhookDelivery.id, claimed.id), eq(webhookDelivery.attempts, claimed.attempts), eq(webhookDelivery.status, 'PENDING')));
    const failingSince = failingSinceAfter(endpoint.failingSince, { ok: attempt.ok, at });
    const disable = !endpoint.disabledAt && shouldDisableEndpoint(failingSince, new Date(), config.disableAfterMs);
    if (failingSince?.getTime() === endpoint.failingSince?.getTime() && !disable) return;
    const reason =
      `Disabled automatically: every delivery since ${failingSince?.toISOString()} failed, for ${spanOf(config.disableAfterMs)} or more` +
      ` (the last: ${attempt.error?.message ?? 'no answer'}). Fix the receiver, then enableWebhookEndpoint; replayWebhookEvents sends again what it missed.`;
    await tx
      .update(webhookEndpoint)
      .set(disable ? { failingSince, disabledAt: sql`now()`, disabledReason: reason } : { failingSince })
      .where(eq(webhookEndpoint.id, claimed.endpointId));
  });
}

/** Milliseconds until the next delivery of an enabled endpoint falls due (0 if one is overdue), or undefined when none waits. */
async function untilNextDue(db: Db): Promise<number | undefined> {
  const [next] = await db
    .select({ ms: sql<number | null>`extract(epoch from min(greatest(${webhookDelivery.nextAttemptAt}, ${webhookDelivery.claimedUntil})) - now()) * 1000` })
    .from(webhookDelivery)
    .innerJoin(webhookEndpoint, eq(webhookEndpoint.id, webhookDelivery.endpointId))
    .where(and(eq(webhookDelivery.status, 'PENDING'), isNull(webhookEndpoint.disabledAt)));
  return next?.ms == null ? undefined : Math.max(0, Math.ceil(Number(next.ms)));
}

/** How many deliveries to enabled endpoints wait (an attempt in hand included), and how long the oldest has. */
async function backlog(db: Db): Promise<BacklogReport> {
  const [row] = await db
    .select({
      backlog: sql<number>`count(*)::int`,
      oldestAgeSeconds: sql<number>`coalesce(extract(epoch from now() - min(${webhookDelivery.createdAt})), 0)::float8`,
    })
    .from(webhookDelivery)
    .innerJoin(webhookEndpoint, eq(webhookEndpoint.id, webhookDelivery.endpointId))
    .where(and(eq(webhookDelivery.status, 'PENDING'), isNull(webhookEndpoint.disabledAt)));
  return { backlog: Number(row?.backlog ?? 0), oldestAgeSeconds: Math.max(0, Number(row?.oldestAgeSeconds ?? 0)) };
}
