import { composeFromServices } from '@tauliah/cli';
import { createLogger, SERVICE_NAMES, type RunningServer, type ServiceName } from '@tauliah/core';
import { approvedHrdCorpCourses, courseId, learnerByKey, schemes } from '@tauliah/demo-data';
import { startGateway } from '@tauliah/gateway';
import { codesOf, GraphClient, TEST_GATEWAY_SECRET, testConfig, type GraphQLResponse } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../gateway/test/fault-proxy.ts';

/**
 * One subgraph dead or hung behind a gateway that calls every subgraph of a
 * real graph, credentials and funding through relays that can play them dead
 * (connections refused) or hung (accepted, never answered: a SIGSTOP'd
 * process). What a partner depends on: the owner's data still arrives with a
 * coded error for the missing part, a hung subgraph stops costing the timeout
 * once its circuit opens, and everything comes back without a restart.
 */

const TIMEOUT_MS = 5_000;
const FAILURES_TO_OPEN = 3;
const RETRY_MS = 200;
const aisyah = learnerByKey('aisyah');
const PAGE = '{ me { fullName credentials { title } } }';
const CREDENTIALS_UNAVAILABLE = {
  message: 'The credentials service is not answering right now; try again shortly.',
  extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
};

let graph: TestGraph;
let credentials: FaultProxy;
let funding: FaultProxy;
let gateway: RunningServer;
let client: GraphClient;

beforeAll(async () => {
  graph = await startTestGraph();
  credentials = await startFaultProxy(graph.running.subgraphs.credentials.url);
  funding = await startFaultProxy(graph.running.subgraphs.funding.url);
  const config = testConfig();
  const urls = Object.fromEntries(SERVICE_NAMES.map((name) => [name, graph.running.subgraphs[name].url])) as Record<ServiceName, string>;
  gateway = await startGateway({
    supergraphSdl: await composeFromServices(),
    config: { ...config, SUBGRAPH_TIMEOUT_MS: TIMEOUT_MS, SUBGRAPH_BREAKER_FAILURES: FAILURES_TO_OPEN, SUBGRAPH_BREAKER_RETRY_MS: RETRY_MS },
    verifier: graph.tokens.verifier(config),
    gatewaySecret: TEST_GATEWAY_SECRET,
    log: createLogger({ level: 'silent' }),
    subgraphUrls: { ...urls, credentials: credentials.url, funding: funding.url },
    listen: { port: 0, host: '127.0.0.1' },
  });
  client = new GraphClient(gateway.url, graph.tokens);
});
afterEach(async () => {
  await credentials.set('up');
  await funding.set('up');
  await untilWhole();
});
afterAll(async () => {
  await gateway?.stop();
  await credentials?.stop();
  await funding?.stop();
  await graph?.stop();
});

const page = () => client.query(PAGE, { as: 'LEARNER' });
const isWhole = (answer: GraphQLResponse) => !answer.errors && Array.isArray(answer.data?.me?.credentials);

/** Asks for the page until it is whole again; returns how long that took. */
async function untilWhole(withinMs = 5_000): Promise<number> {
  const started = performance.now();
  while (!isWhole(await page())) {
    if (performance.now() - started > withinMs) throw new Error(`the page was not whole again within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return performance.now() - started;
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

/** The gateway's /readyz: its status, and each subgraph's readiness and the circuits not closed from its details. */
async function readiness() {
  const response = await fetch(gateway.url.replace(/\/graphql$/, '/readyz'));
  const body = (await response.json()) as { status: string; details?: { subgraphs?: Record<string, string>; circuits?: Record<string, string> } };
  return { status: response.status, body, subgraphs: body.details?.subgraphs ?? {}, circuits: body.details?.circuits ?? {} };
}

/** The gateway's count of errors met asking `subgraph`, with `code`, from its /metrics. */
async function subgraphErrors(subgraph: string, code: string): Promise<number> {
  const text = await (await fetch(gateway.url.replace(/\/graphql$/, '/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(`tauliah_subgraph_errors_total{subgraph="${subgraph}",code="${code}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('the credentials service dead', () => {
  it("answers the learner's own data, and a coded error on the credentials alone", async () => {
    expect(isWhole(await page())).toBe(true);
    await credentials.set('down');
    const counted = await subgraphErrors('credentials', 'SUBGRAPH_UNAVAILABLE');

    const answer = await page();
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ me: { fullName: aisyah.fullName, credentials: null } });
    expect(answer.errors).toEqual([{ ...CREDENTIALS_UNAVAILABLE, path: ['me', 'credentials'] }]);
    expect(JSON.stringify(answer.errors)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|fetch failed|\n\s+at /);
    // Operators see it too: one failed call to credentials, counted at the gateway's /metrics.
    expect(await subgraphErrors('credentials', 'SUBGRAPH_UNAVAILABLE')).toBe(counted + 1);
  });

  it('reports the error at each learner of a list, and keeps each learner', async () => {
    await credentials.set('down');
    const other = learnerByKey('faizal');
    const answer = await client.query('query ($ids: [ID!]!) { learners(ids: $ids) { id credentials { id } } }', {
      as: 'ADMIN',
      variables: { ids: [aisyah.id, other.id] },
    });
    expect(answer.data).toEqual({ learners: [{ id: aisyah.id, credentials: null }, { id: other.id, credentials: null }] });
    expect(answer.errors).toEqual([
      { ...CREDENTIALS_UNAVAILABLE, path: ['learners', 0, 'credentials'] },
      { ...CREDENTIALS_UNAVAILABLE, path: ['learners', 1, 'credentials'] },
    ]);
  });

  it('is ready but degraded, naming the missing subgraph, and answers at once once its circuit is open', async () => {
    await credentials.set('down');
    for (let i = 0; i < FAILURES_TO_OPEN; i += 1) expect(codesOf(await page())).toEqual(['SUBGRAPH_UNAVAILABLE']);

    const ready = await readiness();
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('degraded');
    expect(ready.subgraphs).toEqual({ learners: 'ready', providers: 'ready', employers: 'ready', funding: 'ready', credentials: 'unreachable' });
    expect(['open', 'half-open']).toContain(ready.circuits.credentials);
    // The others' circuits stay closed: the learner's part of the page still came from learners.
    expect(Object.keys(ready.circuits)).toEqual(['credentials']);
  });

  it('closes the circuit once the subgraph is back, without restarting the gateway', async () => {
    await credentials.set('down');
    for (let i = 0; i < FAILURES_TO_OPEN; i += 1) await page();
    expect((await readiness()).circuits.credentials).toBeDefined();

    await credentials.set('up');
    // Probed every RETRY_MS through its /readyz: back within a few probes, with no request sacrificed to find out.
    expect(await untilWhole(3_000)).toBeLessThan(3_000);
    const ready = await readiness();
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
    expect(ready.circuits).toEqual({});
  });
});

describe('the funding service dead', () => {
  it("keeps every learner of a funder's eligibility batch while funding is down, with the error at each learner", async () => {
    await funding.set('down');
    const faizal = learnerByKey('faizal');
    const answer = await client.query(
      'query ($ids: [ID!]!, $scheme: ID!, $course: ID) { learners(ids: $ids) { id eligibility(schemeId: $scheme, courseId: $course) { eligible } } }',
      { as: 'FUNDER', variables: { ids: [faizal.id, aisyah.id], scheme: schemes.hrdCorpMicroCredential.id, course: courseId(approvedHrdCorpCourses[0]) } },
    );
    expect(answer.data).toEqual({ learners: [{ id: faizal.id, eligibility: null }, { id: aisyah.id, eligibility: null }] });
    const unavailable = { message: 'The funding service is not answering right now; try again shortly.', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } };
    expect(answer.errors).toEqual([
      { ...unavailable, path: ['learners', 0, 'eligibility'] },
      { ...unavailable, path: ['learners', 1, 'eligibility'] },
    ]);
  });
});

describe('the credentials service hung', () => {
  it(`fails fast once the circuit is open, well under the ${TIMEOUT_MS} ms timeout, and recovers when it answers again`, async () => {
    await credentials.set('hung');
    // The first calls wait out the timeout (at once, so the test waits it once): that is what opens the circuit.
    const first = await Promise.all(Array.from({ length: FAILURES_TO_OPEN }, () => timed(page)));
    for (const { ms, result } of first) {
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(ms).toBeLessThan(TIMEOUT_MS + 2_000);
      expect(result.data).toEqual({ me: { fullName: aisyah.fullName, credentials: null } });
      expect(result.errors).toEqual([{ ...CREDENTIALS_UNAVAILABLE, path: ['me', 'credentials'] }]);
    }

    // From then on nothing waits on the hung subgraph, though it still accepts connections.
    for (let i = 0; i < 5; i += 1) {
      const { ms, result } = await timed(page);
      expect(ms).toBeLessThan(1_000);
      expect(result.data).toEqual({ me: { fullName: aisyah.fullName, credentials: null } });
      expect(result.errors).toEqual([{ ...CREDENTIALS_UNAVAILABLE, path: ['me', 'credentials'] }]);
    }
    // Its own readiness answers within a Kubernetes probe's default second, naming the hung subgraph.
    const { ms, result: ready } = await timed(readiness);
    expect(ms).toBeLessThan(1_000);
    expect(ready.status).toBe(200);
    expect(ready.subgraphs.credentials).toBe('unreachable');

    await credentials.set('up');
    expect(await untilWhole(3_000)).toBeLessThan(3_000);
  });
});

describe('errors that are answers', () => {
  it("never open a circuit: a subgraph's coded refusals and bad input prove it is answering", async () => {
    for (let i = 0; i < FAILURES_TO_OPEN * 3; i += 1) {
      expect(codesOf(await client.query('query ($id: ID!) { credential(id: $id) { id } }', { as: 'ADMIN', variables: { id: randomUUID() } }))).toEqual(['NOT_FOUND']);
      expect(codesOf(await client.query('{ credential(id: "not-an-id") { id } }', { as: 'ADMIN' }))).toEqual(['BAD_USER_INPUT']);
      expect(codesOf(await client.query(`{ credential(id: "${randomUUID()}") { id } }`))).not.toContain('SUBGRAPH_UNAVAILABLE');
    }
    expect((await readiness()).circuits).toEqual({});
    expect(isWhole(await page())).toBe(true);
  });

  it("one subgraph's outage does not open the circuit of a subgraph that reads from it", async () => {
    // Learner.pathways reads pathway definitions from providers through the graph; credentials answers
    // SUBGRAPH_UNAVAILABLE for that field (HTTP 503, with the rest of its data) while providers is down.
    const query = '{ me { fullName credentials { title } pathways { creditsEarned } } }';
    const before = await client.ok(query, { as: 'LEARNER' });
    expect(before.me.pathways.length).toBeGreaterThan(0);

    await graph.running.subgraphs.providers.stop();
    for (let i = 0; i < FAILURES_TO_OPEN * 2; i += 1) {
      const answer = await client.query(query, { as: 'LEARNER' });
      expect(answer.data).toEqual({ me: { fullName: aisyah.fullName, credentials: before.me.credentials, pathways: null } });
      expect(answer.errors).toMatchObject([{ path: ['me', 'pathways'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }]);
    }
    const ready = await readiness();
    expect(ready.subgraphs).toMatchObject({ providers: 'unreachable', credentials: 'ready' });
    expect(ready.circuits.credentials).toBeUndefined();
  });
});
