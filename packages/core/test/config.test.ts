import { describe, expect, it } from 'vitest';
import { baseConfigSchema, ConfigError, databaseUrlFor, parseConfig, subgraphConfigSchema } from '../src/index.ts';

describe('configuration', () => {
  it('starts with safe defaults and no environment at all', () => {
    const config = parseConfig(baseConfigSchema, {});
    expect(config).toMatchObject({ NODE_ENV: 'development', DATA_DIR: '.tauliah', MAX_BODY_BYTES: 4 * 1_048_576 });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('lists every problem at once, each with its variable', () => {
    const attempt = () =>
      parseConfig(subgraphConfigSchema('learners'), {
        NODE_ENV: 'production',
        DATABASE_URL: 'mysql://nope',
        PORT: '99999',
        LOG_LEVEL: 'loud',
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/DATABASE_URL/);
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/LOG_LEVEL/);
      expect(problems).toMatch(/JWKS_URL: is required in production/);
      expect(problems).toMatch(/PII_HASH_KEY: must be set to a secret in production/);
    }
  });

  it('lets one service use its own database URL over the shared one', () => {
    const env = { DATABASE_URL: 'postgres://shared/db', CREDENTIALS_DATABASE_URL: 'postgres://own/db' };
    expect(databaseUrlFor('credentials', env)).toBe('postgres://own/db');
    expect(databaseUrlFor('learners', env)).toBe('postgres://shared/db');
    expect(databaseUrlFor('learners', {})).toBeUndefined();
  });
});
