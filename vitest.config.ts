import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for every library; tests must share that one copy
    // (a second copy from its "module" build breaks instanceof checks across the stack).
    alias: [{ find: /^graphql$/, replacement: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)) }],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'gateway/test/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/browser/**/*.test.ts'],
    // Each test file opens its own database and servers; two cores run two files at a time.
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A worker runs its files one after another in one process, loading the stack (five services,
    // the gateway, their schemas) once rather than once per file: half the suite's time. Every file
    // still opens its own databases, servers and brokers; what a process shares (module state,
    // metrics counters) no test may assume empty.
    isolate: false,
    globalSetup: ['packages/testing/src/global-setup.ts'],
    env: { TZ: 'UTC', APOLLO_TELEMETRY_DISABLED: 'true', TURBO_TELEMETRY_DISABLED: '1' },
  },
});
