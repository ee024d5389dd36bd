import { credentialIssuedEvent, CredentialVisibility, migrateService, type Database, type DatabaseConnection, type EventEnvelope, type Principal } from '@tauliah/core';
import { openTestDatabase, testConfig } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providersService, providersSettings } from '../src/index.ts';
import { createEndpoint } from '../src/webhooks/endpoints.ts';
import { WebhookEventType } from '../src/webhooks/event-types.ts';
import { WantedEventTypes, WEBHOOK_ROUTES } from '../src/webhooks/routing.ts';
import { webhookConfigOf } from '../src/webhooks/settings.ts';

/* Events no endpoint wants cost no statement; an endpoint made after an event never misses one made after it. */
const settings = webhookConfigOf({ ...testConfig(), ...providersSettings.parse({}) });
const admin: Principal = { kind: 'principal', subject: 'staff:test:admin', role: 'PROVIDER_STAFF' };
const issued = WEBHOOK_ROUTES.find((route) => route.type === WebhookEventType.CREDENTIAL_ISSUED)!;

let connection: DatabaseConnection;
let db: Database<typeof providersService.tables>;
beforeAll(async () => {
  connection = await openTestDatabase();
  await migrateService(providersService, connection);
  ({ db } = connection.drizzle(providersService.tables));
});
afterAll(() => connection?.close());

const event = (occurredAt: Date): EventEnvelope<unknown> => ({
  id: randomUUID(),
  subject: credentialIssuedEvent.subject,
  version: 1,
  occurredAt: occurredAt.toISOString(),
  data: { credentialId: randomUUID(), issuerId: randomUUID(), learnerId: randomUUID(), courseId: randomUUID(), visibility: CredentialVisibility.PUBLIC },
});

describe('event types no endpoint wants', () => {
  it('skips an event that occurred before no endpoint wanted its type, and routes anything an endpoint may want', async () => {
    const wanted = new WantedEventTypes(db, 0);
    const before = new Date(Date.now() - 1_000);
    expect(await wanted.unwanted(issued as never, event(before) as never)).toBe(true);
    // Newer than what the database was asked: not skipped, whatever the answer then was.
    expect(await wanted.unwanted(issued as never, event(new Date(Date.now() + 60_000)) as never)).toBe(false);

    await createEndpoint(db, { kind: 'PROVIDER', id: randomUUID() }, admin, { url: 'http://127.0.0.1:9/hooks', eventTypes: [WebhookEventType.CREDENTIAL_ISSUED], description: null }, null, settings.secretKey);
    // Asked again (maxAgeMs 0): an endpoint wants credential.issued now, so none is skipped.
    expect(await wanted.unwanted(issued as never, event(before) as never)).toBe(false);
  });

  it('never skips an event whose route keeps state here (consents)', async () => {
    const consent = WEBHOOK_ROUTES.find((route) => route.type === WebhookEventType.CONSENT_GRANTED)!;
    expect(typeof consent.apply).toBe('function');
    expect(await new WantedEventTypes(db, 0).unwanted(consent as never, event(new Date(0)) as never)).toBe(false);
  });
});
