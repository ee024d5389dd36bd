import { createLogger, createTokenVerifier, GATEWAY_HEADER, type RunningServer } from '@tauliah/core';
import { learnerByKey } from '@tauliah/demo-data';
import { learnersService } from '@tauliah/learners';
import { startTestSubgraph, TEST_AUDIENCE, TEST_GATEWAY_SECRET, TEST_ISSUER, testConfig, type TestSubgraph } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph, startGateway, subgraphSdl, type GatewayOptions } from '../src/index.ts';
import { startRecordingProxy } from './recording-proxy.ts';

let graph: TestSubgraph<typeof learnersService.tables>;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
/** Development mode, tight limits so the learners schema alone can exceed them, reaching learners through the proxy. */
let gateway: RunningServer;
/** Production mode, default limits, reaching learners at the URL in the supergraph. */
let production: RunningServer;
const aisyah = learnerByKey('aisyah');

beforeAll(async () => {
  graph = await startTestSubgraph(learnersService);
  proxy = await startRecordingProxy(graph.url);
  const supergraphSdl = composeSupergraph([{ name: 'learners', url: graph.url, sdl: subgraphSdl(await learnersService.buildSchema()) }]);
  const common: Omit<GatewayOptions, 'config'> = {
    supergraphSdl,
    verifier: createTokenVerifier({ issuer: TEST_ISSUER, audience: TEST_AUDIENCE, publicJwk: graph.tokens.key.publicJwk }),
    gatewaySecret: TEST_GATEWAY_SECRET,
    log: createLogger({ level: 'silent' }),
    listen: { port: 0, host: '127.0.0.1' },
  };
  gateway = await startGateway({
    ...common,
    config: { ...testConfig(), NODE_ENV: 'development', MAX_QUERY_DEPTH: 2, MAX_QUERY_ALIASES: 3, MAX_QUERY_COST: 500, SUBGRAPH_TIMEOUT_MS: 1_000 },
    subgraphUrls: { learners: proxy.url },
  });
  production = await startGateway({ ...common, config: { ...testConfig(), NODE_ENV: 'production' } });
});
afterAll(async () => {
  await gateway?.stop();
  await production?.stop();
  await proxy?.stop();
  await graph?.stop();
});

interface Answer {
  status: number;
  text: string;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string; [key: string]: unknown } }> };
}

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  let parsed: Answer['body'] = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
  }
  return { status: response.status, text, headers: response.headers, body: parsed };
}

async function ask(url: string, query: string, options: { as?: 'LEARNER' | 'FUNDER'; token?: string; variables?: object; headers?: Record<string, string> } = {}) {
  const token = options.token ?? (options.as ? await graph.tokens.tokenFor(options.as) : undefined);
  return post(url, JSON.stringify({ query, variables: options.variables }), {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...options.headers,
  });
}

/**
 * Sends an oversized body the way a client does, over a raw connection: with a
 * declared Content-Length, or chunked with no length, writing all of it before
 * reading the answer as simple clients (curl) do. What it reports is what the
 * client saw: a status and body, or the socket error it got instead.
 */
function sendOversized(url: string, bytes: number, framing: 'content-length' | 'chunked') {
  return new Promise<{ status?: number; text: string; error?: string }>((resolve) => {
    const target = new URL(url);
    const prefix = Buffer.from('{"query":"{ me { id } }","variables":{"pad":"');
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const chunks = Math.ceil(bytes / chunk.length);
    const req = request({
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(framing === 'content-length' ? { 'content-length': String(prefix.length + chunks * chunk.length) } : {}),
      },
    });
    const seen: { status?: number; text: string; error?: string } = { text: '' };
    let pending = 2; // the answer read to its end, and the request sent (or failed)
    const settle = () => --pending === 0 && resolve(seen);
    const fail = (error: NodeJS.ErrnoException) => {
      seen.error ??= error.code ?? error.message;
    };
    req.on('response', (res) => {
      seen.status = res.statusCode;
      res.setEncoding('utf8');
      res.on('data', (part: string) => (seen.text += part));
      res.on('error', fail);
      res.on('close', settle);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      fail(error);
      if (seen.status === undefined) pending -= 1; // no answer is coming
    });
    req.on('close', settle);
    let sent = 0;
    const pump = () => {
      while (sent < chunks) {
        sent += 1;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    req.write(prefix);
    pump();
  });
}

const codes = (answer: Answer) => (answer.body.errors ?? []).map((error) => error.extensions?.code);

/** Whatever a hostile request gets, it is never a server fault and never shows internals. */
function expectRefusedCleanly(answer: Answer) {
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(answer.text).not.toMatch(/stacktrace|\n\s+at |node_modules|127\.0\.0\.1/);
}

describe('identity at the edge', () => {
  it('answers a learner through the gateway, forwarding their token to the subgraph unchanged', async () => {
    const token = await graph.tokens.tokenFor('LEARNER');
    proxy.seen.length = 0;
    const answer = await ask(gateway.url, '{ me { fullName } }', { token });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { me: { fullName: aisyah.fullName } } });
    expect(proxy.seen.at(-1)?.authorization).toBe(`Bearer ${token}`);
  });

  it('keeps a well-formed request id, echoes it and passes it to the subgraph', async () => {
    proxy.seen.length = 0;
    const answer = await ask(gateway.url, '{ me { fullName } }', { as: 'LEARNER', headers: { 'x-request-id': 'partner-req-42' } });
    expect(answer.headers.get('x-request-id')).toBe('partner-req-42');
    expect(proxy.seen.at(-1)?.['x-request-id']).toBe('partner-req-42');
  });

  it('replaces a malformed request id with one of its own', async () => {
    proxy.seen.length = 0;
    const answer = await ask(gateway.url, '{ me { fullName } }', { as: 'LEARNER', headers: { 'x-request-id': 'bad id <script>' } });
    const issued = answer.headers.get('x-request-id');
    expect(issued).toMatch(/^[0-9a-f-]{36}$/);
    expect(proxy.seen.at(-1)?.['x-request-id']).toBe(issued);
  });

  it('refuses a forged token with 401 UNAUTHENTICATED before asking any subgraph', async () => {
    proxy.seen.length = 0;
    const answer = await ask(gateway.url, '{ me { fullName } }', { token: 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' });
    expect(answer.status).toBe(401);
    expect(codes(answer)).toEqual(['UNAUTHENTICATED']);
    expect(proxy.seen).toHaveLength(0);
  });

  it('refuses an expired token with 401 UNAUTHENTICATED', async () => {
    const expired = await graph.tokens.tokenFor('LEARNER', { expiresIn: '-1m' });
    const answer = await ask(gateway.url, '{ me { fullName } }', { token: expired });
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.message).toMatch(/expired/);
  });

  it('lets the public through without a token, and the subgraph decides what it may see', async () => {
    const requestId = `public-${randomUUID()}`;
    const answer = await ask(gateway.url, '{ me { fullName } }', { headers: { 'x-request-id': requestId } });
    // Not refused at the edge: the request reached the subgraph, as the gateway, with no token to pass on...
    const forwarded = proxy.seen.filter((headers) => headers['x-request-id'] === requestId);
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0]?.authorization).toBeUndefined();
    expect(forwarded[0]?.[GATEWAY_HEADER]).toBe(TEST_GATEWAY_SECRET);
    // ...and the subgraph's own rule (`me` is for signed-in learners) is the answer the public gets.
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ me: null });
    expect(answer.body.errors).toMatchObject([{ path: ['me'], extensions: { code: 'UNAUTHENTICATED' } }]);
  });
});

describe('limits a hostile client cannot get past', () => {
  it('refuses a query nested deeper than the limit with TOO_COMPLEX, stating limit and depth', async () => {
    const answer = await ask(gateway.url, '{ me { consents { scopes } } }', { as: 'LEARNER' });
    expectRefusedCleanly(answer);
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(['TOO_COMPLEX']);
    expect(answer.body.errors?.[0]?.message).toBe('The query nests 3 levels deep; the limit is 2.');
  });

  it('refuses too many aliases with TOO_COMPLEX', async () => {
    const answer = await ask(gateway.url, '{ a: me { id } b: me { id } c: me { id } d: me { id } }', { as: 'LEARNER' });
    expectRefusedCleanly(answer);
    expect(codes(answer)).toEqual(['TOO_COMPLEX']);
    expect(answer.body.errors?.[0]?.message).toBe('The query uses 4 aliases; the limit is 3.');
  });

  it('prices a lookup by the ids in its variables and refuses one above the cost limit', async () => {
    const query = 'query ($ids: [ID!]!) { learners(ids: $ids) { id fullName } }';
    const few = await ask(gateway.url, query, { as: 'FUNDER', variables: { ids: [aisyah.id] } });
    expect(few.status).toBe(200);
    const many = await ask(gateway.url, query, { as: 'FUNDER', variables: { ids: Array.from({ length: 300 }, () => aisyah.id) } });
    expectRefusedCleanly(many);
    expect(codes(many)).toEqual(['TOO_COMPLEX']);
    expect(many.body.errors?.[0]?.message).toMatch(/^The query would cost 901; the limit is 500\./);
    // The same document is priced again for each request's variables, whichever came first.
    expect((await ask(gateway.url, query, { as: 'FUNDER', variables: { ids: [aisyah.id] } })).status).toBe(200);
    expect(codes(await ask(gateway.url, query, { as: 'FUNDER', variables: { ids: Array.from({ length: 200 }, () => aisyah.id) } }))).toEqual(['TOO_COMPLEX']);
  });

  it('refuses a document over a limit every time it is sent, not only the first', async () => {
    for (let i = 0; i < 3; i += 1) {
      const deep = await ask(gateway.url, '{ me { consents { scopes } } }', { as: 'LEARNER' });
      expect(codes(deep)).toEqual(['TOO_COMPLEX']);
      const inline = Array.from({ length: 170 }, (_, n) => `"${n}"`).join(', ');
      const costly = await ask(gateway.url, `{ learners(ids: [${inline}]) { id fullName } }`, { as: 'FUNDER' });
      expect(codes(costly)).toEqual(['TOO_COMPLEX']);
      expect(costly.body.errors?.[0]?.message).toMatch(/^The query would cost 511; the limit is 500\./);
    }
  });

  it('stops parsing a document of more tokens than allowed', async () => {
    const answer = await ask(production.url, `{ me { ${'id '.repeat(6_000)}} }`, { as: 'LEARNER' });
    expectRefusedCleanly(answer);
    expect(codes(answer)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(answer.body.errors?.[0]?.message).toMatch(/5000 tokens/);
  });

  it('refuses a flood of one repeated field at once, before graphql compares the copies pair by pair', async () => {
    const flood = `{ me { ${Array.from({ length: 1_600 }, (_, i) => `x: ${i % 2 ? 'fullName' : 'email'}`).join(' ')} } }`;
    const answer = await ask(production.url, flood, { as: 'LEARNER' });
    expectRefusedCleanly(answer);
    expect(codes(answer)).toEqual(['TOO_COMPLEX']);
    expect(answer.body.errors?.[0]?.message).toBe('The query selects x 1600 times in one place; the limit is 10.');
    // The same flood, asked again, is refused again rather than served from Apollo's document cache.
    expect(codes(await ask(production.url, flood, { as: 'LEARNER' }))).toEqual(['TOO_COMPLEX']);
    const byGet = await fetch(`${production.url}?query=${encodeURIComponent(`{ me { ${'fullName '.repeat(50)}} }`)}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(byGet.status).toBe(400);
    expect(await byGet.text()).toMatch(/fullName 50 times/);
  });

  it('refuses a body over the limit (5 MB) with 413', async () => {
    const answer = await post(gateway.url, JSON.stringify({ query: `{ me { fullName } } #${'x'.repeat(5 * 1024 * 1024)}` }));
    expectRefusedCleanly(answer);
    expect(answer.status).toBe(413);
    expect(codes(answer)).toEqual(['PAYLOAD_TOO_LARGE']);
  });

  for (const framing of ['content-length', 'chunked'] as const) {
    it(`answers a body over the limit sent with ${framing} with 413 PAYLOAD_TOO_LARGE, not a reset connection, at the gateway and at a subgraph`, async () => {
      for (const url of [production.url, graph.url]) {
        const answer = await sendOversized(url, 6 * 1024 * 1024, framing);
        expect(answer.error).toBeUndefined();
        expect(answer.status).toBe(413);
        expect(JSON.parse(answer.text)).toEqual({
          errors: [{ message: `The request body is larger than ${4 * 1_048_576} bytes.`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
        });
      }
      // The server is still serving.
      expect((await ask(production.url, '{ __typename }')).status).toBe(200);
    });
  }

  it('refuses a query document over its own limit (32 KiB) with 413 QUERY_TOO_LARGE before parsing or asking a subgraph', async () => {
    proxy.seen.length = 0;
    const long = `{ me { fullName } } # ${'x'.repeat(33 * 1024)}`;
    const answer = await ask(gateway.url, long, { as: 'LEARNER' });
    expectRefusedCleanly(answer);
    expect(answer.status).toBe(413);
    expect(codes(answer)).toEqual(['QUERY_TOO_LARGE']);
    expect(answer.body.errors?.[0]?.message).toBe(`The query document is ${Buffer.byteLength(long)} bytes; the limit is ${32 * 1024}. Pass data in variables.`);
    expect(proxy.seen).toHaveLength(0);
    // Just under the limit is parsed and answered as usual.
    const under = await ask(gateway.url, `{ me { fullName } } # ${'x'.repeat(32 * 1024 - 40)}`, { as: 'LEARNER' });
    expect(under.body).toEqual({ data: { me: { fullName: aisyah.fullName } } });
  });

  it('takes 4 MB of variables with a small document: variables, which carry cohorts, are not the document', async () => {
    proxy.seen.length = 0;
    const answer = await ask(gateway.url, 'query ($id: ID!) { learner(id: $id) { id } }', { as: 'FUNDER', variables: { id: 'x'.repeat(4_000_000) } });
    expect(answer.status).toBe(200);
    expect(codes(answer)).not.toContain('QUERY_TOO_LARGE');
    expect(codes(answer)).not.toContain('PAYLOAD_TOO_LARGE');
    expect(proxy.seen.length).toBeGreaterThan(0);
  });

  it('refuses a batch of operations with 400', async () => {
    const answer = await post(gateway.url, JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]));
    expectRefusedCleanly(answer);
    expect(answer.status).toBe(400);
  });

  it('refuses malformed JSON with 400', async () => {
    const answer = await post(gateway.url, '{"query": "{ me { id } }"');
    expectRefusedCleanly(answer);
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(['BAD_REQUEST']);
  });

  it('refuses a query that does not parse with 400 GRAPHQL_PARSE_FAILED', async () => {
    const answer = await ask(gateway.url, '{ me { fullName ');
    expectRefusedCleanly(answer);
    expect(codes(answer)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });
});

describe('production mode', () => {
  it('refuses introspection', async () => {
    const answer = await ask(production.url, '{ __schema { types { name } } }');
    expectRefusedCleanly(answer);
    expect(codes(answer)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(answer.body.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('does not suggest field names, which would spell out the schema', async () => {
    const inDevelopment = await ask(gateway.url, '{ me { fullNam } }', { as: 'LEARNER' });
    expect(inDevelopment.body.errors?.[0]?.message).toMatch(/Did you mean/);
    const inProduction = await ask(production.url, '{ me { fullNam } }', { as: 'LEARNER' });
    expectRefusedCleanly(inProduction);
    expect(inProduction.body.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it('serves no sandbox landing page', async () => {
    const response = await fetch(production.url, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toMatch(/sandbox/i);
  });

  it('allows introspection in development', async () => {
    const answer = await ask(gateway.url, '{ __schema { queryType { name } } }');
    expect(answer.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

/** The gateway's /readyz: its status, and each subgraph's readiness and the circuits not closed from its details. */
async function readinessOf(server: RunningServer) {
  const response = await fetch(server.url.replace('/graphql', '/readyz'));
  const body = (await response.json()) as { status: string; details?: { subgraphs?: Record<string, string>; circuits?: Record<string, string> } };
  return { status: response.status, body, subgraphs: body.details?.subgraphs, circuits: body.details?.circuits ?? {} };
}

describe('identical queries in flight, with SUBGRAPH_DEDUPLICATION=on', () => {
  let sharing: RunningServer;
  beforeAll(async () => {
    sharing = await startGateway({
      supergraphSdl: composeSupergraph([{ name: 'learners', url: graph.url, sdl: subgraphSdl(await learnersService.buildSchema()) }]),
      verifier: createTokenVerifier({ issuer: TEST_ISSUER, audience: TEST_AUDIENCE, publicJwk: graph.tokens.key.publicJwk }),
      gatewaySecret: TEST_GATEWAY_SECRET,
      log: createLogger({ level: 'silent' }),
      listen: { port: 0, host: '127.0.0.1' },
      config: { ...testConfig(), SUBGRAPH_DEDUPLICATION: 'on' },
      subgraphUrls: { learners: proxy.url },
    });
    proxy.holdFor(300);
  });
  afterAll(async () => {
    proxy.holdFor(0);
    await sharing?.stop();
  });

  it('asks the subgraph once for one viewer, and each request gets the answer it would have got alone', async () => {
    const token = await graph.tokens.tokenFor('LEARNER');
    const query = '{ me { fullName email } }';
    const alone = await ask(gateway.url, query, { token });
    proxy.seen.length = 0;
    const together = await Promise.all(Array.from({ length: 6 }, () => ask(sharing.url, query, { token })));
    expect(proxy.seen).toHaveLength(1);
    for (const answer of together) expect(answer.text).toBe(alone.text);
  });

  it('never shares a call between viewers, even with the same query', async () => {
    const [learner, another] = [await graph.tokens.tokenFor('LEARNER'), await graph.tokens.tokenFor('LEARNER', { expiresIn: '2h' })];
    proxy.seen.length = 0;
    const [mine, theirs, publicAnswer] = await Promise.all([
      ask(sharing.url, '{ me { fullName } }', { token: learner }),
      ask(sharing.url, '{ me { fullName } }', { token: another }),
      ask(sharing.url, '{ me { fullName } }'),
    ]);
    expect(proxy.seen.map((headers) => headers.authorization).sort()).toEqual([undefined, `Bearer ${another}`, `Bearer ${learner}`].sort());
    expect(mine.body.data).toEqual({ me: { fullName: aisyah.fullName } });
    expect(theirs.body.data).toEqual({ me: { fullName: aisyah.fullName } });
    expect(codes(publicAnswer)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('a subgraph in trouble', () => {
  /** Opens its circuit after two broken answers and probes every 100 ms: the breaker's rules, seen from outside. */
  let breaking: RunningServer;
  beforeAll(async () => {
    breaking = await startGateway({
      supergraphSdl: composeSupergraph([{ name: 'learners', url: graph.url, sdl: subgraphSdl(await learnersService.buildSchema()) }]),
      verifier: createTokenVerifier({ issuer: TEST_ISSUER, audience: TEST_AUDIENCE, publicJwk: graph.tokens.key.publicJwk }),
      gatewaySecret: TEST_GATEWAY_SECRET,
      log: createLogger({ level: 'silent' }),
      listen: { port: 0, host: '127.0.0.1' },
      config: { ...testConfig(), SUBGRAPH_TIMEOUT_MS: 1_000, SUBGRAPH_BREAKER_FAILURES: 2, SUBGRAPH_BREAKER_RETRY_MS: 100 },
      subgraphUrls: { learners: proxy.url },
    });
  });
  afterAll(async () => {
    proxy.answerWith(undefined);
    await breaking?.stop();
  });

  it('is ready while its subgraphs are', async () => {
    const readiness = await readinessOf(production);
    expect(readiness.status).toBe(200);
    expect(readiness.body.status).toBe('ready');
    expect(readiness.subgraphs).toEqual({ learners: 'ready' });
  });

  it("counts a broken server's answers against the circuit, hides them, and asks nothing more once it is open", async () => {
    proxy.answerWith({ status: 502, contentType: 'text/html', body: '<h1>502 Bad Gateway</h1><pre>upstream 10.0.3.7:4001\n    at proxy (/etc/lb.conf:12)</pre>' });
    try {
      for (let i = 0; i < 2; i += 1) {
        const answer = await ask(breaking.url, '{ me { fullName } }', { as: 'LEARNER' });
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual({
          data: { me: null },
          errors: [{ message: 'The learners service is not answering right now; try again shortly.', path: ['me'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }],
        });
      }
      proxy.seen.length = 0;
      const refused = await ask(breaking.url, '{ me { fullName } }', { as: 'LEARNER' });
      expect(codes(refused)).toEqual(['SUBGRAPH_UNAVAILABLE']);
      expect(proxy.seen).toHaveLength(0);
      // The subgraph's /readyz still answers (only its GraphQL is broken): ready, but degraded by the open circuit.
      const readiness = await readinessOf(breaking);
      expect(readiness.status).toBe(200);
      expect(readiness.body.status).toBe('degraded');
      expect(readiness.circuits).toEqual({ learners: expect.stringMatching(/^(open|half-open)$/) });
    } finally {
      proxy.answerWith(undefined);
    }
    // The next probe finds it ready and the circuit closes: answers come whole again.
    await expect.poll(async () => (await ask(breaking.url, '{ me { fullName } }', { as: 'LEARNER' })).body, { timeout: 2_000, interval: 50 }).toEqual({
      data: { me: { fullName: aisyah.fullName } },
    });
    expect((await readinessOf(breaking)).circuits).toEqual({});
  });

  it("never opens the circuit for the subgraph's own coded errors, nor for a 429 that sheds load", async () => {
    for (let i = 0; i < 5; i += 1) {
      const anonymous = await ask(breaking.url, '{ me { fullName } }');
      expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
      const bad = await ask(breaking.url, '{ learner(id: "not-a-uuid") { id } }', { as: 'FUNDER' });
      expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    }
    proxy.answerWith({ status: 429, contentType: 'text/plain', body: 'slow down' });
    try {
      for (let i = 0; i < 5; i += 1) {
        proxy.seen.length = 0;
        expect(codes(await ask(breaking.url, '{ me { fullName } }', { as: 'LEARNER' }))).toEqual(['SUBGRAPH_UNAVAILABLE']);
        expect(proxy.seen).toHaveLength(1);
      }
    } finally {
      proxy.answerWith(undefined);
    }
    expect((await readinessOf(breaking)).circuits).toEqual({});
    expect((await ask(breaking.url, '{ me { fullName } }', { as: 'LEARNER' })).body).toEqual({ data: { me: { fullName: aisyah.fullName } } });
  });

  it('gives a coded error, not a hang, when a subgraph stops answering', async () => {
    proxy.setStalled(true);
    try {
      const started = performance.now();
      const answer = await ask(gateway.url, '{ me { fullName } }', { as: 'LEARNER' });
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(answer.status).toBe(200);
      expect(codes(answer)).toEqual(['SUBGRAPH_UNAVAILABLE']);
      expect(answer.text).not.toMatch(/stacktrace|\n\s+at |127\.0\.0\.1/);
    } finally {
      proxy.setStalled(false);
    }
  });

  it('gives a coded error and reports not ready once a subgraph is down', async () => {
    await graph.server.stop();
    const answer = await ask(production.url, '{ me { fullName } }', { as: 'LEARNER' });
    expect(codes(answer)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(answer.body.errors?.[0]?.message).toBe('The learners service is not answering right now; try again shortly.');
    expect(answer.text).not.toMatch(/ECONNREFUSED|stacktrace|127\.0\.0\.1/);
    // With no subgraph able to answer, the gateway could serve only errors: not ready, and it says which is missing.
    const readiness = await readinessOf(production);
    expect(readiness.status).toBe(503);
    expect(readiness.subgraphs).toEqual({ learners: 'unreachable' });
    expect((await fetch(production.url.replace('/graphql', '/healthz'))).status).toBe(200);
  });
});
