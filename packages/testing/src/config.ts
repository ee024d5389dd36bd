/**
 * The test harness's settings, the only place it reads the environment:
 * which PostgreSQL server (else embedded PGlite), which NATS (else the
 * in-process broker), which Redis, whether it runs in CI, and the run's seeded template
 * (set by global-setup.ts, read by every test worker it starts).
 */

/** DATABASE_URL: a PostgreSQL server to create each test's database on; unset means PGlite. */
export const serverDatabaseUrl = (): string | undefined => process.env.DATABASE_URL || undefined;

/** NATS_URL: a NATS JetStream server for event tests; unset means the in-process broker. */
export const natsUrl = (): string | undefined => process.env.NATS_URL || undefined;

/** REDIS_URL: the Redis that gateways share (rate limits, the response cache's writes); unset, those tests are skipped. */
export const redisUrl = (): string | undefined => process.env.REDIS_URL || undefined;

/** CI: set on the CI machine, where a test's missing tool (nats-server) is a failure, not a skip. */
export const inCi = (): boolean => Boolean(process.env.CI);

const TEMPLATE = 'TAULIAH_TEST_TEMPLATE';

/** The migrated and seeded PGlite template of this run, when global setup made one. */
export const testTemplatePath = (): string | undefined => process.env[TEMPLATE] || undefined;

/** Handed to the test workers through the environment, which they inherit from the global setup. */
export function setTestTemplatePath(path: string): void {
  process.env[TEMPLATE] = path;
}

/** The environment for a child process under test: this one's, with `overrides` on top. */
export const childEnvironment = (overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  ...overrides,
});
