import { courseByCode, employers, funders, providers } from '@tauliah/demo-data';
import { codesOf, eventually, type Who } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import type { ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, startReceiver, type ReceivedRequest, type Receiver } from '../../packages/core/test/webhooks/receiver.ts';
import { ENROL, newStudent } from './enrolment.support.ts';

/**
 * Issue 12 end to end: partners register webhook endpoints through the
 * gateway and hear, signed as Standard Webhooks specifies, about what
 * concerns their organisation, from every service's outbox through the
 * broker to a real HTTP receiver on loopback. Receivers verify with the
 * published `standardwebhooks` package, as a partner would.
 */
let graph: TestGraph;
const receivers: Receiver[] = [];

beforeAll(async () => {
  // Short enough to watch a retry (the default waits 5 s, then 5 min).
  graph = await startTestGraph({ settings: { WEBHOOK_RETRY_SCHEDULE: '0,200ms,500ms,1s,2s,3s;jitter=0' } });
});
afterAll(async () => {
  await graph?.stop();
  await Promise.all(receivers.map((r) => r.close()));
});

const ODL = providers.odl.id;
const odlAdmin: Who = 'PROVIDER_STAFF';
const uasAdmin: Who = { role: 'PROVIDER_STAFF', sub: 'staff:uas:registrar', providerId: providers.publicUniversity.id };
const perisianAdmin: Who = 'EMPLOYER';
const perisianStaff: Who = { role: 'EMPLOYER', sub: 'staff:perisian:hr', employerId: employers.software.id };
const elektronikAdmin: Who = { role: 'EMPLOYER', sub: 'staff:elektronik:hr', employerId: employers.electronics.id };
const odlCourse = courseByCode.get('SE2402')!;

const CREATE = `mutation($input: WebhookEndpointInput!, $key: String) {
  createWebhookEndpoint(input: $input, idempotencyKey: $key) { secret endpoint { id url eventTypes enabled } }
}`;
const DELIVERIES = `query($id: ID!, $status: WebhookDeliveryStatus) {
  webhookEndpoint(id: $id) { id enabled disabledReason failingSince
    deliveries(first: 100, status: $status) { totalCount edges { node { id eventId eventType status attempts lastStatusCode lastErrorKind payload history { attempt statusCode errorKind } } } } }
}`;
const ROTATE = `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret previousSecretRetiresAt } }`;
const DISABLE = `mutation($id: ID!, $reason: String) { disableWebhookEndpoint(id: $id, reason: $reason) { enabled disabledReason } }`;
const ENABLE = `mutation($id: ID!) { enableWebhookEndpoint(id: $id) { enabled } }`;
const REDELIVER = `mutation($id: ID!) { redeliverWebhookEvent(deliveryId: $id) { id status } }`;
const REPLAY = `mutation($id: ID!, $since: DateTimeISO!) { replayWebhookEvents(endpointId: $id, since: $since) { requeued } }`;
const ISSUE = `mutation($input: IssueCredentialInput!) { issueCredential(input: $input) { id visibility } }`;
const REVOKE = `mutation($id: ID!, $reason: String!) { revokeCredential(id: $id, reason: $reason) { id status } }`;
const GRANT = `mutation($input: GrantConsentInput!) { grantConsent(input: $input) { id } }`;
const PREFER = `mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { credentialVisibility } }`;

type Answer = (request: ReceivedRequest, response: ServerResponse) => void;
const ok: Answer = (_, response) => response.writeHead(204).end();

async function receiver(answer: Answer = ok, port = 0): Promise<Receiver> {
  const started = await startReceiver(answer, '127.0.0.1', port);
  receivers.push(started);
  return started;
}

interface Registered {
  id: string;
  secret: string;
}

async function register(as: Who, at: Receiver | string, eventTypes: string[]): Promise<Registered> {
  const url = typeof at === 'string' ? at : `${at.origin}/tauliah`;
  const { createWebhookEndpoint } = await graph.gateway.ok(CREATE, { as, variables: { input: { url, eventTypes, description: 'e2e receiver' } } });
  return { id: createWebhookEndpoint.endpoint.id, secret: createWebhookEndpoint.secret };
}

/** What the receiver got, verified as a partner's code would: the standardwebhooks library with the endpoint's secret. */
function verified(request: ReceivedRequest, secret: string): { type: string; timestamp: string; data: Record<string, string> } {
  return new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as ReturnType<typeof verified>;
}

const about = (partner: Receiver, key: string, value: string) => partner.received.filter((r) => (JSON.parse(r.body) as { data: Record<string, string> }).data[key] === value);

async function enrol(as: Who = odlAdmin): Promise<string> {
  return (await graph.gateway.ok(ENROL, { as, variables: { input: newStudent() } })).enrolLearner.learner.id;
}

async function deliveries(as: Who, id: string, status?: string) {
  const { webhookEndpoint } = await graph.gateway.ok(DELIVERIES, { as, variables: { id, status } });
  return webhookEndpoint.deliveries.edges.map((e: { node: Record<string, unknown> }) => e.node) as Array<Record<string, unknown> & { id: string; eventId: string }>;
}

/** Lets the pipeline run (outbox relay, broker, consumer, delivery) before asserting that something did not arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

describe('a provider hears of its enrolments', () => {
  it('delivers learner.enrolled, signed, to the endpoint its admin registered through the gateway', async () => {
    const partner = await receiver();
    const endpoint = await register(odlAdmin, partner, ['LEARNER_ENROLLED']);
    expect(endpoint.secret).toMatch(/^whsec_/);
    const learnerId = await enrol();
    await eventually(() => about(partner, 'learnerId', learnerId).length === 1, 'the enrolment arrived');
    const [request] = about(partner, 'learnerId', learnerId);
    const payload = verified(request!, endpoint.secret);
    expect(payload).toEqual({ type: 'learner.enrolled', timestamp: expect.any(String), data: { learnerId, providerId: ODL } });
    // Thin: ids only, nothing of the student's name or e-mail.
    expect(request!.body).not.toMatch(/Pelajar|@student\.example\.my/);
    const [delivery] = (await deliveries(odlAdmin, endpoint.id)).filter((d) => d.eventId === request!.headers['webhook-id']);
    expect(delivery).toMatchObject({ eventType: 'LEARNER_ENROLLED', status: 'DELIVERED', attempts: 1, lastStatusCode: 204, payload: request!.body });
  });

  it('never tells one organisation of another organisation’s events', async () => {
    const odl = await receiver();
    const uas = await receiver();
    await register(odlAdmin, odl, ['LEARNER_ENROLLED']);
    await register(uasAdmin, uas, ['LEARNER_ENROLLED']);
    const atOdl = await enrol(odlAdmin);
    const atUas = await enrol(uasAdmin);
    await eventually(() => about(odl, 'learnerId', atOdl).length === 1 && about(uas, 'learnerId', atUas).length === 1, 'each heard of its own');
    await settle();
    expect(about(odl, 'learnerId', atUas)).toEqual([]);
    expect(about(uas, 'learnerId', atOdl)).toEqual([]);
    expect(uas.received.every((r) => (JSON.parse(r.body) as { data: { providerId: string } }).data.providerId === providers.publicUniversity.id)).toBe(true);
  });
});

describe('at-least-once delivery', () => {
  it('sends again after a 500, and a receiver deduping by webhook-id applies the event once', async () => {
    // The receiver a partner should write: it applies an event the first time its webhook-id comes, and only acknowledges it after.
    const seen = new Set<string>();
    let applied = 0;
    let calls = 0;
    const partner = await receiver((request, response) => {
      calls += 1;
      if (calls === 1) return void response.writeHead(500).end();
      const id = String(request.headers['webhook-id']);
      if (!seen.has(id)) {
        seen.add(id);
        applied += 1;
      }
      response.writeHead(200).end();
    });
    const endpoint = await register(odlAdmin, partner, ['LEARNER_ENROLLED']);
    const learnerId = await enrol();
    await eventually(() => about(partner, 'learnerId', learnerId).length === 2, 'the retry arrived');
    const [first, second] = about(partner, 'learnerId', learnerId);
    expect(first!.headers['webhook-id']).toBe(second!.headers['webhook-id']);
    verified(second!, endpoint.secret);
    const [delivery] = await deliveries(odlAdmin, endpoint.id);
    expect(delivery!.history).toEqual([
      { attempt: 1, statusCode: 500, errorKind: 'HTTP_STATUS' },
      { attempt: 2, statusCode: 200, errorKind: null },
    ]);
    // Sent once more on request, with the same webhook-id: the receiver has applied it already.
    await graph.gateway.ok(REDELIVER, { as: odlAdmin, variables: { id: delivery!.id } });
    await eventually(() => about(partner, 'learnerId', learnerId).length === 3, 'the redelivery arrived');
    expect(new Set(about(partner, 'learnerId', learnerId).map((r) => r.headers['webhook-id']))).toEqual(new Set([first!.headers['webhook-id']]));
    expect(applied).toBe(1);
  });

  it('reaches a receiver that was down once it is back', async () => {
    const port = await closedPort();
    const endpoint = await register(odlAdmin, `http://127.0.0.1:${port}/tauliah`, ['LEARNER_ENROLLED']);
    const learnerId = await enrol();
    await eventually(async () => (await deliveries(odlAdmin, endpoint.id))[0]?.lastErrorKind === 'CONNECTION', 'an attempt found the receiver down');
    const partner = await receiver(ok, port);
    await eventually(() => about(partner, 'learnerId', learnerId).length === 1, 'the event arrived once the receiver was back');
    verified(about(partner, 'learnerId', learnerId)[0]!, endpoint.secret);
    expect((await deliveries(odlAdmin, endpoint.id))[0]).toMatchObject({ status: 'DELIVERED', lastStatusCode: 204 });
  });

  it('replays what an endpoint was sent since a time', async () => {
    const partner = await receiver();
    const endpoint = await register(odlAdmin, partner, ['LEARNER_ENROLLED']);
    const since = new Date().toISOString();
    const learners = [await enrol(), await enrol()];
    await eventually(() => learners.every((id) => about(partner, 'learnerId', id).length === 1), 'both arrived');
    // A delivery the receiver has had but whose attempt is not yet recorded is under way, and a replay leaves it be.
    await eventually(async () => (await deliveries(odlAdmin, endpoint.id, 'DELIVERED')).length === 2, 'both recorded as delivered');
    const { replayWebhookEvents } = await graph.gateway.ok(REPLAY, { as: odlAdmin, variables: { id: endpoint.id, since } });
    expect(replayWebhookEvents.requeued).toBe(2);
    await eventually(() => learners.every((id) => about(partner, 'learnerId', id).length === 2), 'both arrived again');
  });
});

describe('managing endpoints through the gateway', () => {
  it('refuses URLs that reach private, link-local or cloud-metadata addresses, saying why', async () => {
    for (const [url, why] of [
      ['http://10.0.0.8/hooks', /private address/],
      ['http://169.254.169.254/latest/meta-data/', /link-local address/],
      ['http://[fe80::1]/hooks', /link-local address/],
      ['gopher://hooks.example.my/', /http or https/],
    ] as const) {
      const response = await graph.gateway.query(CREATE, { as: odlAdmin, variables: { input: { url, eventTypes: ['LEARNER_ENROLLED'] } } });
      expect(codesOf(response), url).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.message, url).toMatch(why);
    }
  });

  it('signs with both secrets while a rotation overlaps', async () => {
    const partner = await receiver();
    const endpoint = await register(odlAdmin, partner, ['LEARNER_ENROLLED']);
    const { rotateWebhookSecret } = await graph.gateway.ok(ROTATE, { as: odlAdmin, variables: { id: endpoint.id } });
    expect(rotateWebhookSecret.secret).not.toBe(endpoint.secret);
    const learnerId = await enrol();
    await eventually(() => about(partner, 'learnerId', learnerId).length === 1, 'the event arrived');
    const [request] = about(partner, 'learnerId', learnerId);
    expect(String(request!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verified(request!, endpoint.secret).data.learnerId).toBe(learnerId);
    expect(verified(request!, rotateWebhookSecret.secret).data.learnerId).toBe(learnerId);
  });

  it('sends nothing to a disabled endpoint, and resumes once it is enabled', async () => {
    const partner = await receiver();
    const endpoint = await register(odlAdmin, partner, ['LEARNER_ENROLLED']);
    const { disableWebhookEndpoint } = await graph.gateway.ok(DISABLE, { as: 'PARTNER', variables: { id: endpoint.id, reason: 'Maintenance window' } });
    expect(disableWebhookEndpoint).toEqual({ enabled: false, disabledReason: 'Disabled by system:utn-student-records: Maintenance window' });
    const whileDisabled = await enrol();
    await settle();
    expect(about(partner, 'learnerId', whileDisabled)).toEqual([]);
    expect(await deliveries(odlAdmin, endpoint.id)).toEqual([]);
    await graph.gateway.ok(ENABLE, { as: odlAdmin, variables: { id: endpoint.id } });
    const afterwards = await enrol();
    await eventually(() => about(partner, 'learnerId', afterwards).length === 1, 'the event after enabling arrived');
  });

  it('disables an endpoint failing for 5 days, and tells its organisation why through the graph', async () => {
    const partner = await receiver((_, response) => response.writeHead(503).end());
    const endpoint = await register(odlAdmin, partner, ['LEARNER_ENROLLED']);
    // Five days of failures, as the endpoint's record would have them.
    const since = new Date(Date.now() - 5 * 86_400_000 - 60_000);
    await graph.connection.query('update providers.webhook_endpoint set failing_since = $2 where id = $1', [endpoint.id, since.toISOString()]);
    await enrol();
    await eventually(async () => (await graph.gateway.ok(DELIVERIES, { as: odlAdmin, variables: { id: endpoint.id } })).webhookEndpoint.enabled === false, 'the endpoint was disabled');
    const { webhookEndpoint } = await graph.gateway.ok(DELIVERIES, { as: 'PARTNER', variables: { id: endpoint.id } });
    expect(webhookEndpoint.failingSince).toBe(since.toISOString());
    expect(webhookEndpoint.disabledReason).toMatch(new RegExp(`^Disabled automatically: every delivery since ${since.toISOString()} failed, for 5 days or more \\(the last: The receiver answered 503`));
  });

  it("lets an employer's and a funder's admins register, refuses their STAFF, and hides endpoints across organisations", async () => {
    const employer = await register(perisianAdmin, 'http://127.0.0.1:9/perisian', ['CONSENT_GRANTED', 'CLAIM_DECIDED']);
    const funder = await register('FUNDER', 'http://127.0.0.1:9/hrdcorp', ['APPLICATION_DECIDED', 'CLAIM_DECIDED']);
    const staff = await graph.gateway.query(CREATE, { as: perisianStaff, variables: { input: { url: 'http://127.0.0.1:9/x', eventTypes: ['CONSENT_GRANTED'] } } });
    expect(codesOf(staff)).toEqual(['FORBIDDEN']);
    expect(staff.errors![0]!.message).toMatch(/has role STAFF/);
    const wrongKind = await graph.gateway.query(CREATE, { as: perisianAdmin, variables: { input: { url: 'http://127.0.0.1:9/x', eventTypes: ['LEARNER_ENROLLED'] } } });
    expect(codesOf(wrongKind)).toEqual(['BAD_USER_INPUT']);
    for (const [as, id] of [
      [elektronikAdmin, employer.id],
      [odlAdmin, funder.id],
      [perisianAdmin, funder.id],
    ] as const) {
      expect(codesOf(await graph.gateway.query(DELIVERIES, { as, variables: { id } }))).toEqual(['NOT_FOUND']);
    }
    const admin = await graph.gateway.ok(`query($id: ID!) { webhookEndpoint(id: $id) { organisationKind organisationId } }`, { as: 'ADMIN', variables: { id: funder.id } });
    expect(admin.webhookEndpoint).toEqual({ organisationKind: 'FUNDER', organisationId: funders.hrdCorp.id });
  });
});

/*
 * The credential and consent events: recorded by the credentials and learners
 * services in their outboxes, consumed here like learner.enrolled.
 */
describe('credentials and consents', () => {
  it('tells the issuer of a credential issued and revoked through the gateway, both signed', async () => {
    const partner = await receiver();
    const endpoint = await register(odlAdmin, partner, ['CREDENTIAL_ISSUED', 'CREDENTIAL_REVOKED']);
    const learnerId = await enrol();
    const { issueCredential } = await graph.gateway.ok(ISSUE, { as: odlAdmin, variables: { input: { learnerId, courseId: odlCourse.id } } });
    await graph.gateway.ok(REVOKE, { as: odlAdmin, variables: { id: issueCredential.id, reason: 'Assessment records withdrawn.' } });
    await eventually(() => about(partner, 'credentialId', issueCredential.id).length === 2, 'both events arrived');
    // Webhooks promise no order (Standard Webhooks): each event stands alone.
    const received = about(partner, 'credentialId', issueCredential.id).map((request) => verified(request, endpoint.secret));
    const issued = received.find((payload) => payload.type === 'credential.issued');
    const revoked = received.find((payload) => payload.type === 'credential.revoked');
    const facts = { credentialId: issueCredential.id, issuerId: ODL, learnerId, courseId: odlCourse.id, visibility: issueCredential.visibility };
    expect(issued).toEqual({ type: 'credential.issued', timestamp: expect.any(String), data: facts });
    expect(revoked).toEqual({ type: 'credential.revoked', timestamp: expect.any(String), data: facts });
    const [issuedId, revokedId] = about(partner, 'credentialId', issueCredential.id).map((r) => r.headers['webhook-id']);
    expect(issuedId).not.toBe(revokedId);
  });

  it('tells an employer of the consent a learner granted it, and of credentials it may see, and no other employer', async () => {
    const perisian = await receiver();
    const elektronik = await receiver();
    const perisianEndpoint = await register(perisianAdmin, perisian, ['CONSENT_GRANTED', 'CREDENTIAL_ISSUED']);
    await register(elektronikAdmin, elektronik, ['CONSENT_GRANTED', 'CREDENTIAL_ISSUED']);
    const learnerId = await enrol();
    const learner: Who = { role: 'LEARNER', sub: learnerId };
    await graph.gateway.ok(PREFER, { as: learner, variables: { input: { credentialVisibility: 'EMPLOYERS' } } });
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const { grantConsent } = await graph.gateway.ok(GRANT, { as: learner, variables: { input: { granteeKind: 'EMPLOYER', granteeId: employers.software.id, scopes: ['PROFILE'], expiresAt } } });
    await eventually(() => about(perisian, 'consentId', grantConsent.id).length === 1, 'the consent arrived');
    expect(verified(about(perisian, 'consentId', grantConsent.id)[0]!, perisianEndpoint.secret)).toMatchObject({
      type: 'consent.granted',
      data: { consentId: grantConsent.id, learnerId, granteeKind: 'EMPLOYER', granteeId: employers.software.id },
    });
    // Issued once credentials knows the learner's choice, so it is issued visible to employers.
    await eventually(
      async () => (await graph.connection.query(`select 1 from credentials.learner_preference where learner_id = $1 and credential_visibility = 'EMPLOYERS'`, [learnerId])).length === 1,
      "credentials learned the learner's choice",
    );
    const { issueCredential } = await graph.gateway.ok(ISSUE, { as: odlAdmin, variables: { input: { learnerId, courseId: odlCourse.id } } });
    expect(issueCredential.visibility).toBe('EMPLOYERS');
    await eventually(() => about(perisian, 'credentialId', issueCredential.id).length === 1, 'the credential reached the consenting employer');
    await settle();
    expect(about(elektronik, 'learnerId', learnerId)).toEqual([]);
  });
});
