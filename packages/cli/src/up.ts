import {
  createLogger,
  createTokenVerifier,
  DEV_TOKEN_LIFETIME_SECONDS,
  devSigningKeyPath,
  exitOnProcessFaults,
  gatewaySecretFor,
  loadConfigOrExit,
  loadOrCreateDevSigningKey,
  openDatabase,
  poolSettings,
  ROLES,
  signToken,
  startTelemetry,
  stopOnSignals,
  verifierFor,
} from '@tauliah/core';
import { personas } from '@tauliah/demo-data';
import { explorerEnabled } from '@tauliah/gateway';
import { join } from 'node:path';
import { embeddedConfigSchema } from './config.ts';
import { startGraph } from './graph.ts';
import { prepareDatabase } from './seed.ts';
import { services } from './services.ts';

/** `npm start`: the whole graph on the embedded database (or DATABASE_URL), seeded, with a token per role. */
export async function up(): Promise<void> {
  const config = loadConfigOrExit(embeddedConfigSchema);
  const log = createLogger({ level: config.LOG_LEVEL, name: 'tauliah' });
  exitOnProcessFaults(log);
  const telemetry = await startTelemetry(config, { service: 'tauliah', log });
  const connection = await openDatabase({ url: config.DATABASE_URL, dataDir: join(config.DATA_DIR, 'pglite'), ...poolSettings(config) });
  const prepared = await prepareDatabase(connection, services, config, { seed: true });
  const key = config.JWKS_URL ? undefined : await loadOrCreateDevSigningKey(devSigningKeyPath(config));
  const verifier = key
    ? createTokenVerifier({
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        publicJwk: key.publicJwk,
        maxLifetimeSeconds: config.MAX_TOKEN_LIFETIME_SECONDS,
      })
    : await verifierFor(config);
  // A working day, or the maximum token lifetime if an operator set a shorter one.
  const lifetime = Math.min(DEV_TOKEN_LIFETIME_SECONDS, config.MAX_TOKEN_LIFETIME_SECONDS);
  // Minted with the development key only (none when tokens come from an identity provider): printed below and
  // offered in the gateway's explorer, which never offers them in production.
  const demoTokens = key
    ? await Promise.all(
        ROLES.map(async (role) => {
          const { description, ...claims } = personas[role];
          const token = await signToken(key, claims, {
            issuer: config.JWT_ISSUER,
            audience: config.JWT_AUDIENCE,
            maxLifetimeSeconds: config.MAX_TOKEN_LIFETIME_SECONDS,
          });
          return { role, description, token };
        }),
      )
    : [];
  const graph = await startGraph({
    config,
    connection,
    verifier,
    gatewaySecret: await gatewaySecretFor(config),
    log,
    host: config.HOST,
    ports: {
      gateway: config.GATEWAY_PORT,
      learners: config.LEARNERS_PORT,
      providers: config.PROVIDERS_PORT,
      employers: config.EMPLOYERS_PORT,
      funding: config.FUNDING_PORT,
      credentials: config.CREDENTIALS_PORT,
    },
    explorer: { personas: demoTokens },
  });
  stopOnSignals(async () => {
    await graph.stop();
    await connection.close();
    await telemetry.stop();
    process.stdout.write('Tauliah stopped.\n');
  }, log);

  // Measured from process start, so it includes loading the code, not just opening the database.
  const seconds = process.uptime().toFixed(1);
  const lines = [
    '',
    `Tauliah is up in ${seconds} s — database: ${connection.kind === 'pglite' ? `embedded (${connection.location})` : connection.location}`,
    prepared.seeded.length > 0 ? `Seeded the demo data set into: ${prepared.seeded.join(', ')}` : 'Reopened existing data.',
    `Events between services: ${graph.events.kind === 'jetstream' ? `NATS JetStream (${config.NATS_URL?.replace(/\/\/[^@/]*@/g, '//')})` : 'in this process (set NATS_URL for NATS JetStream)'}`,
    '',
    `  gateway      ${graph.gateway.url}`,
    ...(explorerEnabled(config)
      ? [`  explorer     ${new URL('/', graph.gateway.url).href}  (GraphiQL${demoTokens.length > 0 ? "; the personas' tokens are in its Tokens pane" : ''})`]
      : []),
    ...Object.values(graph.subgraphs).map((s) => `  ${s.name.padEnd(12)} ${s.url}`),
    '',
  ];
  if (key) {
    lines.push(`Tokens for the demo personas (valid ${describeSeconds(lifetime)}; send as "Authorization: Bearer <token>"):`, '');
    for (const { role, description, token } of demoTokens) lines.push(`  ${role} — ${description}`, `  ${token}`, '');
    lines.push('More tokens: npx tauliah token --role <ROLE> [--sub ID] [--org ID]');
  }
  lines.push('Press Ctrl-C to stop.', '');
  process.stdout.write(lines.join('\n'));
}

/** 43200 → "12 h", 5400 → "90 min", 45 → "45 s". */
function describeSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
