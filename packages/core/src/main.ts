import { join } from 'node:path';
import { databaseUrlFor, loadConfigOrExit, subgraphConfigSchema, type BaseConfig } from './config.ts';
import { openDatabase, poolSettings } from './database.ts';
import { stopOnSignals } from './http-server.ts';
import { createTokenVerifier, loadOrCreateDevSigningKey, type TokenVerifier } from './identity.ts';
import { createLogger } from './logger.ts';
import { gatewaySecretFor } from './gateway-trust.ts';
import { exitOnProcessFaults } from './process-faults.ts';
import { startTelemetry } from './telemetry/start.ts';
import { migrateService, startSubgraph, type ServiceDefinition } from './service.ts';

// Every process's crash discipline, with its entry point.

export const devSigningKeyPath = (config: Pick<BaseConfig, 'DATA_DIR'>) => join(config.DATA_DIR, 'dev-signing-key.json');

/** Production verifies against the identity provider's JWKS; embedded mode against the local dev key. */
export async function verifierFor(config: BaseConfig): Promise<TokenVerifier> {
  const common = { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, maxLifetimeSeconds: config.MAX_TOKEN_LIFETIME_SECONDS };
  if (config.JWKS_URL) return createTokenVerifier({ ...common, jwksUrl: config.JWKS_URL });
  const key = await loadOrCreateDevSigningKey(devSigningKeyPath(config));
  return createTokenVerifier({ ...common, publicJwk: key.publicJwk });
}

/**
 * The entry point of one subgraph running alone, as in production: config
 * (core's settings and the service's own, nothing else), migrate, serve,
 * drain on SIGTERM.
 */
export async function runServiceProcess<TTables extends Record<string, unknown>, TLoaders, TConfig extends BaseConfig>(
  service: ServiceDefinition<TTables, TLoaders, TConfig>,
): Promise<void> {
  const schema = subgraphConfigSchema(service.name).extend(service.settings?.shape ?? {});
  const config = loadConfigOrExit(schema, undefined, service.name) as TConfig & { PORT: number; STAFF_CHECK_TTL_MS: number };
  const log = createLogger({ level: config.LOG_LEVEL, name: service.name });
  exitOnProcessFaults(log);
  const telemetry = await startTelemetry(config, { service: service.name, log });
  const connection = await openDatabase({
    url: databaseUrlFor(service.name),
    dataDir: join(config.DATA_DIR, `pglite-${service.name}`),
    ...poolSettings(config),
  });
  const report = await migrateService(service, connection);
  if (report.applied.length > 0) log.info({ applied: report.applied }, 'migrations applied');
  const running = await startSubgraph(service, {
    config,
    gatewaySecret: await gatewaySecretFor(config),
    connection,
    verifier: await verifierFor(config),
    log,
    port: config.PORT,
    host: config.HOST,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    graphUrl: () => config.GRAPH_URL,
    staffCheckTtlMs: config.STAFF_CHECK_TTL_MS,
  });
  log.info({ url: running.url }, 'subgraph ready');
  stopOnSignals(async () => {
    await running.stop();
    await connection.close();
    await telemetry.stop();
  }, log);
}
