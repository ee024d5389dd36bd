import { createLogger, createTokenVerifier, SERVICE_NAMES, type RunningServer } from '@tauliah/core';
import { redisUrl, TEST_AUDIENCE, TEST_GATEWAY_SECRET, TEST_ISSUER, testConfig, TokenFactory } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type GatewayOptions } from '../src/index.ts';
import { startRecordingProxy } from './recording-proxy.ts';

/**
 * The gateway over the whole checked-in supergraph, every subgraph reached
 * through one recording proxy with nothing behind it: what the proxy records
 * is exactly what got past the edge. A request the edge lets through reaches
 * the proxy (and answers SUBGRAPH_UNAVAILABLE); one it refuses never does.
 */
let tokens: TokenFactory;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
let common: Omit<GatewayOptions, 'config'>;
const started: RunningServer[] = [];

beforeAll(async () => {
  tokens = await TokenFactory.create();
  proxy = await startRecordingProxy('http://127.0.0.1:9/graphql');
  common = {
    supergraphSdl: await readFile(new URL('../supergraph.graphql', import.meta.url), 'utf8'),
    verifier: createTokenVerifier({ issuer: TEST_ISSUER, audience: TEST_AUDIENCE, publicJwk: tokens.key.publicJwk }),
    gatewaySecret: TEST_GATEWAY_SECRET,
    log: createLogger({ level: 'silent' }),
    subgraphUrls: Object.fromEntries(SERVICE_NAMES.map((name) => [name, proxy.url])),
    listen: { port: 0, host: '127.0.0.1' },
  };
});
afterAll(async () => {
  for (const server of started) await server.stop();
  await proxy?.stop();
});

async function gatewayWith(settings: Record<string, unknown>): Promise<RunningServer> {
  const server = await startGateway({ ...common, config: { ...testConfig(), NODE_ENV: 'development', ...settings } });
  started.push(server);
  return server;
}

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string; [key: string]: unknown } }> };
}

async function ask(url: string, query: string, options: { token?: string; variables?: object } = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}

const codes = (answer: Answer) => (answer.body.errors ?? []).map((error) => error.extensions?.code);
const aLearner = () => tokens.tokenFor({ role: 'LEARNER', sub: randomUUID() });
const forwardedDuring = async (run: () => Promise<unknown>) => {
  const before = proxy.seen.length;
  await run();
  return proxy.seen.length - before;
};

describe('the cost of list arguments, at the edge', () => {
  it('refuses 30 aliases of a 5,000-learner progress cohort before any subgraph is asked', async () => {
    const gateway = await gatewayWith({});
    const token = await tokens.tokenFor('PROVIDER_STAFF');
    const ids = Array.from({ length: 5_000 }, () => randomUUID());
    const aliases = Array.from({ length: 30 }, (_, i) => `p${i}: progressFor(learnerIds: $ids) { creditsEarned }`).join(' ');
    let answer: Answer | undefined;
    const forwarded = await forwardedDuring(async () => {
      answer = await ask(gateway.url, `query ($ids: [ID!]!) { pathway(id: "${randomUUID()}") { ${aliases} } }`, { token, variables: { ids } });
    });
    expect(answer!.status).toBe(400);
    expect(codes(answer!)).toEqual(['TOO_COMPLEX']);
    expect(answer!.body.errors?.[0]?.message).toMatch(/^The query would cost 300031; the limit is 250000\./);
    expect(forwarded).toBe(0);

    // The same question about two learners gets past the edge: the proxy is asked.
    const small = await forwardedDuring(() =>
      ask(gateway.url, `query ($ids: [ID!]!) { pathway(id: "${randomUUID()}") { progressFor(learnerIds: $ids) { creditsEarned } } }`, {
        token,
        variables: { ids: ids.slice(0, 2) },
      }),
    );
    expect(small).toBeGreaterThan(0);
  });
});

describe('rate limits in memory', () => {
  let gateway: RunningServer;
  beforeAll(async () => {
    gateway = await gatewayWith({
      RATE_LIMITS: 'on',
      RATE_LIMIT_POINTS: 4,
      RATE_LIMIT_SECONDS: 60,
      RATE_LIMIT_PUBLIC_POINTS: 3,
      RATE_LIMIT_PUBLIC_SECONDS: 30,
      RATE_LIMIT_VERIFY_POINTS: 2,
      RATE_LIMIT_VERIFY_SECONDS: 60,
    });
  });

  it('answers a signed-in client up to its budget, then 429 with Retry-After and RATE_LIMITED; another client is unaffected', async () => {
    const token = await aLearner();
    for (let i = 0; i < 4; i++) expect((await ask(gateway.url, '{ __typename }', { token })).status).toBe(200);
    const refused = await ask(gateway.url, '{ __typename }', { token });
    expect(refused.status).toBe(429);
    expect(codes(refused)).toEqual(['RATE_LIMITED']);
    expect(refused.headers.get('content-type')).toMatch(/application\/json/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ retryAfterSeconds: retryAfter });
    expect(refused.body.errors?.[0]?.message).toMatch(/4 requests per 60 s/);
    // Refused before any subgraph is asked.
    expect(await forwardedDuring(() => ask(gateway.url, '{ me { id } }', { token }))).toBe(0);
    expect((await ask(gateway.url, '{ __typename }', { token: await aLearner() })).status).toBe(200);
  });

  it('gives token-less queries their own, tighter budget per address; forged tokens spend it too', async () => {
    for (let i = 0; i < 2; i++) expect((await ask(gateway.url, '{ __typename }')).status).toBe(200);
    const forged = await ask(gateway.url, '{ __typename }', { token: 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' });
    expect(forged.status).toBe(401);
    const refused = await ask(gateway.url, '{ __typename }');
    expect(refused.status).toBe(429);
    expect(codes(refused)).toEqual(['RATE_LIMITED']);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    // A signed-in client from the same address has a budget of its own.
    expect((await ask(gateway.url, '{ __typename }', { token: await aLearner() })).status).toBe(200);
  });

  it('gives public verification its own budget, each verification in a request counted', async () => {
    const token = await aLearner();
    const two = await forwardedDuring(async () => {
      const answer = await ask(gateway.url, '{ a: verifyCredential(id: "x") { verified } b: verifyCredential(id: "y") { verified } }', { token });
      expect(answer.status).toBe(200);
    });
    expect(two).toBeGreaterThan(0);
    let refused: Answer | undefined;
    const third = await forwardedDuring(async () => {
      refused = await ask(gateway.url, '{ ...V } fragment V on Query { verifyCredentialDocument(document: {}) { verified } }', { token });
    });
    expect(refused!.status).toBe(429);
    expect(codes(refused!)).toEqual(['RATE_LIMITED']);
    expect(refused!.body.errors?.[0]?.message).toMatch(/2 verifications per 60 s/);
    expect(third).toBe(0);
    // Other questions still count against the ordinary budget only.
    expect((await ask(gateway.url, '{ __typename }', { token })).status).toBe(200);
  });

  it('can be turned off (benches)', async () => {
    const off = await gatewayWith({ RATE_LIMITS: 'off', RATE_LIMIT_PUBLIC_POINTS: 1 });
    for (let i = 0; i < 5; i++) expect((await ask(off.url, '{ __typename }')).status).toBe(200);
  });

  it('is off by default under NODE_ENV=test, on otherwise', async () => {
    const inTests = await startGateway({ ...common, config: { ...testConfig(), RATE_LIMIT_PUBLIC_POINTS: 1 } });
    started.push(inTests);
    for (let i = 0; i < 3; i++) expect((await ask(inTests.url, '{ __typename }')).status).toBe(200);
    const inDevelopment = await gatewayWith({ RATE_LIMIT_PUBLIC_POINTS: 1 });
    expect((await ask(inDevelopment.url, '{ __typename }')).status).toBe(200);
    expect((await ask(inDevelopment.url, '{ __typename }')).status).toBe(429);
  });
});

// Set in CI's PostgreSQL phase (.ci/run), like DATABASE_URL and NATS_URL: the real Redis the gateways share.
const REDIS_URL = redisUrl();
describe.skipIf(!REDIS_URL)(`rate limits on Redis${REDIS_URL ? '' : ' (skipped: REDIS_URL is not set)'}`, () => {
  it('makes two gateways share one budget per client', async () => {
    const settings = { RATE_LIMITS: 'on', REDIS_URL, RATE_LIMIT_POINTS: 4, RATE_LIMIT_SECONDS: 60 };
    const [first, second] = [await gatewayWith(settings), await gatewayWith(settings)];
    const token = await aLearner();
    for (const gateway of [first, second, first, second]) expect((await ask(gateway.url, '{ __typename }', { token })).status).toBe(200);
    for (const gateway of [first, second]) {
      const refused = await ask(gateway.url, '{ __typename }', { token });
      expect(refused.status).toBe(429);
      expect(codes(refused)).toEqual(['RATE_LIMITED']);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect((await ask(second.url, '{ __typename }', { token: await aLearner() })).status).toBe(200);
  });
});
