import { rowLoader, rowsLoader, type Database, type InternalGraph, type Viewer, anyUuid } from '@tauliah/core';
import type DataLoader from 'dataloader';
import { and, asc, count, desc, eq, getTableColumns, gt, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { webhookAttempt, webhookDelivery, webhookEndpoint, webhookSecret, type tables, type WebhookDeliveryRow } from '../db/schema.ts';
import { managedOrganisation, type WebhookOwner } from './access.ts';

type Db = Database<typeof tables>;

/** A delivery as listed, with its creation time to the microsecond (UTC), the list's cursor. */
export type ListedDelivery = WebhookDeliveryRow & { at: string };

/** One page of deliveries per endpoint: newest first, optionally of one status, after a cursor. */
export interface DeliveryPageRequest {
  limit: number;
  after: readonly [string, string] | null;
  status: string | null;
}

const createdAtText = sql<string>`to_char(${webhookDelivery.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

/**
 * The webhooks capability's DataLoaders, made per request beside the
 * service's own: endpoints, their signing secrets, pages of their deliveries
 * and the deliveries' attempts, each one statement per batch however many
 * endpoints or deliveries a response lists.
 */
export function webhookLoaders(context: { db: Db; viewer: Viewer; graph: InternalGraph }) {
  const { db } = context;
  const pages = new Map<string, DataLoader<string, ListedDelivery[]>>();
  const counts = new Map<string, DataLoader<string, { endpointId: string; n: number } | null>>();
  let manager: Promise<WebhookOwner> | undefined;
  return {
    /** The organisation whose endpoints the caller manages, checked once per request (access.ts). */
    managedOrganisation: () => (manager ??= managedOrganisation(context)),
    endpoint: rowLoader((ids: readonly string[]) => db.select().from(webhookEndpoint).where(anyUuid(webhookEndpoint.id, ids)), (row) => row.id),
    delivery: rowLoader((ids: readonly string[]) => db.select().from(webhookDelivery).where(anyUuid(webhookDelivery.id, ids)), (row) => row.id),
    /** Each endpoint's secrets that sign now (the current one, and a predecessor within its overlap), newest first. */
    signingSecretsOf: rowsLoader(
      (endpointIds: readonly string[]) =>
        db
          .select({ id: webhookSecret.id, endpointId: webhookSecret.endpointId, createdAt: webhookSecret.createdAt, retiresAt: webhookSecret.retiresAt })
          .from(webhookSecret)
          .where(and(anyUuid(webhookSecret.endpointId, endpointIds), or(isNull(webhookSecret.retiresAt), gt(webhookSecret.retiresAt, sql`now()`))))
          .orderBy(desc(webhookSecret.createdAt)),
      (row) => row.endpointId,
    ),
    /** Each delivery's attempts, first to last. */
    attemptsOf: rowsLoader(
      (deliveryIds: readonly string[]) => db.select().from(webhookAttempt).where(anyUuid(webhookAttempt.deliveryId, deliveryIds)).orderBy(asc(webhookAttempt.attempt)),
      (row) => row.deliveryId,
    ),
    deliveryPage(request: DeliveryPageRequest): DataLoader<string, ListedDelivery[]> {
      const shape = JSON.stringify(request);
      let loader = pages.get(shape);
      if (!loader) pages.set(shape, (loader = deliveryPages(db, request)));
      return loader;
    },
    deliveryCount(status: string | null): DataLoader<string, { endpointId: string; n: number } | null> {
      const shape = status ?? '';
      let loader = counts.get(shape);
      if (!loader) {
        loader = rowLoader(
          (endpointIds: readonly string[]) =>
            db
              .select({ endpointId: webhookDelivery.endpointId, n: count() })
              .from(webhookDelivery)
              .where(and(anyUuid(webhookDelivery.endpointId, endpointIds), status ? eq(webhookDelivery.status, status) : undefined))
              .groupBy(webhookDelivery.endpointId),
          (row) => row.endpointId,
        );
        counts.set(shape, loader);
      }
      return loader;
    },
  };
}

export type WebhookLoaders = ReturnType<typeof webhookLoaders>;

/**
 * One page of each endpoint's deliveries, `limit + 1` rows (the extra says
 * there is a next page): a window function numbers each endpoint's rows, so a
 * response listing the deliveries of many endpoints costs one statement.
 */
function deliveryPages(db: Db, { limit, after, status }: DeliveryPageRequest): DataLoader<string, ListedDelivery[]> {
  return rowsLoader(
    async (endpointIds: readonly string[]) => {
      const conditions: SQL[] = [anyUuid(webhookDelivery.endpointId, endpointIds)];
      if (status) conditions.push(eq(webhookDelivery.status, status));
      if (after) conditions.push(sql`(${webhookDelivery.createdAt}, ${webhookDelivery.id}) < (${after[0]}::timestamp at time zone 'UTC', ${after[1]}::uuid)`);
      const numbered = db
        .select({
          ...getTableColumns(webhookDelivery),
          at: createdAtText.as('at'),
          position: sql<number>`row_number() over (partition by ${webhookDelivery.endpointId} order by ${webhookDelivery.createdAt} desc, ${webhookDelivery.id} desc)`.as('position'),
        })
        .from(webhookDelivery)
        .where(and(...conditions))
        .as('numbered');
      const rows = await db.select().from(numbered).where(lte(numbered.position, limit + 1)).orderBy(asc(numbered.position));
      return rows.map(({ position: _position, ...row }) => row);
    },
    (row) => row.endpointId,
  );
}
