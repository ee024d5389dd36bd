import { migrateService, type Database, type DatabaseConnection, type Principal } from '@tauliah/core';
import { openTestDatabase, testConfig } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providersService, providersSettings } from '../src/index.ts';
import { prune } from '../src/webhooks/delivery.ts';
import { createEndpoint } from '../src/webhooks/endpoints.ts';
import { WebhookEventType } from '../src/webhooks/event-types.ts';
import { webhookConfigOf } from '../src/webhooks/settings.ts';

/* Finished deliveries are kept for WEBHOOK_RETENTION_DAYS, then deleted with their attempts; pending ones never. */
const settings = webhookConfigOf({ ...testConfig(), ...providersSettings.parse({}) });
const admin: Principal = { kind: 'principal', subject: 'staff:test:admin', role: 'PROVIDER_STAFF' };
const DAY_MS = 86_400_000;

let connection: DatabaseConnection;
let db: Database<typeof providersService.tables>;
beforeAll(async () => {
  connection = await openTestDatabase();
  await migrateService(providersService, connection);
  ({ db } = connection.drizzle(providersService.tables));
});
afterAll(() => connection?.close());

async function delivery(endpointId: string, status: string, ageDays: number): Promise<string> {
  const id = randomUUID();
  await connection.query(
    `insert into providers.webhook_delivery (id, endpoint_id, event_id, event_type, body, status, attempts, created_at, next_attempt_at, delivered_at)
     values ($1, $2, $3, 'credential.issued', '{}', $4, 1, now() - $5 * interval '1 day',
             case when $4 = 'PENDING' then now() + interval '1 hour' end, case when $4 = 'DELIVERED' then now() - $5 * interval '1 day' end)`,
    [id, endpointId, randomUUID(), status, ageDays],
  );
  await connection.query(`insert into providers.webhook_attempt (delivery_id, attempt, at, latency_ms) values ($1, 1, now(), 12)`, [id]);
  return id;
}
const remaining = async (ids: string[]) =>
  (await connection.query<{ id: string }>('select id from providers.webhook_delivery where id = any($1::uuid[]) order by id', [ids])).map((r) => r.id);

describe('webhook delivery retention', () => {
  it('deletes finished deliveries past the retention with their attempts, and keeps younger and pending ones', async () => {
    expect(settings.retentionMs).toBe(30 * DAY_MS);
    const { endpoint } = await createEndpoint(
      db,
      { kind: 'PROVIDER', id: randomUUID() },
      admin,
      { url: 'http://127.0.0.1:9/hooks', eventTypes: [WebhookEventType.CREDENTIAL_ISSUED], description: null },
      null,
      settings.secretKey,
    );
    const oldDelivered = await delivery(endpoint.id, 'DELIVERED', 31);
    const oldFailed = await delivery(endpoint.id, 'FAILED', 45);
    const oldPending = await delivery(endpoint.id, 'PENDING', 60);
    const young = await delivery(endpoint.id, 'DELIVERED', 29);

    expect(await prune(db, settings.retentionMs)).toBe(2);
    expect(await remaining([oldDelivered, oldFailed, oldPending, young])).toEqual([oldPending, young].sort());
    const attempts = await connection.query('select 1 from providers.webhook_attempt where delivery_id = any($1::uuid[])', [[oldDelivered, oldFailed]]);
    expect(attempts).toEqual([]);
    // Nothing more to delete: a second run deletes nothing.
    expect(await prune(db, settings.retentionMs)).toBe(0);
  });
});
