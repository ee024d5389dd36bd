import { createLogger, exitOnProcessFaults, gatewaySecretFor, startTelemetry, stopOnSignals, verifierFor } from '@tauliah/core';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadGatewayConfig, subgraphUrlsFrom } from './config.ts';
import { startGateway } from './gateway.ts';

// The gateway running alone, as in production: config, the checked-in supergraph, serve, drain on SIGTERM.
const SUPERGRAPH_PATH = fileURLToPath(new URL('../supergraph.graphql', import.meta.url));

const config = loadGatewayConfig();
// No name here: startGateway adds the service binding to its child logger, as core's startSubgraph does.
const log = createLogger({ level: config.LOG_LEVEL });
exitOnProcessFaults(log);
const telemetry = await startTelemetry(config, { service: 'gateway', log });
const supergraphSdl = await readFile(SUPERGRAPH_PATH, 'utf8').catch((error: NodeJS.ErrnoException) => {
  log.fatal({ path: SUPERGRAPH_PATH, code: error.code }, 'cannot read the supergraph: run "npm run compose" to write it');
  process.exit(1);
});
const running = await startGateway({
  supergraphSdl,
  config,
  verifier: await verifierFor(config),
  gatewaySecret: await gatewaySecretFor(config),
  log,
  subgraphUrls: subgraphUrlsFrom(config),
  listen: { port: config.PORT, host: config.HOST },
});
log.info({ url: running.url }, 'gateway ready');
stopOnSignals(async () => {
  await running.stop();
  await telemetry.stop();
}, log);
