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
  const connection = await openTestDatabase();
  await migrateService(service as unknown as ServiceDefinition, connection);
  const { db } = connection.drizzle(service.tables);
  if (options.seed !== false) await service.seed(db, config);
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
