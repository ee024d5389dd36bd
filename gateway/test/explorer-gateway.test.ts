import { createLogger, createTokenVerifier, type RunningServer } from '@tauliah/core';
import { learnersService } from '@tauliah/learners';
import { startTestSubgraph, TEST_AUDIENCE, TEST_GATEWAY_SECRET, TEST_ISSUER, testConfig, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph, startGateway, subgraphSdl, type GatewayOptions } from '../src/index.ts';

/** Where the gateway serves the explorer, and that introspection stays on wherever it does. */
let graph: TestSubgraph<typeof learnersService.tables>;
let development: RunningServer;
let production: RunningServer;
let productionWithExplorer: RunningServer;
let developmentWithoutExplorer: RunningServer;
const persona = { role: 'LEARNER' as const, description: 'Aisyah', token: 'demo-learner-token' };

beforeAll(async () => {
  graph = await startTestSubgraph(learnersService);
  const common: Omit<GatewayOptions, 'config'> = {
    supergraphSdl: composeSupergraph([{ name: 'learners', url: graph.url, sdl: subgraphSdl(await learnersService.buildSchema()) }]),
    verifier: createTokenVerifier({ issuer: TEST_ISSUER, audience: TEST_AUDIENCE, publicJwk: graph.tokens.key.publicJwk }),
    gatewaySecret: TEST_GATEWAY_SECRET,
    log: createLogger({ level: 'silent' }),
    listen: { port: 0, host: '127.0.0.1' },
    explorer: { personas: [persona] },
  };
  [development, production, productionWithExplorer, developmentWithoutExplorer] = await Promise.all([
    startGateway({ ...common, config: { ...testConfig(), NODE_ENV: 'development' } }),
    startGateway({ ...common, config: { ...testConfig(), NODE_ENV: 'production' } }),
    startGateway({ ...common, config: { ...testConfig(), NODE_ENV: 'production', EXPLORER_ENABLED: true } }),
    startGateway({ ...common, config: { ...testConfig(), NODE_ENV: 'development', EXPLORER_ENABLED: false } }),
  ]);
});
afterAll(async () => {
  await Promise.all([development, production, productionWithExplorer, developmentWithoutExplorer].map((gateway) => gateway?.stop()));
  await graph?.stop();
});

const origin = (gateway: RunningServer) => new URL(gateway.url).origin;
const browse = async (url: string) => {
  const response = await fetch(url, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
};
const introspect = async (gateway: RunningServer) => {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
  });
  return (await response.json()) as { data?: { __schema: { queryType: { name: string } } }; errors?: unknown[] };
};

describe('the explorer', () => {
  it('is served at / and, to browsers, at /graphql outside production, in place of Apollo’s CDN landing page', async () => {
    for (const path of ['/', '/graphql']) {
      const page = await browse(`${origin(development)}${path}`);
      expect(page.status, path).toBe(200);
      expect(page.type, path).toBe('text/html; charset=utf-8');
      expect(page.text, path).toContain('<title>Tauliah explorer</title>');
      expect(page.text, path).not.toMatch(/apollographql|embeddable-sandbox|cdn\./);
    }
    expect((await browse(`${origin(development)}/explorer/graphiql.min.js`)).status).toBe(200);
    expect((await introspect(development)).data?.__schema.queryType.name).toBe('Query');
  });

  it('leaves GraphQL requests to the endpoint', async () => {
    const response = await fetch(development.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    const get = await fetch(`${origin(development)}/graphql?query=%7B__typename%7D`, { headers: { accept: 'text/html, application/json', 'apollo-require-preflight': 'true' } });
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('offers the demo personas given to it, except in production', async () => {
    expect((await browse(`${origin(development)}/`)).text).toContain(persona.token);
    expect((await browse(`${origin(productionWithExplorer)}/`)).text).not.toContain(persona.token);
  });

  it('is not served in production, nor where EXPLORER_ENABLED is false', async () => {
    for (const gateway of [production, developmentWithoutExplorer]) {
      for (const path of ['/', '/graphql', '/explorer/graphiql.min.js']) {
        const page = await browse(`${origin(gateway)}${path}`);
        expect(page.type, path).not.toContain('text/html');
        expect(page.text, path).not.toContain('GraphiQL');
      }
    }
    expect((await introspect(production)).errors).toBeDefined();
  });

  it('is served in production when EXPLORER_ENABLED is true, with introspection on for its documentation', async () => {
    expect((await browse(`${origin(productionWithExplorer)}/`)).text).toContain('<title>Tauliah explorer</title>');
    expect((await introspect(productionWithExplorer)).data?.__schema.queryType.name).toBe('Query');
  });
});
