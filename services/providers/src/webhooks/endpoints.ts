import { Conflict, generateWebhookSecret, idempotentWrite, NotFound, SECRET_ROTATION_OVERLAP_MS, type Database, type Principal } from '@tauliah/core';
import { and, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { webhookDelivery, webhookEndpoint, webhookSecret, type tables, type WebhookDeliveryRow, type WebhookEndpointRow } from '../db/schema.ts';
import type { WebhookOwner } from './access.ts';
import type { WebhookEventType } from './event-types.ts';
import { openWebhookSecret, sealWebhookSecret } from './sealing.ts';

type Db = Database<typeof tables>;
type Reader = Pick<Db, 'select'>;

/** What a partner sets on an endpoint, validated (graph/webhook.inputs.ts). */
export interface EndpointValues {
  url: string;
  eventTypes: WebhookEventType[];
  description: string | null;
}

/** An endpoint and a signing secret, shown this once. */
export interface EndpointWithSecret {
  endpoint: WebhookEndpointRow;
  secret: string;
  replayed: boolean;
}

/** The endpoint, if it belongs to the organisation: another's is NOT_FOUND, as if it did not exist. */
const owned = (owner: WebhookOwner, id: string): SQL =>
  and(eq(webhookEndpoint.id, id), eq(webhookEndpoint.organisationKind, owner.kind), eq(webhookEndpoint.organisationId, owner.id))!;

const sameTypes = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((type, i) => type === [...b].sort()[i]);

/**
 * Registers an endpoint with its first signing secret, once per idempotency
 * key: a retry answers the same endpoint and the same secret, so a partner
 * whose answer was lost still learns it; the key used for another endpoint
 * is a CONFLICT.
 */
export async function createEndpoint(db: Db, owner: WebhookOwner, principal: Principal, values: EndpointValues, idempotencyKey: string | null, secretKey: string): Promise<EndpointWithSecret> {
  const key = idempotencyKey ? { scope: 'providers.createWebhookEndpoint', owner: `${owner.kind}:${owner.id}`, key: idempotencyKey } : null;
  const { result, replayed } = await idempotentWrite(db, key, {
    replay: (reader) => (idempotencyKey ? createdWithKey(reader, owner, idempotencyKey, values, secretKey) : Promise.resolve(undefined)),
    async write(tx) {
      const id = randomUUID();
      const secret = generateWebhookSecret();
      const [endpoint] = await tx
        .insert(webhookEndpoint)
        .values({ id, organisationKind: owner.kind, organisationId: owner.id, ...values, createdBy: principal.subject, idempotencyKey })
        .returning();
      await tx.insert(webhookSecret).values({ endpointId: id, sealedSecret: sealWebhookSecret(secret, id, secretKey) });
      return { endpoint: endpoint!, secret };
    },
  });
  return { ...result, replayed };
}

async function createdWithKey(reader: Reader, owner: WebhookOwner, idempotencyKey: string, values: EndpointValues, secretKey: string): Promise<Omit<EndpointWithSecret, 'replayed'> | undefined> {
  const [endpoint] = await reader
    .select()
    .from(webhookEndpoint)
    .where(and(eq(webhookEndpoint.organisationKind, owner.kind), eq(webhookEndpoint.organisationId, owner.id), eq(webhookEndpoint.idempotencyKey, idempotencyKey)));
  if (!endpoint) return undefined;
  if (endpoint.url !== values.url || !sameTypes(endpoint.eventTypes, values.eventTypes) || endpoint.description !== values.description) {
    throw new Conflict(`The idempotency key ${idempotencyKey} was already used for another webhook endpoint (${endpoint.id}): use a new key for a new endpoint.`, {
      field: 'idempotencyKey',
      endpointId: endpoint.id,
    });
  }
  // The endpoint and its first secret were written in one transaction, whose now() both took (compared in SQL, to the microsecond).
  const [first] = await reader
    .select({ sealedSecret: webhookSecret.sealedSecret })
    .from(webhookSecret)
    .innerJoin(webhookEndpoint, eq(webhookEndpoint.id, webhookSecret.endpointId))
    .where(and(eq(webhookSecret.endpointId, endpoint.id), eq(webhookSecret.createdAt, webhookEndpoint.createdAt)));
  if (!first) {
    throw new Conflict(`Webhook endpoint ${endpoint.id}, created with this key, has since rotated out the secret it was created with: rotateWebhookSecret gives a new one.`, { endpointId: endpoint.id });
  }
  return { endpoint, secret: openWebhookSecret(first.sealedSecret, endpoint.id, secretKey) };
}

/** Changes what was given of the URL, event types and description. */
export async function updateEndpoint(db: Db, owner: WebhookOwner, id: string, changes: Partial<EndpointValues>): Promise<WebhookEndpointRow> {
  const [row] = Object.keys(changes).length === 0 ? await db.select().from(webhookEndpoint).where(owned(owner, id)) : await db.update(webhookEndpoint).set(changes).where(owned(owner, id)).returning();
  if (!row) throw new NotFound('WebhookEndpoint', id);
  return row;
}

/** Stops deliveries to it; disabling a disabled endpoint changes nothing (its first reason stands). */
export async function disableEndpoint(db: Db, owner: WebhookOwner, id: string, principal: Principal, reason: string | null): Promise<WebhookEndpointRow> {
  const why = `Disabled by ${principal.subject}${reason ? `: ${reason}` : '.'}`;
  const [row] = await db
    .update(webhookEndpoint)
    .set({ disabledAt: sql`now()`, disabledReason: why })
    .where(and(owned(owner, id), isNull(webhookEndpoint.disabledAt)))
    .returning();
  return row ?? (await current(db, owner, id));
}

/**
 * Delivers to it again: its run of failures starts afresh, and what still
 * waited for it when it was disabled is due now, with a whole retry schedule
 * ahead. Enabling an enabled endpoint changes nothing.
 */
export async function enableEndpoint(db: Db, owner: WebhookOwner, id: string): Promise<WebhookEndpointRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEndpoint)
      .set({ disabledAt: null, disabledReason: null, failingSince: null })
      .where(and(owned(owner, id), isNotNull(webhookEndpoint.disabledAt)))
      .returning();
    if (!row) return current(tx, owner, id);
    await tx.update(webhookDelivery).set(REQUEUED).where(and(eq(webhookDelivery.endpointId, id), eq(webhookDelivery.status, 'PENDING'), unclaimed()));
    return row;
  });
}

/** Deletes it, its secrets and its deliveries' record. */
export async function deleteEndpoint(db: Db, owner: WebhookOwner, id: string): Promise<string> {
  const [row] = await db.delete(webhookEndpoint).where(owned(owner, id)).returning({ id: webhookEndpoint.id });
  if (!row) throw new NotFound('WebhookEndpoint', id);
  return row.id;
}

async function current(reader: Reader, owner: WebhookOwner, id: string): Promise<WebhookEndpointRow> {
  const [row] = await reader.select().from(webhookEndpoint).where(owned(owner, id));
  if (!row) throw new NotFound('WebhookEndpoint', id);
  return row;
}

/** A rotation's answer: the new secret, shown this once, and until when its predecessor still signs. */
export interface RotatedSecret {
  endpoint: WebhookEndpointRow;
  secret: string;
  previousSecretRetiresAt: Date | null;
  replayed: boolean;
}

/**
 * Gives the endpoint a new secret. The one it replaces keeps signing beside
 * it for SECRET_ROTATION_OVERLAP_MS (24 h), so the partner switches their
 * receiver without missing a delivery; a secret still in such an overlap
 * (rotated twice within a day) stops at once. Once per idempotency key: a
 * retry answers the same secret rather than rotating again.
 */
export async function rotateSecret(db: Db, owner: WebhookOwner, id: string, idempotencyKey: string | null, secretKey: string): Promise<RotatedSecret> {
  const key = idempotencyKey ? { scope: 'providers.rotateWebhookSecret', owner: id, key: idempotencyKey } : null;
  const { result, replayed } = await idempotentWrite(db, key, {
    replay: (reader) => (idempotencyKey ? rotatedWithKey(reader, owner, id, idempotencyKey, secretKey) : Promise.resolve(undefined)),
    async write(tx) {
      // The endpoint's row is locked: two rotations at once take turns.
      const [endpoint] = await tx.select().from(webhookEndpoint).where(owned(owner, id)).for('update');
      if (!endpoint) throw new NotFound('WebhookEndpoint', id);
      await tx.delete(webhookSecret).where(and(eq(webhookSecret.endpointId, id), isNotNull(webhookSecret.retiresAt)));
      const [previous] = await tx
        .update(webhookSecret)
        .set({ retiresAt: sql`now() + ${SECRET_ROTATION_OVERLAP_MS} * interval '1 millisecond'` })
        .where(and(eq(webhookSecret.endpointId, id), isNull(webhookSecret.retiresAt)))
        .returning({ retiresAt: webhookSecret.retiresAt });
      const secret = generateWebhookSecret();
      await tx.insert(webhookSecret).values({ endpointId: id, sealedSecret: sealWebhookSecret(secret, id, secretKey), idempotencyKey });
      return { endpoint, secret, previousSecretRetiresAt: previous?.retiresAt ?? null };
    },
  });
  return { ...result, replayed };
}

async function rotatedWithKey(reader: Reader, owner: WebhookOwner, id: string, idempotencyKey: string, secretKey: string): Promise<Omit<RotatedSecret, 'replayed'> | undefined> {
  const endpoint = await current(reader, owner, id);
  const [made] = await reader
    .select({ sealedSecret: webhookSecret.sealedSecret, createdAt: webhookSecret.createdAt })
    .from(webhookSecret)
    .where(and(eq(webhookSecret.endpointId, id), eq(webhookSecret.idempotencyKey, idempotencyKey)));
  if (!made) return undefined;
  const [predecessor] = await reader
    .select({ retiresAt: webhookSecret.retiresAt })
    .from(webhookSecret)
    .where(and(eq(webhookSecret.endpointId, id), isNotNull(webhookSecret.retiresAt), lt(webhookSecret.createdAt, made.createdAt)));
  return { endpoint, secret: openWebhookSecret(made.sealedSecret, id, secretKey), previousSecretRetiresAt: predecessor?.retiresAt ?? null };
}

/** A delivery queued afresh: due now, with a whole retry schedule ahead. */
const REQUEUED = {
  status: 'PENDING',
  nextAttemptAt: sql`now()`,
  scheduledAttempts: 0,
  scheduledSince: null,
  lastDelayMs: 0,
};

/** Not held by an attempt under way (its outcome is about to be recorded; queueing it again would send it twice at once). */
const unclaimed = (): SQL => or(isNull(webhookDelivery.claimedUntil), lte(webhookDelivery.claimedUntil, sql`now()`))!;

/** Deliveries of the organisation's endpoints. */
const ofOwner = (owner: WebhookOwner): SQL =>
  inArray(
    webhookDelivery.endpointId,
    sql`(select ${webhookEndpoint.id} from ${webhookEndpoint} where ${and(eq(webhookEndpoint.organisationKind, owner.kind), eq(webhookEndpoint.organisationId, owner.id))})`,
  );

/**
 * Queues one delivery again, whatever became of it (delivered, failed,
 * waiting for a retry), with the same webhook-id: a receiver that applied it
 * once ignores it. One with an attempt under way is answered as it is.
 */
export async function redeliver(db: Db, owner: WebhookOwner, deliveryId: string): Promise<WebhookDeliveryRow> {
  const [row] = await db
    .update(webhookDelivery)
    .set(REQUEUED)
    .where(and(eq(webhookDelivery.id, deliveryId), ofOwner(owner), unclaimed()))
    .returning();
  if (row) return row;
  const [underWay] = await db.select().from(webhookDelivery).where(and(eq(webhookDelivery.id, deliveryId), ofOwner(owner)));
  if (!underWay) throw new NotFound('WebhookDelivery', deliveryId);
  return underWay;
}

/** Queues again every delivery made to the endpoint since a time (those with an attempt under way aside); answers how many. */
export async function replaySince(db: Db, owner: WebhookOwner, endpointId: string, since: Date): Promise<{ endpoint: WebhookEndpointRow; requeued: number }> {
  return db.transaction(async (tx) => {
    const endpoint = await current(tx, owner, endpointId);
    const requeued = await tx
      .update(webhookDelivery)
      .set(REQUEUED)
      .where(and(eq(webhookDelivery.endpointId, endpointId), gte(webhookDelivery.createdAt, since), unclaimed()))
      .returning({ id: webhookDelivery.id });
    return { endpoint, requeued: requeued.length };
  });
}
