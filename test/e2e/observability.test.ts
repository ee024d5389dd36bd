import { createLogger, MAX_OPERATION_NAMES, SERVICE_NAMES, startTelemetry, type Telemetry } from '@tauliah/core';
import { codesOf, eventually } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What an operator sees of the graph: Prometheus metrics at /metrics on every
// process, and OpenTelemetry traces from the gateway through each subgraph to
// its SQL, exported over OTLP/HTTP to a collector (here, one this test starts
// on loopback, speaking the JSON protocol).

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  service: string;
}

/** A minimal OTLP/HTTP collector: takes POST /v1/traces (JSON) and keeps every span. */
async function startOtlpReceiver(): Promise<{ url: string; spans: ExportedSpan[]; close(): Promise<void> }> {
  const spans: ExportedSpan[] = [];
  const valueOf = (value: Record<string, unknown>): unknown => value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue;
  const attributes = (list: Array<{ key: string; value: Record<string, unknown> }> = []) => Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !String(req.headers['content-type']).includes('json')) {
        res.writeHead(415).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      const body = JSON.parse((req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8'));
      for (const resourceSpans of body.resourceSpans ?? []) {
        const service = String(attributes(resourceSpans.resource?.attributes)['service.name']);
        for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
          for (const span of scopeSpans.spans ?? []) {
            spans.push({ ...span, parentSpanId: span.parentSpanId || undefined, attributes: attributes(span.attributes), service });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The sum of a metric's series that carry `labels` in Prometheus's text format (0 when none: a counter not yet moved). */
function valueOf(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)\{(.*)\} (\S+)$/.exec(line);
    if (match?.[1] === name && wanted.every((label) => match[2]!.split(/,(?=[a-zA-Z_]\w*=")/).includes(label))) sum += Number(match[3]);
  }
  return sum;
}

/** The distinct values one label takes among a metric's series for one service. */
function labelValues(text: string, name: string, service: string, label: string): Set<string> {
  const values = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) || !line.includes(`service="${service}"`)) continue;
    const value = new RegExp(`${label}="([^"]*)"`).exec(line)?.[1];
    if (value !== undefined) values.add(value);
  }
  return values;
}

const log = createLogger({ level: 'silent' });
let graph: TestGraph;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let telemetry: Telemetry;

/** What one process's /metrics says right now. */
async function scrape(url: string): Promise<string> {
  const response = await fetch(new URL('/metrics', url));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
  return response.text();
}
const gatewayMetrics = () => scrape(graph.running.gateway.url);
const subgraphMetrics = (name: (typeof SERVICE_NAMES)[number]) => scrape(graph.running.subgraphs[name].url);

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // Before the graph starts, as each process's entry point does.
  telemetry = await startTelemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }, { service: 'tauliah', log });
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.stop();
  await telemetry?.stop();
  await receiver?.close();
});

/** A Malaysian's date of birth, citizenship and an NRIC that agrees with them (the learners service checks it). */
function aMalaysian(yymmdd: string) {
  const serial = String(1000 + Math.floor(Math.random() * 9000));
  return { dateOfBirth: `19${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`, citizenship: 'MALAYSIAN', nric: `${yymmdd}-14-${serial}` };
}

const CATALOGUE = 'query Catalogue { courses(first: 2) { totalCount edges { node { code title } } } }';

describe('metrics at /metrics', () => {
  it('counts GraphQL requests by operation and outcome code, and times them, at the gateway and at the subgraph that answered', async () => {
    const [gatewayBefore, providersBefore] = [await gatewayMetrics(), await subgraphMetrics('providers')];
    for (let i = 0; i < 3; i++) await graph.gateway.ok(CATALOGUE);
    await graph.gateway.ok('{ courses(first: 1) { totalCount } }');
    expect(codesOf(await graph.gateway.query('query Me { me { fullName } }'))).toEqual(['UNAUTHENTICATED']);
    const refused = await graph.gateway.query(CATALOGUE, { token: 'not-a-token' });
    expect(refused.status).toBe(401);
    const [gateway, providers] = [await gatewayMetrics(), await subgraphMetrics('providers')];

    const moved = (after: string, before: string, name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    const requests = 'tauliah_graphql_requests_total';
    expect(moved(gateway, gatewayBefore, requests, { service: 'gateway', operation: 'Catalogue', code: 'OK' })).toBe(3);
    expect(moved(gateway, gatewayBefore, requests, { service: 'gateway', operation: 'anonymous', code: 'OK' })).toBe(1);
    // A partial answer counts under its first error's code.
    expect(moved(gateway, gatewayBefore, requests, { service: 'gateway', operation: 'Me', code: 'UNAUTHENTICATED' })).toBe(1);
    // Refused before any operation was read: the operation is unknown, the code is the refusal's.
    expect(moved(gateway, gatewayBefore, requests, { service: 'gateway', operation: 'unknown', code: 'UNAUTHENTICATED' })).toBe(1);
    expect(moved(gateway, gatewayBefore, 'tauliah_graphql_request_duration_seconds_count', { service: 'gateway', operation: 'Catalogue' })).toBe(3);
    expect(valueOf(gateway, 'tauliah_graphql_request_duration_seconds_bucket', { service: 'gateway', operation: 'Catalogue', le: '+Inf' })).toBeGreaterThanOrEqual(3);
    expect(moved(gateway, gatewayBefore, 'tauliah_http_requests_total', { service: 'gateway', route: 'graphql', status: '401' })).toBe(1);
    expect(moved(gateway, gatewayBefore, 'tauliah_http_requests_total', { service: 'gateway', route: 'graphql', status: '200' })).toBe(5);

    // The providers subgraph answered the gateway's fetches, named by the query plan after the client's operation.
    const planned = [...labelValues(providers, requests, 'providers', 'operation')].filter((name) => name.startsWith('Catalogue__providers__'));
    expect(planned).toHaveLength(1);
    expect(moved(providers, providersBefore, requests, { service: 'providers', operation: planned[0]!, code: 'OK' })).toBe(3);
    // ...and ran its SQL, timed under its own name.
    expect(moved(providers, providersBefore, 'tauliah_db_statement_duration_seconds_count', { service: 'providers', statement: 'select', outcome: 'ok' })).toBeGreaterThanOrEqual(3);
    // None left in flight. The gauge is the process's: a test process may run other graphs' workers too, so it is read until it settles.
    await eventually(async () => valueOf(await subgraphMetrics('providers'), 'tauliah_db_statements_in_flight', { service: 'providers' }) === 0, 'no providers statement is in flight');
    // The process's own figures are there too.
    expect(providers).toMatch(/^process_cpu_seconds_total \d/m);
    expect(providers).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
  });

  it('serves /metrics on every subgraph, counting probes and unknown paths by route, never by path', async () => {
    const probeId = randomUUID();
    await fetch(new URL(`/no-such-place/${probeId}`, graph.running.subgraphs.funding.url));
    await fetch(new URL('/readyz', graph.running.subgraphs.funding.url));
    // A scrape is counted once answered: the second sees the first.
    for (const name of SERVICE_NAMES) await subgraphMetrics(name);
    for (const name of SERVICE_NAMES) {
      const text = await subgraphMetrics(name);
      expect(valueOf(text, 'tauliah_http_requests_total', { service: name, route: 'metrics', status: '200' })).toBeGreaterThanOrEqual(1);
    }
    const funding = await subgraphMetrics('funding');
    expect(valueOf(funding, 'tauliah_http_requests_total', { service: 'funding', route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(funding, 'tauliah_http_requests_total', { service: 'funding', route: 'readyz', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(funding).not.toContain(probeId);
    const refused = await fetch(new URL('/metrics', graph.running.gateway.url), { method: 'POST' });
    expect(refused.status).toBe(405);
  });

  it('keeps operation names to a bounded set however many a client invents', async () => {
    for (let i = 0; i < MAX_OPERATION_NAMES + 20; i++) await graph.gateway.ok(`query Invented${i} { __typename }`);
    const operations = labelValues(await gatewayMetrics(), 'tauliah_graphql_requests_total', 'gateway', 'operation');
    expect(operations.size).toBeLessThanOrEqual(MAX_OPERATION_NAMES + 3);
    expect(operations).toContain('other');
  });

  it("reports the learners' outbox lag, back to nothing waiting once the relay has published", async () => {
    const registered = await graph.gateway.ok(
      `mutation Register($input: RegisterLearnerInput!) { registerLearner(input: $input) { learner { id } } }`,
      {
        as: { role: 'LEARNER', sub: randomUUID() },
        variables: { input: { fullName: 'Lag Probe', email: `lag.${randomUUID().slice(0, 8)}@example.my`, ...aMalaysian('900102') } },
      },
    );
    expect(registered.registerLearner.learner.id).toBeTruthy();
    await eventually(async () => {
      const text = await subgraphMetrics('learners');
      return text.includes('tauliah_queue_backlog{service="learners",queue="outbox"} 0') && text.includes('tauliah_queue_oldest_age_seconds{service="learners",queue="outbox"} 0');
    }, "the learners' outbox reported empty");
  });

  it('carries no learner id, e-mail, token or request id, whatever the requests carried', async () => {
    const learnerId = '8ce2db9e-0bac-5541-9622-9d1eacdccd68';
    const token = await graph.tokens.tokenFor('LEARNER');
    const requestId = `probe-${randomUUID()}`;
    const email = `probe.${randomUUID().slice(0, 8)}@example.my`;
    await graph.gateway.query(`query Profile { me { fullName email } learner(id: "${learnerId}") { fullName } }`, { token, headers: { 'x-request-id': requestId } });
    await graph.gateway.query(`mutation Register($input: RegisterLearnerInput!) { registerLearner(input: $input) { learner { id } } }`, {
      as: { role: 'LEARNER', sub: randomUUID() },
      variables: { input: { fullName: 'Metrics Probe', email, ...aMalaysian('910304') } },
    });
    await graph.gateway.query(CATALOGUE, { token: `${token}tampered` });
    const texts = [await gatewayMetrics(), ...(await Promise.all(SERVICE_NAMES.map(subgraphMetrics)))];
    for (const text of texts) {
      for (const secret of [learnerId, token, token.split('.')[1]!, requestId, email, 'Metrics Probe']) expect(text).not.toContain(secret);
    }
  });
});

describe('traces over OTLP', () => {
  /** The spans exported for one trace so far. */
  const traceOf = (traceId: string) => receiver.spans.filter((span) => span.traceId === traceId);

  it('follows one request from the gateway through the subgraph to its SQL, under one trace id carrying the request id', async () => {
    const requestId = `trace-${randomUUID()}`;
    await graph.gateway.ok(CATALOGUE, { headers: { 'x-request-id': requestId } });
    let trace: ExportedSpan[] = [];
    await eventually(async () => {
      await telemetry.flush();
      const root = receiver.spans.find((span) => span.attributes['tauliah.request.id'] === requestId && span.attributes['tauliah.service'] === 'gateway');
      trace = root ? traceOf(root.traceId) : [];
      return trace.some((span) => span.attributes['db.system.name'] === 'postgresql');
    }, 'the trace reached the collector with its SQL spans');

    const SERVER = 2;
    const CLIENT = 3;
    const gateway = trace.find((span) => span.kind === SERVER && span.attributes['tauliah.service'] === 'gateway')!;
    expect(gateway).toMatchObject({ name: 'query Catalogue', parentSpanId: undefined, service: 'tauliah' });
    expect(gateway.attributes).toMatchObject({ 'http.route': '/graphql', 'graphql.operation.name': 'Catalogue', 'http.response.status_code': 200, 'tauliah.outcome.code': 'OK' });

    const providers = trace.find((span) => span.kind === SERVER && span.attributes['tauliah.service'] === 'providers')!;
    expect(providers.attributes['tauliah.request.id']).toBe(requestId);
    // The subgraph's span hangs under the gateway's call to it (a client span), which hangs under the gateway's request.
    const call = trace.find((span) => span.spanId === providers.parentSpanId)!;
    expect(call.kind).toBe(CLIENT);
    const ancestors = (span: ExportedSpan): string[] => {
      const parent = trace.find((candidate) => candidate.spanId === span.parentSpanId);
      return parent ? [parent.spanId, ...ancestors(parent)] : [];
    };
    expect(ancestors(call)).toContain(gateway.spanId);

    const statements = trace.filter((span) => span.attributes['db.system.name'] === 'postgresql');
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.kind).toBe(CLIENT);
      expect(statement.attributes['tauliah.service']).toBe('providers');
      expect(ancestors(statement)).toContain(providers.spanId);
      expect(String(statement.attributes['db.query.text'])).toMatch(/^select /);
    }
  });

  it("continues the trace through a service's read of another's data through the graph", async () => {
    // An employer's token at the learners subgraph: learners confirms the staff account by asking the graph.
    const requestId = `trace-${randomUUID()}`;
    await graph.gateway.query('query Candidate { learner(id: "316c871e-221b-5c2e-8a99-bca4dd08bca0") { fullName } }', {
      as: 'EMPLOYER',
      headers: { 'x-request-id': requestId },
    });
    let trace: ExportedSpan[] = [];
    await eventually(async () => {
      await telemetry.flush();
      const root = receiver.spans.find((span) => span.attributes['tauliah.request.id'] === requestId && !span.parentSpanId);
      trace = root ? traceOf(root.traceId) : [];
      return trace.some((span) => span.name === 'graph read') && trace.filter((span) => span.attributes['tauliah.service'] === 'employers').length > 0;
    }, 'the trace of the staff check reached the collector');

    const read = trace.find((span) => span.name === 'graph read')!;
    expect(read.kind).toBe(3);
    // The gateway answered the read inside the same trace, under the read's span.
    const inner = trace.find((span) => span.parentSpanId === read.spanId)!;
    expect(inner).toMatchObject({ kind: 2 });
    expect(inner.attributes['tauliah.service']).toBe('gateway');
    expect(trace.filter((span) => span.kind === 2 && span.attributes['tauliah.service'] === 'gateway')).toHaveLength(2);
  });
});

describe('errors the gateway meets at the subgraphs', () => {
  it("counts each subgraph's coded errors, and a subgraph that stops answering as SUBGRAPH_UNAVAILABLE, once per call", async () => {
    const before = await gatewayMetrics();
    expect(codesOf(await graph.gateway.query('query Me { me { fullName } }'))).toEqual(['UNAUTHENTICATED']);
    // Last in this file: the funding subgraph goes away.
    await graph.running.subgraphs.funding.stop();
    const answer = await graph.gateway.query('query Schemes { schemes { code name } }', { as: 'FUNDER' });
    expect(codesOf(answer)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    const after = await gatewayMetrics();

    const moved = (name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(moved('tauliah_subgraph_errors_total', { subgraph: 'learners', code: 'UNAUTHENTICATED' })).toBe(1);
    expect(moved('tauliah_subgraph_errors_total', { subgraph: 'funding', code: 'SUBGRAPH_UNAVAILABLE' })).toBe(1);
    // The client's request counts under the first error's code (under whichever operation label the names left).
    expect(moved('tauliah_graphql_requests_total', { service: 'gateway', code: 'SUBGRAPH_UNAVAILABLE' })).toBe(1);
  });

  it("shows each subgraph's circuit: open once the stopped subgraph failed often enough", async () => {
    await eventually(async () => {
      await graph.gateway.query('query Schemes { schemes { code } }', { as: 'FUNDER' });
      return valueOf(await gatewayMetrics(), 'tauliah_subgraph_circuit', { subgraph: 'funding', state: 'open' }) === 1;
    }, "the funding circuit reported open");
    const text = await gatewayMetrics();
    expect(valueOf(text, 'tauliah_subgraph_circuit', { subgraph: 'funding', state: 'closed' })).toBe(0);
    expect(valueOf(text, 'tauliah_subgraph_circuit', { subgraph: 'providers', state: 'closed' })).toBe(1);
  });
});
