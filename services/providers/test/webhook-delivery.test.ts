import {
  claimDecidedEvent,
  consentGrantedEvent,
  consentRevokedEvent,
  courseApprovalDecidedEvent,
  createLogger,
  credentialIssuedEvent,
  credentialRevokedEvent,
  CredentialVisibility,
  InProcessTransport,
  learnerEnrolledEvent,
  migrateService,
  type BackgroundWorker,
  type Database,
  type DatabaseConnection,
  type EventContract,
  type EventEnvelope,
  type Principal,
} from '@tauliah/core';
import { eventually, openTestDatabase, testConfig } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, startReceiver, type ReceivedRequest, type Receiver } from '../../../packages/core/test/webhooks/receiver.ts';
import { metricsText } from '../../../packages/core/src/telemetry/metrics.ts';
import { providersService, providersSettings } from '../src/index.ts';
import { startWebhookDelivery } from '../src/webhooks/delivery.ts';
import { createEndpoint, enableEndpoint, redeliver, replaySince, type EndpointValues } from '../src/webhooks/endpoints.ts';
import { WebhookEventType } from '../src/webhooks/event-types.ts';
import { routeEvent, WEBHOOK_ROUTES } from '../src/webhooks/routing.ts';
import { webhookConfigOf } from '../src/webhooks/settings.ts';
import { startWebhookWorker } from '../src/webhooks/worker.ts';

/*
 * Delivery as the providers service runs it, on a real database, a real
 * broker (in-process) and real receivers on loopback, with the schedule
 * short enough to watch: at once, 50 ms, 100 ms, 1.5 s, no jitter.
 */
const log = createLogger({ level: 'silent' });
const config = { ...testConfig(), ...providersSettings.parse({ WEBHOOK_RETRY_SCHEDULE: '0,50ms,100ms,1500ms;jitter=0', WEBHOOK_TIMEOUT_MS: '1000' }) };
const settings = webhookConfigOf(config);
const admin: Principal = { kind: 'principal', subject: 'staff:test:admin', role: 'PROVIDER_STAFF' };

let connection: DatabaseConnection;
let db: Database<typeof providersService.tables>;
let events: InProcessTransport;
let worker: BackgroundWorker;
const receivers: Receiver[] = [];

beforeAll(async () => {
  connection = await openTestDatabase();
  await migrateService(providersService, connection);
  ({ db } = connection.drizzle(providersService.tables));
  events = new InProcessTransport();
  worker = startWebhookWorker({ db, events, log, config });
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all(receivers.map((r) => r.close()));
  await events?.close();
  await connection?.close();
});

type Answer = (request: ReceivedRequest, response: ServerResponse) => void;
const ok: Answer = (_, response) => response.writeHead(204).end();

async function receiver(answer: Answer = ok, port = 0): Promise<Receiver> {
  const started = await startReceiver(answer, '127.0.0.1', port);
  receivers.push(started);
  return started;
}

/** An organisation's endpoint at the receiver, and its secret. */
async function endpointFor(kind: 'PROVIDER' | 'EMPLOYER' | 'FUNDER', organisationId: string, at: Receiver | string, eventTypes: WebhookEventType[] = [WebhookEventType.LEARNER_ENROLLED]) {
  const values: EndpointValues = { url: typeof at === 'string' ? at : `${at.origin}/hooks`, eventTypes, description: null };
  return createEndpoint(db, { kind, id: organisationId }, admin, values, null, settings.secretKey);
}

let version = 0;
async function publish<T>(contract: EventContract<T>, data: T): Promise<EventEnvelope<T>> {
  const event = { id: randomUUID(), subject: contract.subject, version: ++version, occurredAt: new Date().toISOString(), data };
  await events.publish(event);
  return event;
}
const enrolled = (providerId: string) => publish(learnerEnrolledEvent, { learnerId: randomUUID(), providerId });

const deliveriesOf = (endpointId: string) =>
  connection.query<{ id: string; event_id: string; status: string; attempts: number; last_status_code: number | null; last_error_kind: string | null; body: string }>(
    'select * from providers.webhook_delivery where endpoint_id = $1 order by created_at, id',
    [endpointId],
  );
const attemptsOf = (deliveryId: string) =>
  connection.query<{ attempt: number; status_code: number | null; error_kind: string | null; at: Date; latency_ms: number }>('select * from providers.webhook_attempt where delivery_id = $1 order by attempt', [deliveryId]);
async function deliveredTo(endpointId: string, count = 1): Promise<void> {
  await eventually(async () => (await deliveriesOf(endpointId)).filter((d) => d.status === 'DELIVERED').length >= count, `${count} delivered to ${endpointId}`);
}
/** Lets the worker catch up with what was published, for assertions that something did not happen. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

describe('an event reaching an endpoint', () => {
  it('POSTs it signed as Standard Webhooks says, verifiable with the standardwebhooks library, with ids and no personal data', async () => {
    const partner = await receiver();
    const providerId = randomUUID();
    const { endpoint, secret } = await endpointFor('PROVIDER', providerId, partner);
    const event = await enrolled(providerId);
    await deliveredTo(endpoint.id);
    expect(partner.received).toHaveLength(1);
    const [request] = partner.received;
    expect(request!.headers['webhook-id']).toBe(event.id);
    const payload = new Webhook(secret).verify(request!.body, request!.headers as Record<string, string>);
    expect(payload).toEqual({ type: 'learner.enrolled', timestamp: event.occurredAt, data: { learnerId: event.data.learnerId, providerId } });
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ event_id: event.id, status: 'DELIVERED', attempts: 1, last_status_code: 204, last_error_kind: null, body: request!.body });
    expect((await attemptsOf(delivery!.id)).map((a) => [a.attempt, a.status_code, a.error_kind])).toEqual([[1, 204, null]]);
  });

  it('goes only to the enabled endpoints of the organisation it concerns that subscribe to its type', async () => {
    const mine = await receiver();
    const others = await receiver();
    const providerId = randomUUID();
    const subscribed = await endpointFor('PROVIDER', providerId, mine);
    await endpointFor('PROVIDER', providerId, mine, [WebhookEventType.CREDENTIAL_ISSUED]);
    const disabled = await endpointFor('PROVIDER', providerId, mine);
    await connection.query(`update providers.webhook_endpoint set disabled_at = now(), disabled_reason = 'test' where id = $1`, [disabled.endpoint.id]);
    await endpointFor('PROVIDER', randomUUID(), others);
    await endpointFor('EMPLOYER', providerId, others);
    await enrolled(providerId);
    await deliveredTo(subscribed.endpoint.id);
    await settle();
    expect(mine.received).toHaveLength(1);
    expect(others.received).toHaveLength(0);
    expect(await deliveriesOf(disabled.endpoint.id)).toEqual([]);
  });

  it('is queued once per endpoint however often the broker hands it over', async () => {
    const partner = await receiver();
    const providerId = randomUUID();
    const { endpoint } = await endpointFor('PROVIDER', providerId, partner);
    const learnerEnrolled = WEBHOOK_ROUTES.find((r) => r.type === WebhookEventType.LEARNER_ENROLLED)!;
    const event = { id: randomUUID(), subject: learnerEnrolledEvent.subject, version: ++version, occurredAt: new Date().toISOString(), data: { learnerId: randomUUID(), providerId } };
    expect(await routeEvent(db, learnerEnrolled, event)).toBe(1);
    expect(await routeEvent(db, learnerEnrolled, event)).toBe(0);
    await deliveredTo(endpoint.id);
    await settle();
    expect(partner.received).toHaveLength(1);
  });
});

describe('retries', () => {
  it('sends again after a 500, with the same webhook-id, and a receiver deduping by it applies the event once', async () => {
    let calls = 0;
    const applied = new Map<string, number>();
    const partner = await receiver((request, response) => {
      calls += 1;
      if (calls === 1) return void response.writeHead(500).end('busy');
      const id = String(request.headers['webhook-id']);
      applied.set(id, (applied.get(id) ?? 0) + 1);
      response.writeHead(200).end();
    });
    const providerId = randomUUID();
    const { endpoint, secret } = await endpointFor('PROVIDER', providerId, partner);
    const event = await enrolled(providerId);
    await deliveredTo(endpoint.id);
    const [first, second] = partner.received;
    expect([first!.headers['webhook-id'], second!.headers['webhook-id']]).toEqual([event.id, event.id]);
    for (const request of partner.received) expect(new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).toBeTruthy();
    const [delivery] = await deliveriesOf(endpoint.id);
    expect((await attemptsOf(delivery!.id)).map((a) => [a.attempt, a.status_code, a.error_kind])).toEqual([
      [1, 500, 'HTTP_STATUS'],
      [2, 200, null],
    ]);
    expect(delivery).toMatchObject({ status: 'DELIVERED', attempts: 2 });
    // A replay sends it once more under the same webhook-id: the deduping receiver has already applied it.
    await replaySince(db, { kind: 'PROVIDER', id: providerId }, endpoint.id, new Date(Date.now() - 60_000));
    await eventually(() => partner.received.length === 3, 'the replayed delivery');
    expect([...applied.values()]).toEqual([2]);
    expect(new Set(partner.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([event.id]));
  });

  it("waits as long as the receiver's Retry-After asks, within the schedule's longest pause", async () => {
    let calls = 0;
    const partner = await receiver((_, response) => {
      calls += 1;
      if (calls === 1) return void response.writeHead(503, { 'retry-after': '1' }).end();
      response.writeHead(200).end();
    });
    const providerId = randomUUID();
    const { endpoint } = await endpointFor('PROVIDER', providerId, partner);
    await enrolled(providerId);
    await deliveredTo(endpoint.id);
    const [delivery] = await deliveriesOf(endpoint.id);
    const [first, second] = await attemptsOf(delivery!.id);
    expect(new Date(second!.at).getTime() - new Date(first!.at).getTime()).toBeGreaterThanOrEqual(950);
  });

  it('gives up when the schedule is spent (FAILED), and a redelivery sends it again with a whole schedule ahead', async () => {
    let healthy = false;
    const partner = await receiver((_, response) => response.writeHead(healthy ? 200 : 500).end());
    const providerId = randomUUID();
    const { endpoint } = await endpointFor('PROVIDER', providerId, partner);
    await enrolled(providerId);
    await eventually(async () => (await deliveriesOf(endpoint.id))[0]?.status === 'FAILED', 'the delivery failed for good', 10_000);
    const [failed] = await deliveriesOf(endpoint.id);
    expect(failed).toMatchObject({ attempts: 4, last_status_code: 500, last_error_kind: 'HTTP_STATUS' });
    const [row] = await connection.query<{ next_attempt_at: Date | null }>('select next_attempt_at from providers.webhook_delivery where id = $1', [failed!.id]);
    expect(row!.next_attempt_at).toBeNull();
    healthy = true;
    const requeued = await redeliver(db, { kind: 'PROVIDER', id: providerId }, failed!.id);
    expect(requeued.status).toBe('PENDING');
    await deliveredTo(endpoint.id);
    expect((await deliveriesOf(endpoint.id))[0]).toMatchObject({ attempts: 5, last_status_code: 200 });
    // Another organisation's delivery is not found.
    await expect(redeliver(db, { kind: 'PROVIDER', id: randomUUID() }, failed!.id)).rejects.toThrow(/does not exist/);
  });

  it('reaches a stopped receiver once it is back', async () => {
    const port = await closedPort();
    const providerId = randomUUID();
    const { endpoint } = await endpointFor('PROVIDER', providerId, `http://127.0.0.1:${port}/hooks`);
    await enrolled(providerId);
    await eventually(async () => (await deliveriesOf(endpoint.id))[0]?.last_error_kind === 'CONNECTION', 'an attempt found nobody listening');
    const partner = await receiver(ok, port);
    await deliveredTo(endpoint.id);
    expect(partner.received).toHaveLength(1);
  });

  it('times out a receiver that does not answer', async () => {
    const partner = await receiver(() => {});
    const providerId = randomUUID();
    const { endpoint } = await endpointFor('PROVIDER', providerId, partner);
    await enrolled(providerId);
    await eventually(async () => (await deliveriesOf(endpoint.id))[0]?.last_error_kind === 'TIMEOUT', 'the attempt timed out');
    await connection.query('delete from providers.webhook_endpoint where id = $1', [endpoint.id]);
  });

  it('never connects to a private address, even for an endpoint that got past registration', async () => {
    const providerId = randomUUID();
    const { endpoint } = await endpointFor('PROVIDER', providerId, 'http://127.0.0.1:9/hooks');
    await connection.query(`update providers.webhook_endpoint set url = 'http://10.20.30.40/hooks' where id = $1`, [endpoint.id]);
    await enrolled(providerId);
    await eventually(async () => (await deliveriesOf(endpoint.id))[0]?.last_error_kind === 'FORBIDDEN_DESTINATION', 'the destination was refused');
    const [delivery] = await deliveriesOf(endpoint.id);
    const [attempt] = await connection.query<{ error: string }>('select error from providers.webhook_attempt where delivery_id = $1', [delivery!.id]);
    expect(attempt!.error).toMatch(/10\.20\.30\.40 is a private address/);
    await connection.query('delete from providers.webhook_endpoint where id = $1', [endpoint.id]);
  });
});

describe('an endpoint failing for days', () => {
  it('is disabled, with a reason saying since when and why, and receives nothing until enabled', async () => {
    let healthy = false;
    const partner = await receiver((_, response) => response.writeHead(healthy ? 200 : 502).end());
    const providerId = randomUUID();
    const { endpoint } = await endpointFor('PROVIDER', providerId, partner);
    const since = new Date(Date.now() - 5 * 24 * 3_600_000 - 60_000);
    await connection.query('update providers.webhook_endpoint set failing_since = $2 where id = $1', [endpoint.id, since.toISOString()]);
    await enrolled(providerId);
    await eventually(async () => (await connection.query<{ disabled_at: Date | null }>('select disabled_at from providers.webhook_endpoint where id = $1', [endpoint.id]))[0]!.disabled_at !== null, 'the endpoint was disabled');
    const [disabled] = await connection.query<{ disabled_reason: string; failing_since: Date }>('select * from providers.webhook_endpoint where id = $1', [endpoint.id]);
    expect(disabled!.disabled_reason).toBe(
      `Disabled automatically: every delivery since ${since.toISOString()} failed, for 5 days or more (the last: The receiver answered 502; only a 2xx counts as delivered.). Fix the receiver, then enableWebhookEndpoint; replayWebhookEvents sends again what it missed.`,
    );
    await settle();
    const attemptsWhenDisabled = partner.received.length;
    // Nothing new is queued for it, and what waited is not attempted.
    await enrolled(providerId);
    await settle();
    expect(partner.received).toHaveLength(attemptsWhenDisabled);
    expect(await deliveriesOf(endpoint.id)).toHaveLength(1);
    healthy = true;
    await enableEndpoint(db, { kind: 'PROVIDER', id: providerId }, endpoint.id);
    await deliveredTo(endpoint.id);
    const [enabled] = await connection.query<{ failing_since: Date | null }>('select failing_since from providers.webhook_endpoint where id = $1', [endpoint.id]);
    expect(enabled!.failing_since).toBeNull();
  });

  it('keeps an endpoint that fails now and then: one success ends the run', async () => {
    let calls = 0;
    // The first answer asks for a second's pause: long enough to see the run of failures begin.
    const partner = await receiver((_, response) => (++calls === 1 ? response.writeHead(503, { 'retry-after': '1' }).end() : response.writeHead(200).end()));
    const providerId = randomUUID();
    const { endpoint } = await endpointFor('PROVIDER', providerId, partner);
    const failingSince = async () => (await connection.query<{ failing_since: Date | null }>('select failing_since from providers.webhook_endpoint where id = $1', [endpoint.id]))[0]!.failing_since;
    await enrolled(providerId);
    await eventually(async () => (await failingSince()) !== null, 'a failure began a run');
    await deliveredTo(endpoint.id);
    const [row] = await connection.query<{ failing_since: Date | null; disabled_at: Date | null }>('select * from providers.webhook_endpoint where id = $1', [endpoint.id]);
    expect(row).toMatchObject({ failing_since: null, disabled_at: null });
  });
});

describe('routing each kind of event', () => {
  const learnerId = randomUUID();
  const issuerId = randomUUID();
  const consenting = randomUUID();
  const stranger = randomUUID();
  const credential = (visibility: CredentialVisibility) => ({ credentialId: randomUUID(), issuerId, learnerId, courseId: randomUUID(), visibility });
  const inTypes = [WebhookEventType.CREDENTIAL_ISSUED, WebhookEventType.CREDENTIAL_REVOKED, WebhookEventType.CONSENT_GRANTED, WebhookEventType.CONSENT_REVOKED];

  it('sends credential events to the issuer, and to employers the learner consented to when they may see the credential', async () => {
    const partner = await receiver();
    const issuer = await endpointFor('PROVIDER', issuerId, partner, inTypes);
    const employer = await endpointFor('EMPLOYER', consenting, partner, inTypes);
    const other = await endpointFor('EMPLOYER', stranger, partner, inTypes);
    const consentId = randomUUID();
    await publish(consentGrantedEvent, { consentId, learnerId, granteeKind: 'EMPLOYER', granteeId: consenting, scopes: ['PROFILE'], expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    await deliveredTo(employer.endpoint.id);
    const seen = await publish(credentialIssuedEvent, credential(CredentialVisibility.EMPLOYERS));
    const unseen = await publish(credentialIssuedEvent, credential(CredentialVisibility.PRIVATE));
    await deliveredTo(issuer.endpoint.id, 2);
    await deliveredTo(employer.endpoint.id, 2);
    const eventsOf = async (endpointId: string) => (await deliveriesOf(endpointId)).map((d) => d.event_id);
    expect(await eventsOf(issuer.endpoint.id)).toEqual([seen.id, unseen.id]);
    expect(await eventsOf(employer.endpoint.id)).toContain(seen.id);
    expect(await eventsOf(employer.endpoint.id)).not.toContain(unseen.id);
    // Once revoked, the employer hears of the consent's end and of nothing more.
    await publish(consentRevokedEvent, { consentId, learnerId, granteeKind: 'EMPLOYER', granteeId: consenting });
    await deliveredTo(employer.endpoint.id, 3);
    const after = await publish(credentialRevokedEvent, { ...credential(CredentialVisibility.PUBLIC), credentialId: seen.data.credentialId });
    await deliveredTo(issuer.endpoint.id, 3);
    await settle();
    expect(await eventsOf(employer.endpoint.id)).not.toContain(after.id);
    expect(await deliveriesOf(other.endpoint.id)).toEqual([]);
    const body = JSON.parse((await deliveriesOf(employer.endpoint.id))[0]!.body);
    expect(body).toEqual({ type: 'consent.granted', timestamp: expect.any(String), data: { consentId, learnerId, granteeKind: 'EMPLOYER', granteeId: consenting, scopes: ['PROFILE'], expiresAt: expect.any(String) } });
  });

  it('keeps a consent revoked when the revocation arrives before the grant, and ignores an expired one', async () => {
    const partner = await receiver();
    const employerId = randomUUID();
    const learner = randomUUID();
    const employer = await endpointFor('EMPLOYER', employerId, partner, [WebhookEventType.CREDENTIAL_ISSUED]);
    const consentId = randomUUID();
    const granted = { consentId, learnerId: learner, granteeKind: 'EMPLOYER' as const, granteeId: employerId };
    const grant = consentGrantedEvent as EventContract<unknown>;
    const revoke = consentRevokedEvent as EventContract<unknown>;
    const routeOf = (type: WebhookEventType) => WEBHOOK_ROUTES.find((r) => r.type === type)!;
    const envelope = (contract: EventContract<unknown>, data: unknown) => ({ id: randomUUID(), subject: contract.subject, version: ++version, occurredAt: new Date().toISOString(), data });
    await routeEvent(db, routeOf(WebhookEventType.CONSENT_REVOKED), envelope(revoke, granted));
    await routeEvent(db, routeOf(WebhookEventType.CONSENT_GRANTED), envelope(grant, { ...granted, scopes: ['PROFILE'], expiresAt: new Date(Date.now() + 86_400_000).toISOString() }));
    const expiredId = randomUUID();
    await routeEvent(db, routeOf(WebhookEventType.CONSENT_GRANTED), envelope(grant, { ...granted, consentId: expiredId, scopes: ['PROFILE'], expiresAt: new Date(Date.now() - 1_000).toISOString() }));
    const issued = { credentialId: randomUUID(), issuerId: randomUUID(), learnerId: learner, courseId: randomUUID(), visibility: 'PUBLIC' };
    expect(await routeEvent(db, routeOf(WebhookEventType.CREDENTIAL_ISSUED), envelope(credentialIssuedEvent as EventContract<unknown>, issued))).toBe(0);
    expect(await deliveriesOf(employer.endpoint.id)).toEqual([]);
  });

  it('sends funding decisions to the organisations they concern', async () => {
    const partner = await receiver();
    const providerId = randomUUID();
    const employerId = randomUUID();
    const funderId = randomUUID();
    const provider = await endpointFor('PROVIDER', providerId, partner, [WebhookEventType.COURSE_APPROVAL_DECIDED]);
    const employer = await endpointFor('EMPLOYER', employerId, partner, [WebhookEventType.CLAIM_DECIDED]);
    const funder = await endpointFor('FUNDER', funderId, partner, [WebhookEventType.CLAIM_DECIDED, WebhookEventType.COURSE_APPROVAL_DECIDED]);
    const approval = await publish(courseApprovalDecidedEvent, { courseApprovalId: randomUUID(), schemeId: randomUUID(), funderId, providerId, courseId: randomUUID(), decision: 'APPROVED' });
    const claim = await publish(claimDecidedEvent, {
      applicationId: randomUUID(),
      schemeId: randomUUID(),
      funderId,
      employerId,
      learnerId: randomUUID(),
      courseId: randomUUID(),
      decision: 'REJECTED',
    });
    await deliveredTo(funder.endpoint.id, 2);
    await deliveredTo(provider.endpoint.id);
    await deliveredTo(employer.endpoint.id);
    expect((await deliveriesOf(provider.endpoint.id)).map((d) => d.event_id)).toEqual([approval.id]);
    expect((await deliveriesOf(employer.endpoint.id)).map((d) => d.event_id)).toEqual([claim.id]);
    expect(new Set((await deliveriesOf(funder.endpoint.id)).map((d) => d.event_id))).toEqual(new Set([approval.id, claim.id]));
  });
});

describe('instances and restarts', () => {
  it('shares the work between instances without sending one delivery twice', async () => {
    // Both instances with a deadline the loaded test process can meet (the receiver shares its one thread with the
    // database here): a timed-out attempt is retried, which is delivery at least once, not the same delivery twice at once.
    const patient = { ...testConfig(), ...providersSettings.parse({ WEBHOOK_RETRY_SCHEDULE: '0,50ms,100ms,1500ms;jitter=0', WEBHOOK_TIMEOUT_MS: '10000' }) };
    await worker.stop();
    worker = startWebhookWorker({ db, events, log, config: patient });
    const partner = await receiver();
    const providerId = randomUUID();
    const { endpoint } = await endpointFor('PROVIDER', providerId, partner);
    const second = startWebhookDelivery({ db, config: webhookConfigOf(patient), log, concurrency: 4 });
    try {
      const sent = await Promise.all(Array.from({ length: 30 }, () => enrolled(providerId)));
      await deliveredTo(endpoint.id, 30);
      const received = new Map<string, number>();
      for (const request of partner.received) received.set(String(request.headers['webhook-id']), (received.get(String(request.headers['webhook-id'])) ?? 0) + 1);
      expect(new Set(received.keys())).toEqual(new Set(sent.map((e) => e.id)));
      // Every request the receiver got is an attempt one instance claimed and recorded: none was sent unrecorded beside another.
      // ... and no two attempts at one delivery overlapped in time: the next began only after the one before had ended.
      for (const delivery of await deliveriesOf(endpoint.id)) {
        expect(received.get(delivery.event_id), delivery.event_id).toBeLessThanOrEqual(delivery.attempts);
        const attempts = await attemptsOf(delivery.id);
        for (let k = 1; k < attempts.length; k++) {
          const before = attempts[k - 1]!;
          expect(new Date(attempts[k]!.at).getTime()).toBeGreaterThanOrEqual(new Date(before.at).getTime() + Number(before.latency_ms));
        }
      }
    } finally {
      await second.stop();
      await worker.stop();
      worker = startWebhookWorker({ db, events, log, config });
    }
  });

  it('loses nothing across a restart: what waited is delivered by the next worker', async () => {
    let healthy = false;
    const partner = await receiver((_, response) => (healthy ? response.writeHead(200).end() : response.writeHead(503, { 'retry-after': '1' }).end()));
    const providerId = randomUUID();
    const { endpoint } = await endpointFor('PROVIDER', providerId, partner);
    const retried = await enrolled(providerId);
    await eventually(async () => (await deliveriesOf(endpoint.id))[0]?.last_status_code === 503, 'an attempt failed');
    await worker.stop();
    // While no worker runs: one delivery waits for its retry in the table, one event waits on the broker.
    const waiting = await enrolled(providerId);
    healthy = true;
    worker = startWebhookWorker({ db, events, log, config });
    await deliveredTo(endpoint.id, 2);
    expect(partner.received.filter((r) => r.headers['webhook-id'] === retried.id)).toHaveLength(2);
    expect(partner.received.filter((r) => r.headers['webhook-id'] === waiting.id)).toHaveLength(1);
  });

  it("reports the queue's backlog in the process metrics", async () => {
    const providerId = randomUUID();
    const { endpoint } = await endpointFor('PROVIDER', providerId, `http://127.0.0.1:${await closedPort()}/hooks`);
    await enrolled(providerId);
    await eventually(async () => (await deliveriesOf(endpoint.id)).length === 1, 'the delivery was queued');
    expect(await metricsText()).toMatch(/tauliah_queue_backlog\{service="providers",queue="webhooks"\} [1-9]/);
    await connection.query('delete from providers.webhook_endpoint where id = $1', [endpoint.id]);
  });
});
