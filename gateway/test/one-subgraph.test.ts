import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { createLogger } from '@tauliah/core';
import { learnerByKey } from '@tauliah/demo-data';
import { learnersService } from '@tauliah/learners';
import { startTestSubgraph, TEST_GATEWAY_SECRET, type TestSubgraph } from '@tauliah/testing';
import { Kind, parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../src/circuit-breaker.ts';
import type { GatewayContext } from '../src/context.ts';
import { SubgraphDataSource } from '../src/data-source.ts';
import { composeSupergraph, subgraphSdl } from '../src/index.ts';
import { OneSubgraphAnswers, wholeAnswerFetch } from '../src/one-subgraph.ts';
import { startRecordingProxy } from './recording-proxy.ts';

/**
 * The engine (ApolloGateway) with the short way in front of it, as
 * gateway.ts builds them, in front of the learners subgraph through a
 * recording proxy: every call the subgraph gets is counted, and so is every
 * request the engine runs.
 */
let graph: TestSubgraph<typeof learnersService.tables>;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
let server: ApolloServer<GatewayContext>;
let engineRuns = 0;
const log = createLogger({ level: 'silent' });
const aisyah = learnerByKey('aisyah');

beforeAll(async () => {
  graph = await startTestSubgraph(learnersService);
  proxy = await startRecordingProxy(graph.url);
  const supergraphSdl = composeSupergraph([{ name: 'learners', url: proxy.url, sdl: subgraphSdl(await learnersService.buildSchema()) }]);
  const dataSources = new Map<string, SubgraphDataSource>();
  const answers = new OneSubgraphAnswers({ dataSource: (name) => dataSources.get(name), enumValuesHidden: false });
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: log,
    experimental_didResolveQueryPlan: answers.planResolved,
    buildService({ name, url }) {
      const breaker = new CircuitBreaker({ failureThreshold: 5, retryAfterMs: 1_000, probe: async () => true });
      const dataSource = new SubgraphDataSource({ name, url: url!, timeoutMs: 5_000, gatewaySecret: TEST_GATEWAY_SECRET, breaker, log, answered: answers });
      dataSources.set(name, dataSource);
      return dataSource;
    },
  });
  const engine = gateway.executor;
  gateway.executor = answers.executor(async (requestContext) => {
    engineRuns++;
    return engine(requestContext);
  });
  server = new ApolloServer<GatewayContext>({ gateway, includeStacktraceInErrorResponses: false });
  await server.start();
});
afterAll(async () => {
  await server?.stop();
  await proxy?.stop();
  await graph?.stop();
});
beforeEach(() => {
  engineRuns = 0;
  proxy.seen.length = 0;
});

/** One request as the gateway runs it, for a learner: its answer as the client would read it, and what it cost. */
async function ask(query: string, variables?: Record<string, unknown>) {
  const authorization = `Bearer ${await graph.tokens.tokenFor('LEARNER')}`;
  const [callsBefore, runsBefore] = [proxy.seen.length, engineRuns];
  const contextValue: GatewayContext = { viewer: { kind: 'public' }, requestId: 'r', log, authorization, client: { address: '127.0.0.1' }, subgraphsAsked: new Set() };
  const response = await server.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('expected a single answer');
  const { data, errors } = response.body.singleResult;
  return { text: JSON.stringify({ errors, data }), subgraphCalls: proxy.seen.length - callsBefore, engineRuns: engineRuns - runsBefore };
}

describe('queries one subgraph answers whole', () => {
  // Aliases, fields asked twice, an inline fragment, a condition, __typename, an enum.
  const query = /* GraphQL */ `
    query Mine($withPhone: Boolean!) {
      me { __typename name: fullName ... on Learner { id fullName } phone @include(if: $withPhone) citizenship id name: fullName }
    }
  `;

  it("answers later requests of a document with the subgraph's answer, byte for byte the engine's, asking the subgraph once each", async () => {
    for (const withPhone of [false, true]) {
      const first = await ask(query, { withPhone });
      const me = JSON.parse(first.text).data.me;
      expect(Object.keys(me)).toEqual(['__typename', 'name', 'id', 'fullName', ...(withPhone ? ['phone'] : []), 'citizenship']);
      expect(me).toMatchObject({ __typename: 'Learner', name: aisyah.fullName, id: aisyah.id, citizenship: 'MALAYSIAN' });
      for (let i = 0; i < 2; i++) {
        const later = await ask(query, { withPhone });
        expect(later).toEqual({ text: first.text, engineRuns: 0, subgraphCalls: 1 });
      }
    }
  });

  it('leaves to the engine, every time, a document whose plan asks in another order', async () => {
    // The planner asks for the fragment's fields first; the client's answer has them last.
    const reordered = /* GraphQL */ `query Mine { me { id fullName ...Contact } } fragment Contact on Learner { state email }`;
    const first = await ask(reordered);
    expect(Object.keys(JSON.parse(first.text).data.me)).toEqual(['id', 'fullName', 'state', 'email']);
    expect(await ask(reordered)).toEqual({ text: first.text, engineRuns: 1, subgraphCalls: 1 });
  });

  it('leaves variables the operation does not accept to the engine, which refuses them without asking the subgraph', async () => {
    await ask(query, { withPhone: true });
    const refused = await ask(query, { withPhone: 'yes' });
    expect(refused).toMatchObject({ engineRuns: 1, subgraphCalls: 0 });
    expect(JSON.parse(refused.text).errors[0].message).toContain('$withPhone');
  });

  it("gives an answer with errors through the engine, which shapes them from the call already made rather than asking again", async () => {
    const missing = /* GraphQL */ `query Missing($id: ID!) { learner(id: $id) { id fullName } }`;
    const variables = { id: '00000000-0000-4000-8000-000000000000' };
    const first = await ask(missing, variables);
    expect(first).toMatchObject({ engineRuns: 1, subgraphCalls: 1 });
    expect(JSON.parse(first.text).errors[0].extensions.code).toBe('NOT_FOUND');

    const later = await ask(missing, variables);
    expect(later).toEqual({ text: first.text, engineRuns: 1, subgraphCalls: 1 });
    // The replayed answer was for that request alone: the next one asks the subgraph afresh.
    expect(await ask(missing, variables)).toEqual({ text: first.text, engineRuns: 1, subgraphCalls: 1 });
  });

  it('goes on answering a document the short way once its errors are gone', async () => {
    const byId = /* GraphQL */ `query ById($id: ID!) { learner(id: $id) { fullName } }`;
    await ask(byId, { id: '00000000-0000-4000-8000-000000000000' });
    const found = await ask(byId, { id: aisyah.id });
    expect(found).toMatchObject({ engineRuns: 0, subgraphCalls: 1 });
    expect(JSON.parse(found.text)).toEqual({ data: { learner: { fullName: aisyah.fullName } } });
  });
});

describe('which plans are answered whole', () => {
  const schema = () => learnersService.buildSchema();
  const fetch = (operation: string, extra: Record<string, unknown> = {}) => ({
    kind: 'QueryPlan' as const,
    node: { kind: 'Fetch' as const, serviceName: 'learners', operation, operationName: undefined, operationKind: 'query' as never, variableUsages: [], ...extra },
  });
  const decide = async (client: string, sent: string, options: { extra?: Record<string, unknown>; enumValuesHidden?: boolean } = {}) => {
    const document = parse(client);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    return wholeAnswerFetch(fetch(sent, options.extra), document, operation!, await schema(), options.enumValuesHidden ?? false);
  };

  it('takes a fetch whose answer has the shape of the client\'s, whatever names the operations and however fragments are written', async () => {
    expect(await decide('query Mine { me { fullName } }', 'query Mine__learners__0{me{fullName}}')).toMatchObject({ serviceName: 'learners' });
    expect(await decide('{ me { id ...F fullName id } } fragment F on Learner { email }', '{me{id email fullName}}')).toBeDefined();
    expect(await decide('{ me { id ...F } } fragment F on Learner { email }', '{me{id ...on Learner{email}}}')).toBeDefined();
  });

  it('leaves to the engine a fetch that asks otherwise, sends representations, renames values or defers', async () => {
    expect(await decide('{ me { fullName } }', '{me{__typename id fullName}}')).toBeUndefined();
    expect(await decide('{ me { id fullName } }', '{me{fullName id}}')).toBeUndefined();
    expect(await decide('{ me { name: fullName } }', '{me{fullName}}')).toBeUndefined();
    expect(await decide('{ me { credentials: fullName } }', '{me{credentials:email}}')).toBeUndefined();
    // A key asked both with and without a condition comes first or later depending on the variables.
    expect(await decide('query($a: Boolean!) { me { email @include(if: $a) id email } }', 'query($a:Boolean!){me{email@include(if:$a)id email}}')).toBeUndefined();
    expect(await decide('{ me { fullName } }', '{me{fullName}}', { extra: { requires: [{ kind: 'InlineFragment' }] } })).toBeUndefined();
    expect(await decide('{ me { fullName } }', '{me{fullName}}', { extra: { outputRewrites: [{ kind: 'KeyRenamer' }] } })).toBeUndefined();
    expect(await decide('{ me { fullName } }', '{me{fullName}}', { extra: { hasDefers: true } })).toBeUndefined();
    expect(await decide('query($a: Boolean = true) { me { fullName @include(if: $a) } }', 'query($a:Boolean){me{fullName@include(if:$a)}}')).toBeUndefined();
  });

  it('leaves to the engine plans of more than one fetch, mutations and introspection', async () => {
    const document = parse('{ me { fullName } }');
    const sequence = { kind: 'QueryPlan' as const, node: { kind: 'Sequence' as const, nodes: [fetch('{me{fullName}}').node] } };
    expect(wholeAnswerFetch(sequence as never, document, document.definitions[0] as never, await schema(), false)).toBeUndefined();
    expect(await decide('mutation { withdrawConsent(id: "x") { id } }', 'mutation{withdrawConsent(id:"x"){id}}')).toBeUndefined();
    expect(await decide('{ __schema { queryType { name } } me { fullName } }', '{me{fullName}}')).toBeUndefined();
  });

  it('leaves enum fields to the engine where the supergraph hides values from the graph', async () => {
    expect(await decide('{ me { citizenship } }', '{me{citizenship}}')).toBeDefined();
    expect(await decide('{ me { citizenship } }', '{me{citizenship}}', { enumValuesHidden: true })).toBeUndefined();
  });
});
