import { context, diag, DiagLogLevel, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';

/**
 * OpenTelemetry traces, on only where an OTLP endpoint is configured. Off,
 * nothing of the SDK is loaded and every helper here returns after one
 * check of `tracer`: no span, no context, no header is made.
 *
 * On, one tracer provider per process (its resource's `service.name` is the
 * process: a subgraph, the gateway, or `tauliah` for the whole graph in one
 * process), the W3C `traceparent` propagated, and the active span carried
 * across awaits (AsyncLocalStorage), so a resolver's SQL statements and a
 * gateway's subgraph fetches are children of their request's span. Apollo
 * Gateway's own spans (gateway.request, gateway.plan, gateway.fetch) join in.
 */
let tracer: Tracer | undefined;

export const TRACER_NAME = 'tauliah';

/** Span attributes of our own (besides OpenTelemetry's semantic conventions). */
export const ATTRIBUTE = {
  requestId: 'tauliah.request.id',
  service: 'tauliah.service',
  code: 'tauliah.outcome.code',
} as const;

export interface TracingOptions {
  /** The collector's OTLP/HTTP base URL; spans are posted to `<endpoint>/v1/traces` as JSON. */
  endpoint: string;
  /** `service.name` of every span of this process. */
  serviceName: string;
  /** Share of new traces recorded, 0 to 1; a request arriving with a sampled `traceparent` is always recorded. */
  sampleRatio: number;
  /** Where the exporter's failures (a collector down) are reported. */
  log: Logger;
  /** How long spans wait to be exported in a batch (default 5 s). */
  exportDelayMs?: number;
}

export interface Tracing {
  /** Exports what is pending now. */
  flush(): Promise<void>;
  /** Exports what is pending, then stops making spans. */
  stop(): Promise<void>;
}

/** Whether this process records spans. */
export function tracingOn(): boolean {
  return tracer !== undefined;
}

/** The process's tracer while tracing is on. */
export function activeTracer(): Tracer | undefined {
  return tracer;
}

/**
 * Starts tracing for this process: an OTLP/HTTP exporter behind a batching
 * processor. One per process; a second call while it runs is refused.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  if (tracer) throw new Error('Tracing is already on in this process.');
  // Loaded only here: a process without an endpoint never loads the SDK.
  const [{ AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, { OTLPTraceExporter }, { resourceFromAttributes }, sdk] = await Promise.all([
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
  ]);
  const { log } = options;
  diag.setLogger(
    {
      error: (message, ...args) => log.warn({ detail: args.map(String) }, `tracing: ${message}`),
      warn: (message, ...args) => log.warn({ detail: args.map(String) }, `tracing: ${message}`),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const processor = new sdk.BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` }), {
    scheduledDelayMillis: options.exportDelayMs ?? 5_000,
  });
  const provider = new sdk.BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName, 'service.namespace': 'tauliah' }),
    sampler: new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(options.sampleRatio) }),
    spanProcessors: [processor],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  tracer = trace.getTracer(TRACER_NAME);
  log.info({ endpoint: options.endpoint, sampleRatio: options.sampleRatio }, 'tracing to an OTLP endpoint');
  return {
    flush: () => provider.forceFlush(),
    async stop() {
      tracer = undefined;
      try {
        await provider.shutdown();
      } finally {
        trace.disable();
        propagation.disable();
        context.disable();
        diag.disable();
      }
    },
  };
}

/**
 * The span of one HTTP request a server answers, continuing the caller's
 * trace (`traceparent`); undefined while tracing is off. It records the
 * route, never the path: a path may carry an id or a share link's secret.
 */
export function startServerSpan(service: string, req: IncomingMessage, requestId: string): { span: Span; context: Context; method: string } | undefined {
  if (!tracer) return undefined;
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const method = req.method ?? 'GET';
  const span = tracer.startSpan(
    method,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, [ATTRIBUTE.service]: service, [ATTRIBUTE.requestId]: requestId } },
    parent,
  );
  return { span, context: trace.setSpan(parent, span), method };
}

/** What a request came to, written on its server span as it ends. */
export interface ServerSpanOutcome {
  method: string;
  /** The route's name as the metrics have it: graphql, readyz, credentials, unmatched... */
  route: string;
  status: number;
  /** The GraphQL operation, when the request got that far. */
  operationType?: string;
  operationName?: string;
  code?: string;
}

export function endServerSpan(span: Span, outcome: ServerSpanOutcome): void {
  const route = outcome.route === 'unmatched' ? undefined : `/${outcome.route}`;
  if (route) span.setAttribute('http.route', route);
  span.setAttribute('http.response.status_code', outcome.status);
  if (outcome.operationType) {
    span.setAttribute('graphql.operation.type', outcome.operationType);
    if (outcome.operationName) span.setAttribute('graphql.operation.name', outcome.operationName);
    // The GraphQL conventions name the span after the operation.
    span.updateName(outcome.operationName ? `${outcome.operationType} ${outcome.operationName}` : outcome.operationType);
  } else if (route) {
    span.updateName(`${outcome.method} ${route}`);
  }
  if (outcome.code) span.setAttribute(ATTRIBUTE.code, outcome.code);
  if (outcome.status >= 500 || outcome.code === 'INTERNAL_SERVER_ERROR') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.code });
  span.end();
}

/** Runs `call` inside its own client span (a request this process makes), so headers injected within it name that span as parent. */
export async function inClientSpan<T>(name: string, attributes: Attributes, call: () => Promise<T>): Promise<T> {
  if (!tracer) return call();
  return tracer.startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await call();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : undefined });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Something headers can be set on: a plain object, or a Fetch `Headers` / Apollo `HeaderMap`. */
export type HeaderCarrier = Record<string, string> | { set(name: string, value: string): unknown };

const setter = {
  set(carrier: HeaderCarrier, key: string, value: string) {
    if (typeof carrier.set === 'function') (carrier as { set(name: string, value: string): unknown }).set(key, value);
    else (carrier as Record<string, string>)[key] = value;
  },
};

/**
 * Adds the current span's `traceparent` to an outgoing request's headers, so
 * the server it calls continues this trace. Nothing while tracing is off.
 */
export function injectTraceContext(headers: HeaderCarrier): void {
  if (!tracer) return;
  propagation.inject(context.active(), headers, setter);
}

/** Runs `run` with `active` as the current context (a server span's), or as is while tracing is off. */
export function withContext<T>(active: Context | undefined, run: () => T): T {
  return active ? context.with(active, run) : run();
}
