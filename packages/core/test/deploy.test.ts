import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../src/index.ts';

// docker-compose.yml, the production topology: no default secret, a PostgreSQL role and
// database per service, a NATS user per service that uses events.
const root = new URL('../../../', import.meta.url);
const compose = await readFile(new URL('docker-compose.yml', root), 'utf8');
const natsConf = await readFile(new URL('deploy/nats/nats-server.conf', root), 'utf8');
const rolesSql = await readFile(new URL('deploy/postgres/service-roles.sql', root), 'utf8');

describe('docker-compose.yml', () => {
  it('has no default for any password, secret or key: each must be set, or compose refuses to start', () => {
    const interpolations = [...compose.matchAll(/\$\{([A-Z_]+)(:?[-?+])?([^}]*)\}/g)];
    const secrets = interpolations.filter(([, name]) => /PASSWORD|SECRET|KEY/.test(name!));
    for (const [text, , operator] of secrets) expect(operator, `${text} must be required (:?)`).toBe(':?');
    expect(secrets.length).toBeGreaterThan(10);
    // No literal password either: every credential in a URL comes from a required variable.
    for (const [, credential] of compose.matchAll(/\/\/[a-z_]+:([^@\s]+)@/g)) expect(credential).toMatch(/^\$\{[A-Z_]+:\?/);
  });

  it('connects each service as its own PostgreSQL role to its own database', () => {
    for (const service of SERVICE_NAMES) {
      const urls = [...compose.matchAll(new RegExp(`^  ${service}:\\n[\\s\\S]*?DATABASE_URL: (.+)$`, 'gm'))].map((m) => m[1]);
      expect(urls, service).toEqual([`postgres://tauliah_${service}:\${${service.toUpperCase()}_DB_PASSWORD:?set ${service.toUpperCase()}_DB_PASSWORD}@postgres:5432/tauliah_${service}`]);
      expect(rolesSql).toContain(`('${service}', :'${service}_password')`);
    }
    expect(compose).not.toMatch(/^\s+DATABASE_URL: postgres:\/\/tauliah_admin/m);
  });

  it('gives every service a NATS user of its own, its password given to NATS quoted', () => {
    const natsUsers = [...compose.matchAll(/NATS_URL: nats:\/\/([a-z]+):\$\{(NATS_[A-Z]+_PASSWORD):\?/g)].map(([, user, password]) => ({ user, password }));
    expect(natsUsers).toEqual(SERVICE_NAMES.map((service) => ({ user: service, password: `NATS_${service.toUpperCase()}_PASSWORD` })));
    for (const { user, password } of natsUsers) {
      expect(natsConf).toContain(`user: ${user}\n      password: $${password}_QUOTED\n`);
      expect(compose).toContain(`${password}_QUOTED: "\\"\${${password}:?`);
    }
    expect(natsConf).not.toMatch(/no_auth_user|allow: \[\s*">"\s*\]/);
  });
});
