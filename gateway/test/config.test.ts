import { ConfigError, parseConfig } from '@tauliah/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SUBGRAPH_TIMEOUTS_MS, gatewayConfigSchema, subgraphTimeoutMs, subgraphUrlsFrom } from '../src/index.ts';

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

  it('gives each subgraph a timeout fit for its heaviest work, the eligibility batch going to funding and learners', () => {
    const config = parseConfig(gatewayConfigSchema, {});
    expect(config).toMatchObject({ SUBGRAPH_BREAKER_FAILURES: 5, SUBGRAPH_BREAKER_RETRY_MS: 5_000, SUBGRAPH_TIMEOUTS_MS: {} });
    expect(Object.fromEntries(['learners', 'providers', 'employers', 'funding', 'credentials'].map((name) => [name, subgraphTimeoutMs(config, name)]))).toEqual(
      DEFAULT_SUBGRAPH_TIMEOUTS_MS,
    );
    expect(subgraphTimeoutMs(config, 'funding')).toBeGreaterThan(subgraphTimeoutMs(config, 'providers'));
  });

  it('reads per-subgraph timeouts over SUBGRAPH_TIMEOUT_MS, which is over the defaults', () => {
    const config = parseConfig(gatewayConfigSchema, {
      SUBGRAPH_TIMEOUT_MS: '8000',
      SUBGRAPH_TIMEOUTS_MS: ' funding=20000, credentials = 15000 ',
      SUBGRAPH_BREAKER_FAILURES: '3',
      SUBGRAPH_BREAKER_RETRY_MS: '250',
    });
    expect(config.SUBGRAPH_TIMEOUTS_MS).toEqual({ funding: 20_000, credentials: 15_000 });
    expect(subgraphTimeoutMs(config, 'funding')).toBe(20_000);
    expect(subgraphTimeoutMs(config, 'credentials')).toBe(15_000);
    expect(subgraphTimeoutMs(config, 'learners')).toBe(8_000);
    expect(config.SUBGRAPH_BREAKER_FAILURES).toBe(3);
    expect(config.SUBGRAPH_BREAKER_RETRY_MS).toBe(250);
  });

  it('refuses at start-up a per-subgraph timeout it cannot read, naming each bad entry', () => {
    for (const bad of ['fundng=20000', 'funding=0', 'funding=-5', 'funding=20s', 'funding', '=2000', 'funding=1e4', 'funding=20000;credentials=1000']) {
      let problems: string[] = [];
      try {
        parseConfig(gatewayConfigSchema, { SUBGRAPH_TIMEOUTS_MS: bad });
      } catch (error) {
        problems = (error as ConfigError).problems;
      }
      expect(problems, bad).toEqual([
        `SUBGRAPH_TIMEOUTS_MS: "${bad}" is not subgraph=milliseconds; write e.g. funding=20000,credentials=15000 with subgraphs among learners, providers, employers, funding, credentials and whole milliseconds above 0`,
      ]);
    }
    let problems: string[] = [];
    try {
      parseConfig(gatewayConfigSchema, { SUBGRAPH_TIMEOUTS_MS: 'funding=20000,credentals=1,learners=x', SUBGRAPH_BREAKER_FAILURES: '0', SUBGRAPH_TIMEOUT_MS: 'soon' });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SUBGRAPH_TIMEOUTS_MS: "credentals=1" is not subgraph=milliseconds/),
        expect.stringMatching(/^SUBGRAPH_TIMEOUTS_MS: "learners=x" is not subgraph=milliseconds/),
        expect.stringMatching(/^SUBGRAPH_BREAKER_FAILURES: /),
        expect.stringMatching(/^SUBGRAPH_TIMEOUT_MS: /),
      ]),
    );
  });
});
