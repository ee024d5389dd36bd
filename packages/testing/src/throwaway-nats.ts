import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inCi } from './config.ts';
import { answersOk, ManagedProcess } from './managed-process.ts';
import { freePort } from './ports.ts';

/** The nats-server binary, where the machine has one (CI's does: .ci/run starts it). */
export const NATS_SERVER_BINARY = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'].find((path) => existsSync(path));

/**
 * Why tests needing nats-server cannot run on this machine, or undefined when
 * they can. In CI a missing binary is a failure, not a skip.
 */
export function natsServerSkipReason(tests = 'these tests'): string | undefined {
  if (NATS_SERVER_BINARY) return undefined;
  const reason = `nats-server is missing: install it (apt-get install -y --no-install-recommends nats-server) to run ${tests}`;
  if (inCi()) throw new Error(reason);
  return reason;
}

/**
 * A NATS JetStream server of the test's own, on free ports with its store in
 * a temporary directory: stopping it disturbs nothing else on the machine, and
 * the streams it keeps survive its restarts as a real server's do.
 */
export interface ThrowawayNats {
  /** nats://127.0.0.1:<port>, no user (a configuration with users wants them in the URL). */
  url: string;
  port: number;
  /** Its monitoring endpoint (http://127.0.0.1:<port>: /healthz, /jsz). */
  monitorUrl: string;
  /** Stops it (SIGTERM; streams and consumers stay in the store directory). */
  stop(): Promise<void>;
  /** Starts it again on the same ports and store. */
  start(): Promise<void>;
  readonly server: ManagedProcess;
  destroy(): Promise<void>;
}

export interface ThrowawayNatsOptions {
  /**
   * A configuration file's text, given the store directory it must use (the
   * server refuses a store directory given both in the file and on the
   * command line). Without one, the server runs JetStream on its defaults.
   */
  configuration?: (storeDir: string) => string;
  /** The server's whole environment (a configuration's password variables); nothing of this process's leaks in. */
  env?: Record<string, string>;
}

export async function startThrowawayNats(options: ThrowawayNatsOptions = {}): Promise<ThrowawayNats> {
  if (!NATS_SERVER_BINARY) throw new Error(natsServerSkipReason());
  const dir = await mkdtemp(join(tmpdir(), 'tauliah-nats-'));
  const storeDir = join(dir, 'store');
  const [port, monitorPort] = [await freePort(), await freePort()];
  const monitorUrl = `http://127.0.0.1:${monitorPort}`;
  const listen = ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort)];
  const server = new ManagedProcess({
    name: 'nats-server',
    command: NATS_SERVER_BINARY,
    args: options.configuration ? ['-c', join(dir, 'nats-server.conf'), ...listen] : [...listen, '-js', '-sd', storeDir],
    cwd: dir,
    env: options.env ?? {},
    // Ready once JetStream is, having loaded its store: the health check docker-compose.yml uses.
    ready: () => answersOk(`${monitorUrl}/healthz?js-enabled-only=true`),
    readyTimeoutMs: 20_000,
  });
  try {
    if (options.configuration) await writeFile(join(dir, 'nats-server.conf'), options.configuration(storeDir));
    await server.start();
  } catch (error) {
    await server.stop();
    server.forget();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    monitorUrl,
    server,
    stop: () => server.stop(),
    start: () => server.start(),
    async destroy() {
      await server.stop();
      server.forget();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
