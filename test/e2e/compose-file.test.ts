import { describe, expect, it } from 'vitest';
import { composeProblems, interpolate, type ComposeFile } from './deploy/compose.ts';
import { readYamlDocuments } from './deploy/kustomize.ts';

// docker-compose.yml, read as compose reads it (anchors and merge keys), checked without Docker.
const compose = readYamlDocuments('docker-compose.yml')[0] as ComposeFile;

describe('docker-compose.yml', () => {
  it('restarts every process that exits, health-checks each on /readyz, and gives each its settings and only its own secrets', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['credentials', 'employers', 'funding', 'gateway', 'learners', 'nats', 'postgres', 'providers']);
    expect(composeProblems(compose)).toEqual([]);
  });

  it('reads every secret from the operator, with no default to fall back on', () => {
    expect(interpolate('${GATEWAY_SECRET:?set it}')).toMatch(/^[0-9a-f]{64}$/);
    expect(interpolate('${JWT_AUDIENCE:-tauliah}')).toBe('tauliah');
    expect(compose.services.learners!.environment!.PII_HASH_KEY).toMatch(/^\$\{PII_HASH_KEY:\?/);
    // NATS reads each password quoted; the service signs in with it unquoted.
    expect(compose.services.nats!.environment!.NATS_EMPLOYERS_PASSWORD_QUOTED).toMatch(/^"\$\{NATS_EMPLOYERS_PASSWORD:\?[^}]+\}"$/);
    expect(compose.services.employers!.environment!.NATS_URL).toMatch(/^nats:\/\/employers:\$\{NATS_EMPLOYERS_PASSWORD:\?[^}]+\}@nats:4222$/);
  });
});

/** A change to a copy of docker-compose.yml, and the problem it must be reported as. */
const BROKEN_RULES: Array<[string, (file: ComposeFile) => void, RegExp]> = [
  ['a restart policy', (file) => delete file.services.funding!.restart, /funding: needs restart: unless-stopped/],
  ['a restart policy for PostgreSQL too', (file) => (file.services.postgres!.restart = 'no'), /postgres: needs restart: unless-stopped/],
  ['a health check on /readyz', (file) => (file.services.gateway!.healthcheck!.test = ['CMD', 'true']), /gateway: the health check must ask \/readyz/],
  ['time to migrate', (file) => delete file.services.learners!.healthcheck!.start_period, /learners: the health check needs a start_period/],
  ['no default for a secret', (file) => (file.services.learners!.environment!.PII_HASH_KEY = '${PII_HASH_KEY:-dev-key-of-at-least-32-characters!!}'), /learners: PII_HASH_KEY must come from a variable without a default/],
  ["no other service's secret", (file) => (file.services.providers!.environment!.PII_HASH_KEY = '${PII_HASH_KEY:?set it}'), /providers: is given PII_HASH_KEY, which is not its secret/],
  ['settings the process reads', (file) => (file.services.funding!.environment!.STAF_CHECK_TTL_MS = '1000'), /STAF_CHECK_TTL_MS is not a setting funding reads/],
  ['enough to start in production', (file) => delete file.services.credentials!.environment!.NATS_URL, /credentials would refuse to start: NATS_URL: is required in production/],
  [
    'its own database role',
    (file) => (file.services.funding!.environment!.DATABASE_URL = 'postgres://tauliah_providers:${PROVIDERS_DB_PASSWORD:?}@postgres:5432/tauliah_providers'),
    /funding: DATABASE_URL must connect as tauliah_funding/,
  ],
  ['its own NATS user', (file) => (file.services.credentials!.environment!.NATS_URL = 'nats://learners:${NATS_LEARNERS_PASSWORD:?}@nats:4222'), /credentials: NATS_URL must sign in as credentials/],
  ['a NATS user for every service', (file) => delete file.services.employers!.environment!.NATS_URL, /employers: needs NATS_URL \(deploy\/nats\/nats-server.conf has user employers\)/],
  ['a NATS user for a consumer too', (file) => (file.services.funding!.environment!.NATS_URL = 'nats://providers:${NATS_PROVIDERS_PASSWORD:?}@nats:4222'), /funding: NATS_URL must sign in as funding/],
  [
    'NATS passwords the server reads as strings',
    (file) => (file.services.nats!.environment!.NATS_PROVIDERS_PASSWORD_QUOTED = '${NATS_PROVIDERS_PASSWORD:?set it}'),
    /nats: needs NATS_PROVIDERS_PASSWORD_QUOTED: "\$\{NATS_PROVIDERS_PASSWORD:\?...\}", providers's password in double quotes/,
  ],
  ['NATS up before a service starts', (file) => delete (file.services.employers!.depends_on as Record<string, unknown>).nats, /employers: must wait for a healthy nats/],
  ['the right entry point', (file) => (file.services.employers!.command = ['node', '--import', 'tsx', 'services/funding/src/main.ts']), /employers: must run node --import tsx services\/employers\/src\/main.ts/],
];

describe('the docker-compose.yml rules', () => {
  it.each(BROKEN_RULES)('report a compose file that breaks the rule: %s', (_rule, breaks, reported) => {
    const broken = structuredClone(compose);
    breaks(broken);
    expect(composeProblems(broken).join('\n')).toMatch(reported);
  });
});
