import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { attemptWebhookDelivery, generateWebhookSecret, WEBHOOK_USER_AGENT, type DestinationPolicy, type Resolver, type WebhookAttemptOptions } from '../../src/webhooks/index.ts';
import { closedPort, startReceiver, type Receiver } from './receiver.ts';

const embedded: DestinationPolicy = { allowLoopback: true, requireHttps: false };
const secret = generateWebhookSecret();
const event = { id: '5d0c7a1e-3b9f-4c2d-8e6a-1f4b2c3d4e5f', body: JSON.stringify({ type: 'credential.issued', timestamp: '2025-03-01T08:00:00.000Z', data: { credentialId: 'c-1' } }) };

const receivers: Receiver[] = [];
async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const deliver = (url: string, options: Partial<WebhookAttemptOptions> = {}) =>
  attemptWebhookDelivery({ url, ...event, secrets: [secret], policy: embedded, timeoutMs: 2_000, maxResponseBytes: 65_536, ...options });

/** A resolver that answers `addresses` in turn, one per question, and counts the questions. */
function dnsAnsweringInTurn(...addresses: string[]) {
  const state = { asked: 0 };
  const resolve: Resolver = async () => {
    const address = addresses[Math.min(state.asked, addresses.length - 1)]!;
    state.asked += 1;
    return [{ address, family: 4 }];
  };
  return { resolve, state };
}

describe('one delivery attempt', () => {
  it('POSTs the event signed as Standard Webhooks says, and a 2xx is delivered', async () => {
    const partner = await receiver((_, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('thanks'));
    const attempt = await deliver(`${partner.origin}/hooks/tauliah`);
    expect(attempt).toMatchObject({ ok: true, status: 200, responseBytes: 6, responseTruncated: false });
    expect(attempt.error).toBeUndefined();
    expect(attempt.latencyMs).toBeGreaterThanOrEqual(0);
    const [request] = partner.received;
    expect(request).toMatchObject({ method: 'POST', body: event.body });
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': WEBHOOK_USER_AGENT,
      'webhook-id': event.id,
      'webhook-timestamp': String(attempt.timestamp),
    });
    // What a partner's receiver does with the published library, and its answer.
    expect(new Webhook(secret).verify(request!.body, request!.headers as Record<string, string>)).toEqual(JSON.parse(event.body));
  });

  it('signs with every active secret during a rotation', async () => {
    const partner = await receiver();
    const successor = generateWebhookSecret();
    expect(await deliver(partner.origin, { secrets: [successor, secret] })).toMatchObject({ ok: true, status: 204 });
    const { body, headers } = partner.received[0]!;
    expect(new Webhook(secret).verify(body, headers as Record<string, string>)).toBeTruthy();
    expect(new Webhook(successor).verify(body, headers as Record<string, string>)).toBeTruthy();
  });

  it('fails on a 500, keeping the status for the deliveries record', async () => {
    const partner = await receiver((_, response) => response.writeHead(500).end('database down'));
    const attempt = await deliver(partner.origin);
    expect(attempt).toMatchObject({ ok: false, status: 500, error: { kind: 'HTTP_STATUS' } });
    expect(attempt.retryAfterMs).toBeUndefined();
  });

  it('hands on a Retry-After the receiver sends with a failure', async () => {
    const partner = await receiver((_, response) => response.writeHead(503, { 'retry-after': '120' }).end());
    expect(await deliver(partner.origin)).toMatchObject({ ok: false, status: 503, retryAfterMs: 120_000 });
  });

  it('does not follow a redirect: a 3xx is a failure and the target never hears of the event', async () => {
    const target = await receiver();
    const partner = await receiver((_, response) => response.writeHead(302, { location: `${target.origin}/elsewhere` }).end());
    const attempt = await deliver(partner.origin);
    expect(attempt).toMatchObject({ ok: false, status: 302, error: { kind: 'HTTP_STATUS', message: expect.stringMatching(/redirects are not followed/) } });
    expect(target.received).toHaveLength(0);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const partner = await receiver(() => {});
    const attempt = await deliver(partner.origin, { timeoutMs: 300 });
    expect(attempt).toMatchObject({ ok: false, error: { kind: 'TIMEOUT' } });
    expect(attempt.status).toBeUndefined();
    expect(attempt.latencyMs).toBeGreaterThanOrEqual(290);
    expect(attempt.latencyMs).toBeLessThan(1_500);
  });

  it('counts the time a name takes to resolve in the timeout', async () => {
    const stalling: Resolver = () => new Promise(() => {});
    const attempt = await deliver('http://slow-dns.partner.example/', { timeoutMs: 200, resolve: stalling });
    expect(attempt).toMatchObject({ ok: false, error: { kind: 'TIMEOUT' } });
  });

  it('stops reading an answer still coming at the deadline, its 2xx status standing', async () => {
    const partner = await receiver((_, response) => response.writeHead(202).write('accepted, and then some'));
    const attempt = await deliver(partner.origin, { timeoutMs: 300 });
    expect(attempt).toMatchObject({ ok: true, status: 202, responseTruncated: true });
    expect(attempt.latencyMs).toBeLessThan(300);
  });

  it('reports a refused connection', async () => {
    const attempt = await deliver(`http://127.0.0.1:${await closedPort()}/`);
    expect(attempt).toMatchObject({ ok: false, error: { kind: 'CONNECTION', message: expect.stringMatching(/ECONNREFUSED/) } });
  });

  it('reads at most the size cap of an answer, and a 2xx with a huge body still counts as delivered', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const streaming = await receiver((_, response, raw) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      let sent = 0;
      const more = () => {
        while (sent < 64 && !raw.socket.destroyed) {
          sent += 1;
          if (!response.write(chunk)) return void response.once('drain', more);
        }
        response.end();
      };
      more();
    });
    const attempt = await deliver(streaming.origin, { maxResponseBytes: 1_024 });
    expect(attempt).toMatchObject({ ok: true, status: 200, responseBytes: 1_024, responseTruncated: true });

    const declared = await receiver((_, response) => response.writeHead(500, { 'content-length': String(10 * 1_048_576) }).write('x'));
    expect(await deliver(declared.origin, { maxResponseBytes: 1_024 })).toMatchObject({ ok: false, status: 500, responseBytes: 0, responseTruncated: true, error: { kind: 'HTTP_STATUS' } });
  });
});

describe('the SSRF guard at delivery', () => {
  it('refuses loopback where it is not allowed, without connecting', async () => {
    const partner = await receiver();
    const attempt = await deliver(partner.origin, { policy: { allowLoopback: false, requireHttps: false } });
    expect(attempt).toMatchObject({ ok: false, error: { kind: 'FORBIDDEN_DESTINATION', message: expect.stringMatching(/loopback/) } });
    expect(partner.received).toHaveLength(0);
  });

  it('reaches localhost through the real resolver where loopback is allowed, and not otherwise', async () => {
    const partner = await receiver();
    expect(await deliver(`http://localhost:${partner.port}/hook`)).toMatchObject({ ok: true });
    expect(await deliver(`http://localhost:${partner.port}/hook`, { policy: { allowLoopback: false, requireHttps: false } })).toMatchObject({ error: { kind: 'FORBIDDEN_DESTINATION' } });
    expect(partner.received).toHaveLength(1);
  });

  it('refuses http where https is required', async () => {
    const partner = await receiver();
    expect(await deliver(partner.origin, { policy: { allowLoopback: true, requireHttps: true } })).toMatchObject({ error: { kind: 'FORBIDDEN_DESTINATION', message: expect.stringMatching(/https/) } });
    expect(partner.received).toHaveLength(0);
  });

  it('refuses a name resolving to a private address at delivery time', async () => {
    const dns = dnsAnsweringInTurn('10.20.30.40');
    const attempt = await deliver('http://hooks.partner.example/', { resolve: dns.resolve });
    expect(attempt).toMatchObject({ ok: false, error: { kind: 'FORBIDDEN_DESTINATION', message: expect.stringMatching(/private address/) } });
    expect(attempt.error!.message).not.toContain('10.20.30.40');
  });

  it('reports a name that does not resolve as DNS', async () => {
    const attempt = await deliver('http://hooks.tauliah.invalid/');
    expect(attempt).toMatchObject({ ok: false, error: { kind: 'DNS' } });
  });

  it('connects to the vetted address, not to what a second DNS answer says', async () => {
    // Two receivers on one port, told apart only by their address: the URL cannot steer between them, DNS alone could.
    const vetted = await receiver(undefined, '127.0.0.2');
    const swapped = await receiver(undefined, '127.0.0.1', vetted.port);
    const dns = dnsAnsweringInTurn('127.0.0.2', '127.0.0.1');
    const attempt = await deliver(`http://partner.tauliah.invalid:${vetted.port}/hook`, { resolve: dns.resolve });
    expect(attempt).toMatchObject({ ok: true, status: 204 });
    expect(dns.state.asked).toBe(1);
    expect(vetted.received).toHaveLength(1);
    expect(swapped.received).toHaveLength(0);
    // The name stays the URL's, for the Host header (and TLS's server name): only the address is pinned.
    expect(vetted.received[0]).toMatchObject({ localAddress: '127.0.0.2', headers: { host: `partner.tauliah.invalid:${vetted.port}` } });
  });
});
