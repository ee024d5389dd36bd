import { ApolloServer } from '@apollo/server';
import { openTestDatabase } from '@tauliah/testing';
import { buildSchema } from 'graphql';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { pgSchema } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createErrorFormatter,
  createLogger,
  defineEvent,
  JetStreamTransport,
  outboxTable,
  recordEvent,
  requestLogPlugin,
  startGraphHttpServer,
  startOutboxRelay,
  type DatabaseConnection,
} from '../src/index.ts';
import { MAX_OPERATION_NAMES, OPERATION } from '../src/telemetry/labels.ts';
import { metricsText, observeBacklog, observeDatabasePool, operationLabel, recordSubgraphCircuit, recordSubgraphError } from '../src/telemetry/metrics.ts';
import { attributeStatements, observeSqlStatements, sqlObservable, statementKind } from '../src/telemetry/sql.ts';
import { metricsScrapeAllowed, startTelemetry } from '../src/telemetry/start.ts';
import { injectTraceContext, tracingOn } from '../src/telemetry/tracing.ts';

const log = createLogger({ level: 'silent' });

/** The value of one series in Prometheus's text format, or undefined when the series is absent. */
function valueOf(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(/,(?=[a-zA-Z_]\w*=")/);
    if (wanted.every((label) => present.includes(label))) return Number(match[3]);
  }
  return undefined;
}

let connection: DatabaseConnection;
beforeAll(async () => {
  connection = await openTestDatabase({ template: false });
});
afterAll(() => connection?.close());

describe('metric labels', () => {
  it('keeps a service to a bounded set of operation names, whatever clients call their operations', () => {
    const names = Array.from({ length: MAX_OPERATION_NAMES + 50 }, (_, i) => `Probe${i}`);
    const labels = new Set(names.map((name) => operationLabel('label-probe', name, true)));
    expect(labels.size).toBe(MAX_OPERATION_NAMES + 1);
    expect(labels).toContain(OPERATION.other);
    // A name already counted keeps its series; every new one past the limit is `other`.
    expect(operationLabel('label-probe', 'Probe0', true)).toBe('Probe0');
    expect(operationLabel('label-probe', 'NewAfterTheLimit', true)).toBe(OPERATION.other);
    // Another service has its own allowance.
    expect(operationLabel('label-probe-2', 'Probe149', true)).toBe('Probe149');
  });

  it('names operations without a name, and requests that never reached one', () => {
    expect(operationLabel('label-probe-3', null, true)).toBe(OPERATION.anonymous);
    expect(operationLabel('label-probe-3', 'Courses', false)).toBe(OPERATION.unknown);
    expect(operationLabel('label-probe-3', `A${'b'.repeat(64)}`, true)).toBe(OPERATION.other);
  });

  it('counts subgraph errors by subgraph and code, and a code that is not one as OTHER', async () => {
    // The counters are the process's: other tests in this process may have counted before.
    const baseline = await metricsText();
    const before = (code: string) => valueOf(baseline, 'tauliah_subgraph_errors_total', { subgraph: 'funding', code }) ?? 0;
    recordSubgraphError('funding', 'SUBGRAPH_UNAVAILABLE');
    recordSubgraphError('funding', 'SUBGRAPH_UNAVAILABLE');
    recordSubgraphError('funding', 'select * from learners; -- not a code');
    const text = await metricsText();
    expect(valueOf(text, 'tauliah_subgraph_errors_total', { subgraph: 'funding', code: 'SUBGRAPH_UNAVAILABLE' })).toBe(before('SUBGRAPH_UNAVAILABLE') + 2);
    expect(valueOf(text, 'tauliah_subgraph_errors_total', { subgraph: 'funding', code: 'OTHER' })).toBe(before('OTHER') + 1);
    expect(text).not.toContain('select * from learners');
  });

  it("shows a subgraph's circuit by its one current state", async () => {
    recordSubgraphCircuit('credentials', 'closed');
    recordSubgraphCircuit('credentials', 'open');
    const text = await metricsText();
    expect(valueOf(text, 'tauliah_subgraph_circuit', { subgraph: 'credentials', state: 'open' })).toBe(1);
    expect(valueOf(text, 'tauliah_subgraph_circuit', { subgraph: 'credentials', state: 'closed' })).toBe(0);
    expect(valueOf(text, 'tauliah_subgraph_circuit', { subgraph: 'credentials', state: 'half-open' })).toBe(0);
  });
});

describe('the outbox lag', () => {
  it('reports how many events wait and how old the oldest is while the broker is unreachable, and stops with the relay', async () => {
    const schemaName = `telemetry_${randomBytes(4).toString('hex')}`;
    const outbox = outboxTable(pgSchema(schemaName));
    const counted = defineEvent('learners', 'test.lag', z.object({ n: z.number().int() }));
    await connection.query(`create schema ${schemaName}`);
    await connection.query(`create table ${schemaName}.outbox (
      position bigserial primary key, id uuid not null unique default gen_random_uuid(), subject text not null,
      payload jsonb not null, created_at timestamptz not null default now(), published_at timestamptz)`);
    const { db } = connection.drizzle({ outbox });
    await db.transaction(async (tx) => {
      for (const n of [1, 2, 3]) await recordEvent(tx, outbox, counted, { n });
    });
    // The first event has waited a minute and a half.
    await connection.query(`update ${schemaName}.outbox set created_at = now() - interval '90 seconds' where position = (select min(position) from ${schemaName}.outbox)`);

    const down = new JetStreamTransport({ servers: 'nats://127.0.0.1:1', namespace: 'unreachable', log, timeoutMs: 300 });
    const relay = startOutboxRelay({ db, outbox, transport: down, log, pollMs: 50 });
    try {
      await expect(relay.flush()).rejects.toThrow();
      const text = await metricsText();
      const labels = { service: schemaName, queue: 'outbox' };
      expect(valueOf(text, 'tauliah_queue_backlog', labels)).toBe(3);
      const age = valueOf(text, 'tauliah_queue_oldest_age_seconds', labels)!;
      expect(age).toBeGreaterThanOrEqual(90);
      expect(age).toBeLessThan(90 + 60);
    } finally {
      await relay.stop();
      await down.close();
    }
    expect(valueOf(await metricsText(), 'tauliah_queue_backlog', { service: schemaName, queue: 'outbox' })).toBeUndefined();
    await connection.query(`drop schema ${schemaName} cascade`);
  });

  it('leaves out a backlog it cannot read in time or at all, and still answers the scrape', async () => {
    const stopHung = observeBacklog('webhooks', 'hung-probe', () => new Promise(() => {}));
    const stopFailing = observeBacklog('webhooks', 'failing-probe', () => Promise.reject(new Error('database unreachable')));
    const stopWorking = observeBacklog('webhooks', 'working-probe', async () => ({ backlog: 4, oldestAgeSeconds: 12.5 }));
    try {
      const started = performance.now();
      const text = await metricsText();
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(valueOf(text, 'tauliah_queue_backlog', { service: 'hung-probe' })).toBeUndefined();
      expect(valueOf(text, 'tauliah_queue_backlog', { service: 'failing-probe' })).toBeUndefined();
      expect(valueOf(text, 'tauliah_queue_backlog', { service: 'working-probe', queue: 'webhooks' })).toBe(4);
      expect(valueOf(text, 'tauliah_queue_oldest_age_seconds', { service: 'working-probe', queue: 'webhooks' })).toBe(12.5);
    } finally {
      stopHung();
      stopFailing();
      stopWorking();
    }
  });
});

describe('database pools and statements', () => {
  it("adds up the process's pools at each scrape, and forgets a closed one", async () => {
    // Figures already reported (this file's own database, once the database module reports its pools) are the baseline.
    const figure = (text: string, name: string, labels: Record<string, string>) => valueOf(text, name, labels) ?? 0;
    const baseline = await metricsText();
    const stopFirst = observeDatabasePool(() => ({ driver: 'postgres', max: 10, open: 4, idle: 1, waiting: 2 }));
    const stopSecond = observeDatabasePool(() => ({ driver: 'postgres', max: 5 }));
    const stopEmbedded = observeDatabasePool(() => ({ driver: 'pglite', max: 1 }));
    const added = async (name: string, labels: Record<string, string>) => figure(await metricsText(), name, labels) - figure(baseline, name, labels);
    expect(await added('tauliah_db_pool_connections', { driver: 'postgres', state: 'max' })).toBe(15);
    expect(await added('tauliah_db_pool_connections', { driver: 'postgres', state: 'open' })).toBe(4);
    expect(await added('tauliah_db_pool_connections', { driver: 'postgres', state: 'idle' })).toBe(1);
    expect(await added('tauliah_db_pool_waiting', { driver: 'postgres' })).toBe(2);
    expect(await added('tauliah_db_pool_connections', { driver: 'pglite', state: 'max' })).toBe(1);
    stopFirst();
    expect(await added('tauliah_db_pool_connections', { driver: 'postgres', state: 'max' })).toBe(5);
    expect(await added('tauliah_db_pool_connections', { driver: 'postgres', state: 'open' })).toBe(0);
    expect(valueOf(await metricsText(), 'tauliah_db_pool_waiting', { driver: 'postgres' })).toBe(valueOf(baseline, 'tauliah_db_pool_waiting', { driver: 'postgres' }));
    stopSecond();
    stopEmbedded();
    expect(await added('tauliah_db_pool_connections', { driver: 'pglite', state: 'max' })).toBe(0);
  });

  it("times every statement drizzle runs under its service, failed ones apart, and counts none in flight once they are answered", async () => {
    expect(sqlObservable()).toBe(true);
    observeSqlStatements();
    const { db, statements } = connection.drizzle({});
    attributeStatements(statements, 'sql-probe');
    await db.execute(sql`select 1`);
    await db.transaction(async (tx) => {
      await tx.execute(sql`select 2`);
    });
    await expect(db.execute(sql`select * from no_such_table_for_telemetry`)).rejects.toThrow();

    const text = await metricsText();
    expect(valueOf(text, 'tauliah_db_statement_duration_seconds_count', { service: 'sql-probe', statement: 'select', outcome: 'ok' })).toBe(2);
    expect(valueOf(text, 'tauliah_db_statement_duration_seconds_count', { service: 'sql-probe', statement: 'select', outcome: 'error' })).toBe(1);
    expect(valueOf(text, 'tauliah_db_statements_in_flight', { service: 'sql-probe' })).toBe(0);
    // Parameters never reach a label: the statement's kind does.
    expect(text).not.toContain('no_such_table_for_telemetry');
  });

  it('names a statement by its first keyword', () => {
    expect(statementKind('select "id" from "learners"."learner"')).toBe('select');
    expect(statementKind('  INSERT into x values ($1)')).toBe('insert');
    expect(statementKind('with recent as (select 1) select * from recent')).toBe('with');
    expect(statementKind('(select 1) union (select 2)')).toBe('select');
    expect(statementKind('create schema x')).toBe('other');
  });
});

describe('telemetry settings', () => {
  it('lets anyone scrape /metrics without a token set, and only its bearer once one is', async () => {
    expect(metricsScrapeAllowed(undefined)).toBe(true);
    const telemetry = await startTelemetry({ METRICS_TOKEN: 'scrape-token-0123456789' }, { service: 'probe', log });
    try {
      expect(tracingOn()).toBe(false);
      expect(metricsScrapeAllowed(undefined)).toBe(false);
      expect(metricsScrapeAllowed('Bearer wrong-token-0123456789')).toBe(false);
      expect(metricsScrapeAllowed('Bearer scrape-token-012345678')).toBe(false);
      expect(metricsScrapeAllowed('Basic scrape-token-0123456789')).toBe(false);
      expect(metricsScrapeAllowed('Bearer scrape-token-0123456789')).toBe(true);
    } finally {
      await telemetry.stop();
    }
    expect(metricsScrapeAllowed(undefined)).toBe(true);
  });

  it('adds no trace header to outgoing requests while tracing is off', () => {
    expect(tracingOn()).toBe(false);
    const headers: Record<string, string> = { 'x-request-id': 'r-1' };
    injectTraceContext(headers);
    expect(headers).toEqual({ 'x-request-id': 'r-1' });
  });
});

describe('/metrics over HTTP', () => {
  it('counts requests refused before any operation under `unknown` with their code, and asks for the scrape token once one is set', async () => {
    const apollo = new ApolloServer<{ log: typeof log }>({
      schema: buildSchema('type Query { ok: Boolean }'),
      rootValue: { ok: () => true },
      formatError: createErrorFormatter(),
      plugins: [requestLogPlugin()],
    });
    const server = await startGraphHttpServer(
      { name: 'http-probe', apollo, log, maxBodyBytes: 100, context: async ({ log: requestLog }) => ({ log: requestLog }) },
      { port: 0, host: '127.0.0.1' },
    );
    const post = (body: string) => fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const metricsUrl = server.url.replace('/graphql', '/metrics');
    try {
      expect((await post('{"query":"query Ok { ok }"}')).status).toBe(200);
      expect((await post('{"query": "query Ok {')).status).toBe(400);
      expect((await post(JSON.stringify({ query: `query Long { ok } # ${'x'.repeat(200)}` }))).status).toBe(413);
      expect((await post(JSON.stringify({ query: 'query Broken { ok(' }))).status).toBe(400);

      const text = await (await fetch(metricsUrl)).text();
      const requests = (operation: string, code: string) => valueOf(text, 'tauliah_graphql_requests_total', { service: 'http-probe', operation, code });
      expect(requests('Ok', 'OK')).toBe(1);
      expect(requests('unknown', 'BAD_REQUEST')).toBe(1);
      expect(requests('unknown', 'PAYLOAD_TOO_LARGE')).toBe(1);
      expect(requests('unknown', 'GRAPHQL_PARSE_FAILED')).toBe(1);
      expect(valueOf(text, 'tauliah_http_requests_total', { service: 'http-probe', route: 'graphql', status: '413' })).toBe(1);

      const telemetry = await startTelemetry({ METRICS_TOKEN: 'scrape-token-0123456789' }, { service: 'http-probe', log });
      try {
        const refused = await fetch(metricsUrl);
        expect(refused.status).toBe(401);
        expect(await refused.text()).not.toContain('tauliah_');
        expect((await fetch(metricsUrl, { headers: { authorization: 'Bearer not-the-token-0123' } })).status).toBe(401);
        expect((await fetch(metricsUrl, { headers: { authorization: 'Bearer scrape-token-0123456789' } })).status).toBe(200);
      } finally {
        await telemetry.stop();
      }
    } finally {
      await server.stop();
    }
  });
});
