import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the fault-injection suite. One file at a time, since
 * each starts the whole topology as separate processes (a PostgreSQL cluster,
 * NATS, five subgraphs, the gateway) and two would fight over two cores.
 */
export default defineConfig({
  resolve: {
    // As in the main config: one copy of graphql (its CommonJS build) for the whole stack.
    alias: [{ find: /^graphql$/, replacement: fileURLToPath(new URL('../../node_modules/graphql/index.js', import.meta.url)) }],
  },
  test: {
    include: ['test/faults/**/*.test.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 240_000,
    env: { TZ: 'UTC', APOLLO_TELEMETRY_DISABLED: 'true', TURBO_TELEMETRY_DISABLED: '1' },
  },
});
