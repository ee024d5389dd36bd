// What the rest of the code base uses of traces and metrics; the HTTP server, the SQL hook and the relay use the modules directly.
export { MAX_OPERATION_NAMES } from './labels.ts';
export {
  observeBacklog,
  observeDatabasePool,
  recordSubgraphCircuit,
  recordSubgraphError,
  type BacklogQueue,
  type BacklogReport,
  type DatabasePoolReport,
} from './metrics.ts';
export { telemetrySettings, type TelemetrySettings } from './settings.ts';
export { startTelemetry, type Telemetry } from './start.ts';
export { inClientSpan, injectTraceContext, tracingOn, type HeaderCarrier } from './tracing.ts';
