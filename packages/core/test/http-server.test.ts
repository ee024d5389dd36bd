import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { createErrorFormatter, createLogger, startGraphHttpServer, type RunningServer } from '../src/index.ts';

const log = createLogger({ level: 'silent' });
let server: RunningServer | undefined;

async function start(options: { ready?: () => Promise<void>; maxBodyBytes?: number } = {}) {
  const schema = buildSchema('type Query { slow(ms: Int!): String! broken: String }');
  const rootValue = {
    slow: ({ ms }: { ms: number }) => new Promise((resolve) => setTimeout(() => resolve('done'), ms)),
    broken: () => {
      throw new Error('connection to 10.0.0.7:5432 refused (internal detail)');
    },
  };
  const apollo = new ApolloServer({ schema, rootValue, formatError: createErrorFormatter() });
  server = await startGraphHttpServer(
    { name: 'test', apollo, log, maxBodyBytes: options.maxBodyBytes ?? 10_000, context: async () => ({}), ready: options.ready },
    { port: 0, host: '127.0.0.1' },
  );
  return server;
}
const post = (url: string, body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('the HTTP server every subgraph and the gateway share', () => {
  it('finishes in-flight requests when asked to stop, then refuses new ones', async () => {
    const running = await start();
    const inFlight = post(running.url, JSON.stringify({ query: '{ slow(ms: 400) }' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = running.stop();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { slow: 'done' } });
    await stopped;
    await expect(post(running.url, JSON.stringify({ query: '{ slow(ms: 1) }' }))).rejects.toThrow();
  });

  it('answers health and readiness separately', async () => {
    let up = true;
    const running = await start({
      ready: async () => {
        if (!up) throw new Error('database down');
      },
    });
    const base = running.url.replace('/graphql', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    up = false;
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('refuses an oversized body with 413 and malformed JSON with 400', async () => {
    const running = await start({ maxBodyBytes: 1_000 });
    const big = await post(running.url, JSON.stringify({ query: `{ slow(ms: 1) } #${'x'.repeat(2_000)}` }));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const malformed = await post(running.url, '{"query": ');
    expect(malformed.status).toBe(400);
  });

  it('masks internal failures and carries a request id', async () => {
    const running = await start();
    const response = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'partner-req-42' },
      body: JSON.stringify({ query: '{ broken }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('partner-req-42');
    const body = (await response.json()) as { errors: Array<{ extensions: unknown }> };
    expect(body.errors[0]!.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(body)).not.toMatch(/10\.0\.0\.7|refused|stack/);
  });
});
