import { providers } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph, type Who } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookEventType } from '../src/graph/webhook.ts';
import { validEndpoint } from '../src/graph/webhook.inputs.ts';
import { openWebhookSecret } from '../src/webhooks/sealing.ts';
import { providersService } from '../src/index.ts';
import { CREATE, DELETE, DISABLE, ENABLE, LIST, READ, REDELIVER, REPLAY, ROTATE, UPDATE, odlAdmin, odlStaff, odlSystem, uasAdmin } from './webhook.support.ts';

let graph: TestSubgraph<typeof providersService.tables>;

beforeAll(async () => {
  graph = await startTestSubgraph(providersService);
});
afterAll(() => graph?.stop());

const ODL = providers.odl.id;
const receiver = (path = 'hooks') => `http://127.0.0.1:9/${path}/${randomUUID()}`;
const anEndpoint = (overrides: Record<string, unknown> = {}) => ({ url: receiver(), eventTypes: ['LEARNER_ENROLLED', 'CREDENTIAL_ISSUED'], description: 'Student records system', ...overrides });
const create = (as: Who, input: Record<string, unknown>, key?: string) => graph.client.query(CREATE, { as, variables: { input, key } });
const createOk = async (input = anEndpoint(), as = odlAdmin, key?: string) => (await graph.client.ok(CREATE, { as, variables: { input, key } })).createWebhookEndpoint;
const problemsOf = (response: Awaited<ReturnType<typeof create>>) => (response.errors?.[0]?.extensions?.problems ?? []) as Array<{ field: string; message: string }>;

describe('registering a webhook endpoint', () => {
  it("answers the endpoint with its whsec_ secret once, and keeps the secret only sealed", async () => {
    const input = anEndpoint();
    const created = await createOk(input);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.replayed).toBe(false);
    expect(created.endpoint).toMatchObject({
      organisationKind: 'PROVIDER',
      organisationId: ODL,
      url: input.url,
      description: 'Student records system',
      eventTypes: ['LEARNER_ENROLLED', 'CREDENTIAL_ISSUED'],
      createdBy: 'staff:utn:registrar',
      enabled: true,
      disabledAt: null,
      failingSince: null,
    });
    expect(created.endpoint.signingSecrets).toEqual([{ createdAt: expect.any(String), retiresAt: null }]);
    const stored = JSON.stringify(await graph.connection.query('select * from providers.webhook_secret where endpoint_id = $1', [created.endpoint.id]));
    expect(stored).not.toContain(created.secret.slice('whsec_'.length));
    // Read back, it has no secret to show.
    const read = (await graph.client.ok(READ, { as: odlAdmin, variables: { id: created.endpoint.id } })).webhookEndpoint;
    expect(read).toEqual({ ...created.endpoint, deliveries: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] } });
    const listed = (await graph.client.ok(LIST, { as: odlSystem })).webhookEndpoints;
    expect(listed.map((e: { id: string }) => e.id)).toContain(created.endpoint.id);
  });

  it('opens signing secrets sealed before sealing was shared across services, as stored rows hold them', () => {
    // Sealed by that release under the embedded default WEBHOOK_SECRET_ENCRYPTION_KEY.
    const setting = 'embedded-development-webhook-secret-encryption-key-not-for-production';
    const sealed = 'v1.M0LSFVwTOjwYli4L.OcnBGTBrGWahP-Zzmy0NDQ.X8oHCYrjFtiitwFTygrg0gO-wFOQ2fMvCkRBQLD4GqqI7Sy3R56lpql8dU_kdWHaqEo';
    expect(openWebhookSecret(sealed, '0b7e4c1a-5d2f-4e8b-9a61-3c0d7f2e9b14', setting)).toBe('whsec_K3J8dVd2xQm0aZrB7yPq1sT4uW6nE9cF5gH0jL2kM8o=');
    expect(() => openWebhookSecret(sealed, randomUUID(), setting)).toThrow(/^Cannot open sealed webhook signing secret: /);
  });

  it('registers once per idempotency key, answering the same secret, and refuses the key for another endpoint', async () => {
    const input = anEndpoint();
    const first = await createOk(input, odlAdmin, 'sis-webhook-1');
    const retry = await createOk(input, odlAdmin, 'sis-webhook-1');
    expect(retry).toEqual({ ...first, replayed: true });
    const other = await create(odlAdmin, anEndpoint(), 'sis-webhook-1');
    expect(codesOf(other)).toEqual(['CONFLICT']);
    expect(other.errors![0]!.message).toMatch(/idempotency key sis-webhook-1 was already used for another webhook endpoint/);
    const rows = await graph.connection.query<{ n: number }>(`select count(*)::int as n from providers.webhook_endpoint where idempotency_key = 'sis-webhook-1'`);
    expect(rows[0]!.n).toBe(1);
    // The same key is the partner system's own to use: keys are per organisation, and it acts for the same one.
    expect(codesOf(await create(odlSystem, anEndpoint(), 'sis-webhook-1'))).toEqual(['CONFLICT']);
  });

  it("is for the organisation's ADMIN staff and its partner system only", async () => {
    expect((await createOk(anEndpoint(), odlSystem)).endpoint.createdBy).toBe('system:utn-student-records');
    const staff = await create(odlStaff, anEndpoint());
    expect(codesOf(staff)).toEqual(['FORBIDDEN']);
    expect(staff.errors![0]!.message).toMatch(/has role STAFF: only its ADMIN staff accounts and partner systems manage its webhook endpoints/);
    for (const who of ['LEARNER', 'ADMIN'] as const) expect(codesOf(await create(who, anEndpoint())), who).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(CREATE, { variables: { input: anEndpoint() } }))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await graph.client.query(LIST, { as: odlStaff }))).toEqual(['FORBIDDEN']);
    // Platform administrators read any organisation's, naming it.
    const read = await graph.client.ok(LIST, { as: 'ADMIN', variables: { kind: 'PROVIDER', organisationId: ODL } });
    expect(read.webhookEndpoints.length).toBeGreaterThan(0);
    expect(codesOf(await graph.client.query(LIST, { as: 'ADMIN' }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await graph.client.query(LIST, { as: odlAdmin, variables: { kind: 'PROVIDER', organisationId: providers.publicUniversity.id } }))).toEqual(['FORBIDDEN']);
  });

  it("tells another organisation nothing of an endpoint, not even that it exists", async () => {
    const { endpoint } = await createOk();
    const unknown = randomUUID();
    for (const id of [endpoint.id, unknown]) {
      const answers = await Promise.all([
        graph.client.query(READ, { as: uasAdmin, variables: { id } }),
        graph.client.query(UPDATE, { as: uasAdmin, variables: { id, input: { description: 'mine now' } } }),
        graph.client.query(DISABLE, { as: uasAdmin, variables: { id } }),
        graph.client.query(ENABLE, { as: uasAdmin, variables: { id } }),
        graph.client.query(ROTATE, { as: uasAdmin, variables: { id } }),
        graph.client.query(DELETE, { as: uasAdmin, variables: { id } }),
      ]);
      for (const answer of answers) {
        expect(codesOf(answer)).toEqual(['NOT_FOUND']);
        expect(answer.errors![0]!.message).toBe(`WebhookEndpoint ${id} does not exist.`);
      }
    }
    const theirs = (await graph.client.ok(LIST, { as: uasAdmin })).webhookEndpoints;
    expect(theirs.map((e: { id: string }) => e.id)).not.toContain(endpoint.id);
    expect((await graph.client.ok(READ, { as: odlAdmin, variables: { id: endpoint.id } })).webhookEndpoint.description).toBe('Student records system');
  });
});

describe('what a webhook URL and its events may be', () => {
  it('refuses private, link-local and unspecified addresses, other schemes and credentials, saying why', async () => {
    const refusals: Array<[string, RegExp]> = [
      ['http://10.0.0.5/hooks', /10\.0\.0\.5 is a private address \(10\.0\.0\.0\/8\); webhooks go only to public addresses/],
      ['http://169.254.169.254/latest/meta-data', /link-local address \(169\.254\.0\.0\/16\)/],
      ['http://[fd00::1]/hooks', /unique-local address/],
      ['http://[::ffff:192.168.1.1]/hooks', /private address/],
      ['http://0.0.0.0:8080/', /unspecified address/],
      ['ftp://hooks.example.my/tauliah', /A webhook URL is http or https, not ftp/],
      ['https://partner:s3cret@hooks.example.my/tauliah', /may not carry a user name or password/],
      ['hooks.example.my/tauliah', /not a valid absolute URL/],
    ];
    for (const [url, why] of refusals) {
      const response = await create(odlAdmin, anEndpoint({ url }));
      expect(codesOf(response), url).toEqual(['BAD_USER_INPUT']);
      expect(problemsOf(response), url).toEqual([{ field: 'input.url', message: expect.stringMatching(why) }]);
    }
    const stored = await graph.connection.query<{ n: number }>(`select count(*)::int as n from providers.webhook_endpoint where url like '%10.0.0.5%' or url like '%169.254%'`);
    expect(stored[0]!.n).toBe(0);
    // Outside production a developer's receiver on this machine is allowed.
    expect((await createOk(anEndpoint({ url: 'http://localhost:8080/hooks' }))).endpoint.url).toBe('http://localhost:8080/hooks');
  });

  it('in production takes only https to public names', () => {
    const production = { requireHttps: true, allowLoopback: false };
    const input = (url: string) => ({ url, eventTypes: [WebhookEventType.LEARNER_ENROLLED] });
    expect(validEndpoint(input('https://hooks.example.my/tauliah'), production, 'PROVIDER').url).toBe('https://hooks.example.my/tauliah');
    expect(() => validEndpoint(input('http://hooks.example.my/tauliah'), production, 'PROVIDER')).toThrow(/must use https here/);
    expect(() => validEndpoint(input('https://localhost/hooks'), production, 'PROVIDER')).toThrow(/localhost is this machine \(loopback\)/);
    expect(() => validEndpoint(input('https://127.0.0.1/hooks'), production, 'PROVIDER')).toThrow(/loopback address/);
  });

  it('refuses no events, unknown ones, ones the organisation is never sent and a long description, all at once', async () => {
    const none = await create(odlAdmin, anEndpoint({ eventTypes: [] }));
    expect(problemsOf(none)).toEqual([{ field: 'input.eventTypes', message: 'must name at least one event type' }]);
    const never = await create(odlAdmin, anEndpoint({ url: 'http://10.1.2.3/', eventTypes: ['CLAIM_DECIDED', 'APPLICATION_DECIDED', 'LEARNER_ENROLLED'] }));
    expect(problemsOf(never).map((p) => p.field)).toEqual(['input.url', 'input.eventTypes']);
    expect(problemsOf(never)[1]!.message).toMatch(/names events providers are never sent \(claim\.decided, application\.decided\)/);
    expect(codesOf(await create(odlAdmin, anEndpoint({ eventTypes: ['credential.issued'] })))).toEqual(['BAD_USER_INPUT']);
    expect(problemsOf(await create(odlAdmin, anEndpoint({ description: 'x'.repeat(501) })))).toEqual([{ field: 'input.description', message: 'must be at most 500 characters' }]);
    // Named twice, kept once.
    expect((await createOk(anEndpoint({ eventTypes: ['LEARNER_ENROLLED', 'LEARNER_ENROLLED'] }))).endpoint.eventTypes).toEqual(['LEARNER_ENROLLED']);
  });
});

describe('managing an endpoint', () => {
  it('changes what is given, checking the URL again', async () => {
    const { endpoint } = await createOk();
    const url = receiver('moved');
    const changed = (await graph.client.ok(UPDATE, { as: odlSystem, variables: { id: endpoint.id, input: { url, eventTypes: ['CONSENT_GRANTED'] } } })).updateWebhookEndpoint;
    expect(changed).toMatchObject({ url, eventTypes: ['CONSENT_GRANTED'], description: 'Student records system' });
    const cleared = (await graph.client.ok(UPDATE, { as: odlAdmin, variables: { id: endpoint.id, input: { description: '' } } })).updateWebhookEndpoint;
    expect(cleared).toMatchObject({ url, description: null });
    const refused = await graph.client.query(UPDATE, { as: odlAdmin, variables: { id: endpoint.id, input: { url: 'http://192.168.0.10/hooks' } } });
    expect(problemsOf(refused)).toEqual([{ field: 'input.url', message: expect.stringMatching(/private address/) }]);
    expect(codesOf(await graph.client.query(UPDATE, { as: odlStaff, variables: { id: endpoint.id, input: { description: 'x' } } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(UPDATE, { as: odlAdmin, variables: { id: 'nope', input: {} } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('disables with a reason that stands until enabled, and enables', async () => {
    const { endpoint } = await createOk();
    const disabled = (await graph.client.ok(DISABLE, { as: odlAdmin, variables: { id: endpoint.id, reason: 'Moving data centres' } })).disableWebhookEndpoint;
    expect(disabled).toMatchObject({ enabled: false, disabledAt: expect.any(String), disabledReason: 'Disabled by staff:utn:registrar: Moving data centres' });
    const again = (await graph.client.ok(DISABLE, { as: odlSystem, variables: { id: endpoint.id } })).disableWebhookEndpoint;
    expect(again).toEqual(disabled);
    const enabled = (await graph.client.ok(ENABLE, { as: odlSystem, variables: { id: endpoint.id } })).enableWebhookEndpoint;
    expect(enabled).toMatchObject({ enabled: true, disabledAt: null, disabledReason: null, failingSince: null });
    expect((await graph.client.ok(ENABLE, { as: odlAdmin, variables: { id: endpoint.id } })).enableWebhookEndpoint).toEqual(enabled);
    expect(codesOf(await graph.client.query(DISABLE, { as: odlAdmin, variables: { id: endpoint.id, reason: ' ' } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('rotates the secret: the old one signs for 24 hours beside the new, a second rotation ends the older overlap, a retry rotates nothing', async () => {
    const { endpoint } = await createOk();
    const before = Date.now();
    const rotated = (await graph.client.ok(ROTATE, { as: odlAdmin, variables: { id: endpoint.id, key: 'rotate-1' } })).rotateWebhookSecret;
    expect(rotated.secret).toMatch(/^whsec_/);
    const retires = Date.parse(rotated.previousSecretRetiresAt);
    expect(retires).toBeGreaterThanOrEqual(before + 24 * 3_600_000 - 60_000);
    expect(retires).toBeLessThanOrEqual(Date.now() + 24 * 3_600_000 + 60_000);
    expect(rotated.endpoint.signingSecrets).toEqual([
      { createdAt: expect.any(String), retiresAt: null },
      { createdAt: expect.any(String), retiresAt: rotated.previousSecretRetiresAt },
    ]);
    const retry = (await graph.client.ok(ROTATE, { as: odlAdmin, variables: { id: endpoint.id, key: 'rotate-1' } })).rotateWebhookSecret;
    expect(retry).toEqual({ ...rotated, replayed: true });
    const second = (await graph.client.ok(ROTATE, { as: odlSystem, variables: { id: endpoint.id } })).rotateWebhookSecret;
    expect(second.secret).not.toBe(rotated.secret);
    expect(second.endpoint.signingSecrets).toHaveLength(2);
    const rows = await graph.connection.query<{ n: number }>('select count(*)::int as n from providers.webhook_secret where endpoint_id = $1', [endpoint.id]);
    expect(rows[0]!.n).toBe(2);
    expect(codesOf(await graph.client.query(ROTATE, { as: odlStaff, variables: { id: endpoint.id } }))).toEqual(['FORBIDDEN']);
  });

  it('deletes it with its secrets; a second delete is NOT_FOUND', async () => {
    const { endpoint } = await createOk();
    expect((await graph.client.ok(DELETE, { as: odlAdmin, variables: { id: endpoint.id } })).deleteWebhookEndpoint).toBe(endpoint.id);
    expect(codesOf(await graph.client.query(DELETE, { as: odlAdmin, variables: { id: endpoint.id } }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await graph.client.query(READ, { as: odlAdmin, variables: { id: endpoint.id } }))).toEqual(['NOT_FOUND']);
    const left = await graph.connection.query<{ n: number }>('select count(*)::int as n from providers.webhook_secret where endpoint_id = $1', [endpoint.id]);
    expect(left[0]!.n).toBe(0);
  });
});

describe('reading deliveries', () => {
  /** Deliveries as the worker leaves them, written directly: `count` per endpoint, every third FAILED, each with its attempts. */
  async function withDeliveries(endpointId: string, count: number): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      const failed = i % 3 === 2;
      const [row] = await graph.connection.query<{ id: string }>(
        `insert into providers.webhook_delivery (endpoint_id, event_id, event_type, body, status, attempts, delivered_at, last_status_code, created_at)
         values ($1, $2, 'learner.enrolled', '{}', $3, $4, $5, $6, now() - make_interval(mins => $7)) returning id`,
        [endpointId, randomUUID(), failed ? 'FAILED' : 'DELIVERED', failed ? 2 : 1, failed ? null : new Date().toISOString(), failed ? 500 : 200, count - i],
      );
      await graph.connection.query(`insert into providers.webhook_attempt (delivery_id, attempt, at, status_code, latency_ms, error_kind) values ($1, 1, now(), 500, 12, 'HTTP_STATUS')`, [row!.id]);
    }
  }

  it('pages them newest first, by status, with cursors from the list', async () => {
    const { endpoint } = await createOk();
    await withDeliveries(endpoint.id, 6);
    const page = async (variables: Record<string, unknown>) => (await graph.client.ok(READ, { as: odlAdmin, variables: { id: endpoint.id, ...variables } })).webhookEndpoint.deliveries;
    const first = await page({ first: 4 });
    expect(first.totalCount).toBe(6);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await page({ first: 4, after: first.pageInfo.endCursor });
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const times = [...first.edges, ...rest.edges].map((e: { node: { createdAt: string } }) => Date.parse(e.node.createdAt));
    expect(times).toHaveLength(6);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const failed = await page({ status: 'FAILED' });
    expect(failed.totalCount).toBe(2);
    expect(failed.edges.map((e: { node: { status: string; history: unknown[] } }) => [e.node.status, e.node.history.length])).toEqual([
      ['FAILED', 1],
      ['FAILED', 1],
    ]);
    expect(codesOf(await graph.client.query(READ, { as: odlAdmin, variables: { id: endpoint.id, after: 'not-a-cursor' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await graph.client.query(READ, { as: odlAdmin, variables: { id: endpoint.id, first: 101 } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('queues a delivery again, or everything since a time, for its own organisation only', async () => {
    const { endpoint } = await createOk(anEndpoint({ url: receiver('never-listening') }));
    await withDeliveries(endpoint.id, 3);
    await graph.client.ok(DISABLE, { as: odlAdmin, variables: { id: endpoint.id } });
    const [delivery] = (await graph.client.ok(READ, { as: odlAdmin, variables: { id: endpoint.id, status: 'FAILED' } })).webhookEndpoint.deliveries.edges;
    const id = delivery.node.id as string;
    expect(codesOf(await graph.client.query(REDELIVER, { as: uasAdmin, variables: { id } }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await graph.client.query(REDELIVER, { as: odlStaff, variables: { id } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(REDELIVER, { as: odlAdmin, variables: { id: 'x' } }))).toEqual(['BAD_USER_INPUT']);
    const requeued = (await graph.client.ok(REDELIVER, { as: odlSystem, variables: { id } })).redeliverWebhookEvent;
    expect(requeued).toMatchObject({ id, status: 'PENDING', nextAttemptAt: expect.any(String), attempts: 2 });
    const since = new Date(Date.now() - 3_600_000).toISOString();
    expect(codesOf(await graph.client.query(REPLAY, { as: uasAdmin, variables: { id: endpoint.id, since } }))).toEqual(['NOT_FOUND']);
    const replay = (await graph.client.ok(REPLAY, { as: odlAdmin, variables: { id: endpoint.id, since } })).replayWebhookEvents;
    expect(replay).toEqual({ requeued: 3, endpoint: { id: endpoint.id } });
    const pending = (await graph.client.ok(READ, { as: odlAdmin, variables: { id: endpoint.id, status: 'PENDING' } })).webhookEndpoint.deliveries;
    expect(pending.totalCount).toBe(3);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await graph.client.ok(REPLAY, { as: odlAdmin, variables: { id: endpoint.id, since: future } })).replayWebhookEvents.requeued).toBe(0);
  });

  it('costs the same statements for one endpoint as for many, deliveries, attempts and secrets included', async () => {
    const provider = { role: 'PROVIDER_STAFF', sub: 'staff:akt:trainer', providerId: providers.trainingProvider.id } as const;
    const LIST_ALL = `{ webhookEndpoints { id signingSecrets { createdAt } deliveries(first: 5) { totalCount edges { node { id history { attempt } } } } } }`;
    const register = async () => (await graph.client.ok(CREATE, { as: provider, variables: { input: anEndpoint() } })).createWebhookEndpoint.endpoint.id as string;
    await withDeliveries(await register(), 3);
    const one = await graph.statementsDuring(() => graph.client.ok(LIST_ALL, { as: provider }));
    for (let i = 0; i < 3; i += 1) await withDeliveries(await register(), 4);
    const many = await graph.statementsDuring(() => graph.client.ok(LIST_ALL, { as: provider }));
    expect(many.result.webhookEndpoints).toHaveLength(4);
    expect(many.statements).toBe(one.statements);
  });
});
