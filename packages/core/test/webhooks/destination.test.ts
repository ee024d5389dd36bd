import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import {
  checkWebhookUrl,
  ForbiddenDestination,
  nonPublicAddress,
  pinnedLookup,
  resolveDestination,
  UnresolvableDestination,
  type DestinationPolicy,
  type ResolvedAddress,
  type Resolver,
} from '../../src/webhooks/index.ts';

const production: DestinationPolicy = { allowLoopback: false, requireHttps: true };
const embedded: DestinationPolicy = { allowLoopback: true, requireHttps: false };
const strictHttp: DestinationPolicy = { allowLoopback: false, requireHttps: false };

/** A resolver answering from a table, as a partner's DNS would, counting the questions. */
function dnsAnswering(table: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve: Resolver = async (hostname) => {
    asked.push(hostname);
    const answers = table[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answers.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, asked };
}

describe('which addresses may receive webhooks', () => {
  it.each([
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.10', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.100.100.200', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a00:1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:100.64.0.1', 'carrier-grade NAT'],
    ['[::ffff:192.168.0.1]', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['::127.0.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2002:a00:1::1', 'reserved'],
    ['2001:0:4136:e378::1', 'reserved'],
    ['not-an-address', 'reserved'],
  ])('refuses %s (%s)', (address, range) => {
    expect(nonPublicAddress(address)?.range).toBe(range);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '11.0.0.1',
    '126.255.255.255',
    '128.0.0.1',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.255.255',
    '169.255.0.1',
    '192.167.255.255',
    '192.169.0.1',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('lets %s through (public)', (address) => {
    expect(nonPublicAddress(address)).toBeUndefined();
  });
});

describe('registering a webhook URL', () => {
  it('takes a public https URL everywhere', () => {
    expect(checkWebhookUrl('https://hooks.uitm.edu.my/tauliah?source=1', production).href).toBe('https://hooks.uitm.edu.my/tauliah?source=1');
    expect(checkWebhookUrl('https://203.106.93.94:8443/hooks', production).port).toBe('8443');
  });

  it.each([
    ['ftp://hooks.example.my/', /http or https, not ftp/],
    ['file:///etc/passwd', /http or https, not file/],
    ['javascript:alert(1)', /http or https/],
    ['gopher://10.0.0.1:6379/_FLUSHALL', /http or https/],
    ['hooks.example.my/tauliah', /not a valid absolute URL/],
    ['https://admin:hunter2@hooks.example.my/', /user name or password/],
    ['https://token@hooks.example.my/', /user name or password/],
    [`https://hooks.example.my/${'a'.repeat(2_100)}`, /at most 2048 characters/],
  ])('refuses %s', (url, reason) => {
    expect(() => checkWebhookUrl(url, embedded)).toThrow(reason);
  });

  it('refuses plain http where https is required, and only there', () => {
    expect(() => checkWebhookUrl('http://hooks.example.my/', production)).toThrow(/must use https/);
    expect(checkWebhookUrl('http://hooks.example.my/', strictHttp).protocol).toBe('http:');
  });

  it.each([
    'https://10.0.0.8/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://[fd00::1]/hook',
    'https://[::ffff:192.168.1.1]/hook',
    'https://100.100.100.200/',
    'https://0.0.0.0/',
  ])('refuses the literal non-public address in %s, even where loopback is allowed', (url) => {
    expect(() => checkWebhookUrl(url, production)).toThrow(ForbiddenDestination);
    expect(() => checkWebhookUrl(url, embedded)).toThrow(/address .*webhooks go only to public addresses/);
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://[::1]:8080/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://2130706433/hook',
    'http://0x7f.1/hook',
    'http://localhost:3000/hook',
    'http://LOCALHOST./hook',
    'http://receiver.localhost/hook',
  ])('takes the loopback URL %s only where loopback is allowed', (url) => {
    expect(() => checkWebhookUrl(url, strictHttp)).toThrow(/loopback/);
    expect(checkWebhookUrl(url, embedded).protocol).toBe('http:');
  });
});

describe('vetting the destination at delivery time', () => {
  it('resolves localhost with the real resolver: allowed only where loopback is', async () => {
    const vetted = await resolveDestination('http://localhost:9/hook', embedded);
    expect(vetted.addresses.length).toBeGreaterThan(0);
    for (const { address } of vetted.addresses) expect(nonPublicAddress(address)?.range).toBe('loopback');
    await expect(resolveDestination('http://localhost:9/hook', strictHttp)).rejects.toThrow(ForbiddenDestination);
  });

  it('refuses a name whose answer holds any private address, without telling which', async () => {
    const dns = dnsAnswering({ 'hooks.partner.example': ['93.184.216.34', '10.0.0.5'] });
    const refusal = resolveDestination('https://hooks.partner.example/tauliah', production, dns.resolve);
    await expect(refusal).rejects.toThrow(/hooks.partner.example resolves to a private address \(10.0.0.0\/8\)/);
    await expect(refusal).rejects.not.toThrow(/10\.0\.0\.5/);
  });

  it('does not stretch the loopback allowance to other private ranges', async () => {
    const dns = dnsAnswering({ 'dev.partner.example': ['127.0.0.1', '192.168.1.20'] });
    await expect(resolveDestination('http://dev.partner.example/', embedded, dns.resolve)).rejects.toThrow(/private address/);
    const metadata = dnsAnswering({ 'meta.partner.example': ['169.254.169.254'] });
    await expect(resolveDestination('http://meta.partner.example/', embedded, metadata.resolve)).rejects.toThrow(/link-local/);
  });

  it('catches a name that pointed elsewhere at registration (DNS changed since)', async () => {
    const table: Record<string, string[]> = { 'hooks.partner.example': ['93.184.216.34'] };
    const dns = dnsAnswering(table);
    checkWebhookUrl('https://hooks.partner.example/', production);
    await expect(resolveDestination('https://hooks.partner.example/', production, dns.resolve)).resolves.toMatchObject({ addresses: [{ address: '93.184.216.34', family: 4 }] });
    table['hooks.partner.example'] = ['::ffff:10.1.2.3'];
    await expect(resolveDestination('https://hooks.partner.example/', production, dns.resolve)).rejects.toThrow(/IPv4-mapped|private/);
    expect(dns.asked).toEqual(['hooks.partner.example', 'hooks.partner.example']);
  });

  it('asks no resolver about a literal address, and refuses http where https is required before resolving', async () => {
    const dns = dnsAnswering({});
    await expect(resolveDestination('https://93.184.216.34/', production, dns.resolve)).resolves.toMatchObject({ addresses: [{ address: '93.184.216.34' }] });
    await expect(resolveDestination('http://hooks.partner.example/', production, dns.resolve)).rejects.toThrow(/must use https/);
    expect(dns.asked).toEqual([]);
  });

  it('reports a name that does not resolve as unresolvable, with the resolver’s code', async () => {
    const dns = dnsAnswering({ 'empty.partner.example': [] });
    await expect(resolveDestination('https://gone.partner.example/', production, dns.resolve)).rejects.toMatchObject({ name: 'UnresolvableDestination', code: 'ENOTFOUND' });
    await expect(resolveDestination('https://empty.partner.example/', production, dns.resolve)).rejects.toThrow(UnresolvableDestination);
    // The real resolver: .invalid never resolves (RFC 6761).
    await expect(resolveDestination('https://hooks.tauliah.invalid/', production)).rejects.toThrow(UnresolvableDestination);
  });
});

describe('the pinned lookup', () => {
  const addresses: ResolvedAddress[] = [
    { address: '93.184.216.34', family: 4 },
    { address: '2606:2800:220:1::1', family: 6 },
  ];
  const ask = (options: Parameters<ReturnType<typeof pinnedLookup>>[1]) =>
    new Promise<{ error: Error | null; address: unknown; family?: number }>((resolve) =>
      pinnedLookup(addresses)('anything.example', options, (error, address, family) => resolve({ error, address, family })),
    );

  it('answers with the vetted addresses whatever name it is asked about', async () => {
    expect(await ask({})).toEqual({ error: null, address: '93.184.216.34', family: 4 });
    expect(await ask({ all: true })).toEqual({ error: null, address: addresses, family: undefined });
    expect(await ask({ family: 6 })).toEqual({ error: null, address: '2606:2800:220:1::1', family: 6 });
    expect(await ask({ family: 'IPv4', all: true })).toMatchObject({ address: [addresses[0]] });
  });

  it('fails rather than look further when no vetted address has the family asked for', async () => {
    const only4 = await new Promise<Error | null>((resolve) => pinnedLookup([addresses[0]!])('a.example', { family: 6 }, (error) => resolve(error)));
    expect(only4).toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('a pinned https connection', () => {
  // A self-signed certificate for hooks.partner.test (valid until 2126), trusted only by these requests.
  const cert = readFileSync(new URL('./fixtures/receiver-cert.pem', import.meta.url));
  const key = readFileSync(new URL('./fixtures/receiver-key.pem', import.meta.url));

  async function post(url: string) {
    return new Promise<{ status?: number; body?: string; code?: string }>((resolve) => {
      const outgoing = request(url, { method: 'POST', agent: false, ca: cert, lookup: pinnedLookup([{ address: '127.0.0.1', family: 4 }]) }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode, body }));
      });
      outgoing.on('error', (error: NodeJS.ErrnoException) => resolve({ code: error.code }));
      outgoing.end('{}');
    });
  }

  it('keeps the URL’s name for the TLS server name and the certificate check', async () => {
    // The server name the client sent (SNI): on every TLSSocket, missing from @types/node 20's declaration.
    const sni = (socket: unknown) => (socket as TLSSocket & { servername?: string }).servername;
    const server = createServer({ key, cert }, (incoming, response) => response.end(`${sni(incoming.socket)} ${incoming.headers.host}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await post(`https://hooks.partner.test:${port}/hook`)).toEqual({ status: 200, body: `hooks.partner.test hooks.partner.test:${port}` });
      // Pinning the address does not vouch for the name: a certificate for another name is still refused.
      expect(await post(`https://other.partner.test:${port}/hook`)).toEqual({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
