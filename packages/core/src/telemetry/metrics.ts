import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { BoundedLabel, CODE, MAX_CODES, MAX_OPERATION_NAMES, MAX_ROUTES, OPERATION, OPERATION_NAME, ROUTE } from './labels.ts';

/**
 * The process's metrics, in a registry of its own (not prom-client's global
 * one): every server of the process serves it at /metrics. Every series but
 * the process's own (CPU, memory, event loop) carries the `service` it
 * belongs to, so the subgraphs and gateway of one process (`tauliah up`,
 * tests) stay apart. Labels are operation names, codes, routes and statuses,
 * each bounded (labels.ts): never an id, a token or anything a caller sent
 * verbatim beyond a GraphQL operation name.
 */
const registry = new Registry();

export const METRICS_CONTENT_TYPE = registry.contentType;

const graphqlRequests = new Counter({
  name: 'tauliah_graphql_requests_total',
  help: 'GraphQL requests answered, by operation name and outcome code (OK, or the first error code).',
  labelNames: ['service', 'operation', 'code'],
  registers: [registry],
});

const graphqlDuration = new Histogram({
  name: 'tauliah_graphql_request_duration_seconds',
  help: 'Time from receiving a GraphQL request to sending its answer, by operation name.',
  labelNames: ['service', 'operation'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

const httpRequests = new Counter({
  name: 'tauliah_http_requests_total',
  help: 'HTTP requests answered, by route (graphql, healthz, readyz, metrics, the first path segment of other routes, or unmatched) and status.',
  labelNames: ['service', 'route', 'status'],
  registers: [registry],
});

const subgraphErrors = new Counter({
  name: 'tauliah_subgraph_errors_total',
  help: "Errors the gateway met asking each subgraph, by code: the subgraph's own coded errors, and SUBGRAPH_UNAVAILABLE for each call it did not answer.",
  labelNames: ['subgraph', 'code'],
  registers: [registry],
});

const subgraphCircuit = new Gauge({
  name: 'tauliah_subgraph_circuit',
  help: "The state of the gateway's circuit to each subgraph: 1 for its current state (closed, open, half-open), 0 for the others.",
  labelNames: ['subgraph', 'state'],
  registers: [registry],
});

const statementsInFlight = new Gauge({
  name: 'tauliah_db_statements_in_flight',
  help: 'SQL statements sent and not yet answered, by service: beyond the pool size they wait for a connection.',
  labelNames: ['service'],
  registers: [registry],
});

const statementDuration = new Histogram({
  name: 'tauliah_db_statement_duration_seconds',
  help: 'Time an SQL statement took, waiting for a connection included, by statement kind and outcome (ok, error).',
  labelNames: ['service', 'statement', 'outcome'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
  registers: [registry],
});

const droppedLogLines = new Counter({
  name: 'tauliah_log_lines_dropped_total',
  help: "Log lines dropped because standard output's reader fell more than 16 MiB behind.",
  registers: [registry],
});

/** A log line was dropped: its reader is too far behind (logger.ts). */
export function recordDroppedLogLine(): void {
  droppedLogLines.inc();
}

/** A database connection's pool at the moment of a scrape. */
export interface DatabasePoolReport {
  driver: 'pglite' | 'postgres';
  /** The most connections the pool opens (1 for the embedded database). */
  max: number;
  /** Connections open now, and of those the idle ones, where the driver tells. */
  open?: number;
  idle?: number;
  /** Statements waiting for a connection, where the driver tells. */
  waiting?: number;
}

const pools = new Set<() => DatabasePoolReport>();
const POOL_STATES = ['max', 'open', 'idle', 'waiting'] as const;

/** The process's pools added up per driver; a figure no pool of a driver reports is left out. */
function poolTotals(): Map<DatabasePoolReport['driver'], Partial<Record<(typeof POOL_STATES)[number], number>>> {
  const totals = new Map<DatabasePoolReport['driver'], Partial<Record<(typeof POOL_STATES)[number], number>>>();
  for (const report of pools) {
    const figures = report();
    const total = totals.get(figures.driver) ?? {};
    for (const state of POOL_STATES) {
      const value = figures[state];
      if (value !== undefined) total[state] = (total[state] ?? 0) + value;
    }
    totals.set(figures.driver, total);
  }
  return totals;
}

new Gauge({
  name: 'tauliah_db_pool_connections',
  help: "Database connections of the process's pools, by driver: max (the pool size), open and idle (where the driver reports them).",
  labelNames: ['driver', 'state'],
  registers: [registry],
  collect() {
    this.reset();
    for (const [driver, total] of poolTotals()) {
      for (const state of ['max', 'open', 'idle'] as const) if (total[state] !== undefined) this.set({ driver, state }, total[state]);
    }
  },
});

new Gauge({
  name: 'tauliah_db_pool_waiting',
  help: 'Statements waiting for a database connection, by driver, where the driver reports them.',
  labelNames: ['driver'],
  registers: [registry],
  collect() {
    this.reset();
    for (const [driver, total] of poolTotals()) if (total.waiting !== undefined) this.set({ driver }, total.waiting);
  },
});

/** What a queue of work waiting to leave the process (an outbox, webhooks) holds at the moment of a scrape. */
export interface BacklogReport {
  /** Items waiting. */
  backlog: number;
  /** Age of the oldest item waiting, in seconds (0 when none waits). */
  oldestAgeSeconds: number;
}

export type BacklogQueue = 'outbox' | 'webhooks';

interface BacklogSource {
  queue: BacklogQueue;
  service: string;
  read: () => Promise<BacklogReport>;
}

const backlogs = new Set<BacklogSource>();
/** How long a scrape waits for a backlog's figures (a database query) before leaving them out. */
const BACKLOG_READ_TIMEOUT_MS = 2_000;
let backlogRefresh: Promise<void> | undefined;

const backlogItems = new Gauge({
  name: 'tauliah_queue_backlog',
  help: 'Items waiting to leave the process, by queue (outbox: events not yet on the broker; webhooks: deliveries not yet made).',
  labelNames: ['service', 'queue'],
  registers: [registry],
  collect: () => refreshBacklogs(),
});

const backlogAge = new Gauge({
  name: 'tauliah_queue_oldest_age_seconds',
  help: 'Age of the oldest item waiting to leave the process, by queue: how far behind it is.',
  labelNames: ['service', 'queue'],
  registers: [registry],
  collect: () => refreshBacklogs(),
});

/** Reads every backlog once per scrape (both gauges ask); one that cannot be read in time is left out rather than stale. */
function refreshBacklogs(): Promise<void> {
  backlogRefresh ??= (async () => {
    backlogItems.reset();
    backlogAge.reset();
    const reads = [...backlogs].map(async (source) => ({ source, report: await withTimeout(source.read(), BACKLOG_READ_TIMEOUT_MS) }));
    const latest = new Map<string, BacklogReport & { labels: { service: string; queue: BacklogQueue } }>();
    for (const result of await Promise.allSettled(reads)) {
      if (result.status !== 'fulfilled') continue;
      const { source, report } = result.value;
      // Two relays of one service in one process (tests with two graphs): the larger figures stand.
      const key = `${source.service}\u0000${source.queue}`;
      const previous = latest.get(key);
      latest.set(key, {
        labels: { service: source.service, queue: source.queue },
        backlog: Math.max(report.backlog, previous?.backlog ?? 0),
        oldestAgeSeconds: Math.max(report.oldestAgeSeconds, previous?.oldestAgeSeconds ?? 0),
      });
    }
    for (const { labels, backlog, oldestAgeSeconds } of latest.values()) {
      backlogItems.set(labels, backlog);
      backlogAge.set(labels, oldestAgeSeconds);
    }
  })().finally(() => (backlogRefresh = undefined));
  return backlogRefresh;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const operationNames = new Map<string, BoundedLabel>();
const codes = new BoundedLabel(MAX_CODES, CODE, 'OTHER');
const routes = new Map<string, BoundedLabel>();

function boundedFor(labels: Map<string, BoundedLabel>, service: string, make: () => BoundedLabel): BoundedLabel {
  let label = labels.get(service);
  if (!label) labels.set(service, (label = make()));
  return label;
}

/** The operation label: a name (bounded per service), or `anonymous` / `unknown`. */
export function operationLabel(service: string, operationName: string | null | undefined, resolved: boolean): string {
  if (!resolved) return OPERATION.unknown;
  if (!operationName) return OPERATION.anonymous;
  return boundedFor(operationNames, service, () => new BoundedLabel(MAX_OPERATION_NAMES, OPERATION_NAME, OPERATION.other)).of(operationName);
}

/** One GraphQL request answered: `operation` from operationLabel, `code` OK or its first error's code. */
export function recordGraphQLRequest(service: string, operation: string, code: string, seconds: number): void {
  graphqlRequests.inc({ service, operation, code: codes.of(code) });
  graphqlDuration.observe({ service, operation }, seconds);
}

/** One HTTP request answered; `route` is graphql, healthz, readyz, metrics, unmatched, or a handled route's first path segment. */
export function recordHttpRequest(service: string, route: string, status: number): void {
  const bounded = boundedFor(routes, service, () => new BoundedLabel(MAX_ROUTES, ROUTE, 'other')).of(route);
  httpRequests.inc({ service, route: bounded, status: String(status) });
}

/**
 * Counts an error the gateway met asking `subgraph`: each coded error in its
 * answer, or one SUBGRAPH_UNAVAILABLE for a call it did not answer (or that
 * its open circuit refused). The gateway's data source calls it.
 */
export function recordSubgraphError(subgraph: string, code: string): void {
  subgraphErrors.inc({ subgraph, code: codes.of(code) });
}

/** The gateway's circuit to `subgraph` is now in `state`. */
export function recordSubgraphCircuit(subgraph: string, state: 'closed' | 'open' | 'half-open'): void {
  for (const each of ['closed', 'open', 'half-open'] as const) subgraphCircuit.set({ subgraph, state: each }, each === state ? 1 : 0);
}

/** An SQL statement of `service` was sent; call the returned function when it is answered. */
export function statementSent(service: string, statement: string): (outcome: 'ok' | 'error') => void {
  const started = performance.now();
  statementsInFlight.inc({ service });
  return (outcome) => {
    statementsInFlight.dec({ service });
    statementDuration.observe({ service, statement, outcome }, (performance.now() - started) / 1000);
  };
}

/**
 * Reports a database connection's pool at every scrape until the returned
 * function is called (when the connection closes). The database module
 * calls it when it opens a connection.
 */
export function observeDatabasePool(report: () => DatabasePoolReport): () => void {
  pools.add(report);
  return () => void pools.delete(report);
}

/**
 * Reports a queue waiting to leave the process (a service's outbox, its
 * webhook deliveries) at every scrape until the returned function is called.
 * `read` is asked once per scrape and given 2 s.
 */
export function observeBacklog(queue: BacklogQueue, service: string, read: () => Promise<BacklogReport>): () => void {
  const source: BacklogSource = { queue, service, read };
  backlogs.add(source);
  return () => void backlogs.delete(source);
}

let processMetrics = false;

/** The process's own figures (CPU, memory, event loop delay, GC), collected once per process from the first server on. */
export function exposeProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry });
}

/** The whole registry in Prometheus's text format. */
export function metricsText(): Promise<string> {
  return registry.metrics();
}
