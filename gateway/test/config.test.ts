import { ConfigError, parseConfig } from '@tauliah/core';
import { describe, expect, it } from 'vitest';
import { gatewayConfigSchema, subgraphUrlsFrom } from '../src/index.ts';

describe('the gateway configuration', () => {
  it('defaults to port 4000 and the documented limits', () => {
    const config = parseConfig(gatewayConfigSchema, {});
    expect(config).toMatchObject({
      PORT: 4000,
      MAX_QUERY_DEPTH: 12,
      MAX_QUERY_ALIASES: 30,
      MAX_QUERY_COST: 250_000,
      QUERY_LIST_FACTOR: 10,
      MAX_QUERY_TOKENS: 5_000,
      MAX_QUERY_BYTES: 32 * 1024,
      RATE_LIMIT_POINTS: 600,
      RATE_LIMIT_SECONDS: 60,
      RATE_LIMIT_PUBLIC_POINTS: 120,
      RATE_LIMIT_PUBLIC_SECONDS: 60,
      RATE_LIMIT_VERIFY_POINTS: 60,
      RATE_LIMIT_VERIFY_SECONDS: 60,
      MAX_REPEATED_FIELDS: 10,
      MAX_BODY_BYTES: 4 * 1_048_576,
      NODE_ENV: 'development',
    });
  });

  it('reads limits, the port and subgraph URLs from the environment', () => {
    const config = parseConfig(gatewayConfigSchema, {
      PORT: '8080',
      MAX_QUERY_DEPTH: '8',
      LEARNERS_URL: 'http://learners.internal:4001/graphql',
      FUNDING_URL: '',
    });
    expect(config.PORT).toBe(8080);
    expect(config.MAX_QUERY_DEPTH).toBe(8);
    expect(subgraphUrlsFrom(config)).toEqual({ learners: 'http://learners.internal:4001/graphql' });
  });

  it('lists every problem at once, the shared settings and its own', () => {
    let problems: string[] = [];
    try {
      parseConfig(gatewayConfigSchema, { NODE_ENV: 'production', MAX_QUERY_COST: '-1', LEARNERS_URL: 'not a url' });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^JWKS_URL: is required in production/),
        expect.stringMatching(/^MAX_QUERY_COST: /),
        expect.stringMatching(/^LEARNERS_URL: /),
      ]),
    );
  });
});
