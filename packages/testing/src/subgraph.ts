import {
  baseConfigSchema,
  createLogger,
  createTokenVerifier,
  GATEWAY_HEADER,
  migrateService,
  parseConfig,
  startSubgraph,
  type BaseConfig,
  type DatabaseConnection,
  type Database,
  type RunningSubgraph,
  type ServiceDefinition,
} from '@tauliah/core';
import { GraphClient } from './client.ts';
import { openTestDatabase } from './database.ts';
import { TEST_AUDIENCE, TEST_ISSUER, TokenFactory } from './tokens.ts';

/** Test subgraphs trust this secret as the gateway's. */
export const TEST_GATEWAY_SECRET = 'test-gateway-secret-0123456789abcdefghijklmnop';

export const testConfig = (): BaseConfig =>
  parseConfig(baseConfigSchema, { NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_ISSUER: TEST_ISSUER, JWT_AUDIENCE: TEST_AUDIENCE });

/** A template database arrives seeded; a fresh one does not. */
async function alreadySeeded(connection: DatabaseConnection, service: string): Promise<boolean> {
  const [table] = await connection.query<{ found: string | null }>(`select to_regclass('_migrations.seeded')::text as found`);
  if (!table?.found) return false;
  return (await connection.query('select 1 from _migrations.seeded where service = $1', [service])).length > 0;
}

export interface TestSubgraph<TTables extends Record<string, unknown>> {
  url: string;
  /** Calls the subgraph as the gateway does (it may use `_entities`). */
  client: GraphClient;
  /** Calls the subgraph as an outsider who went around the gateway. */
  direct: GraphClient;
  tokens: TokenFactory;
  db: Database<TTables>;
  connection: DatabaseConnection;
  server: RunningSubgraph;
  stop(): Promise<void>;
}

/**
 * One subgraph on its own, called directly (no gateway), on a fresh database
 * migrated and seeded with the demo data: for a service's own tests.
 */
export async function startTestSubgraph<TTables extends Record<string, unknown>, TLoaders>(
  service: ServiceDefinition<TTables, TLoaders>,
  options: { seed?: boolean } = {},
): Promise<TestSubgraph<TTables>> {
  const config = testConfig();
  const connection = await openTestDatabase({ template: options.seed !== false });
  await migrateService(service as unknown as ServiceDefinition, connection);
  const { db } = connection.drizzle(service.tables);
  if (options.seed !== false && !(await alreadySeeded(connection, service.name))) await service.seed(db, config);
  const tokens = await TokenFactory.create();
  const server = await startSubgraph(service, {
    config,
    gatewaySecret: TEST_GATEWAY_SECRET,
    connection,
    verifier: createTokenVerifier({ issuer: TEST_ISSUER, audience: TEST_AUDIENCE, publicJwk: tokens.key.publicJwk }),
    log: createLogger({ level: 'silent' }),
    port: 0,
    host: '127.0.0.1',
  });
  return {
    url: server.url,
    client: new GraphClient(server.url, tokens, { [GATEWAY_HEADER]: TEST_GATEWAY_SECRET }),
    direct: new GraphClient(server.url, tokens),
    tokens,
    db,
    connection,
    server,
    async stop() {
      await server.stop();
      await connection.close();
    },
  };
}
