import { freePort } from '@tauliah/testing';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answersOk, ManagedProcess } from '../../faults/support/processes.ts';
import { natsServerConfUsers } from './dependencies.ts';
import { ROOT } from './kustomize.ts';

/** The nats-server binary, where the machine has one (CI's does: .ci/run starts it). */
export const NATS_SERVER_BINARY = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'].find((path) => existsSync(path));

// eslint-disable-next-line no-restricted-properties -- the harness's one setting: in CI nats-server must be there.
const inCi = Boolean(process.env.CI);

/**
 * Why a test needing nats-server cannot run on this machine, or undefined
 * when it can. In CI a missing binary is a failure, not a skip.
 */
export function natsServerSkipReason(): string | undefined {
  if (NATS_SERVER_BINARY) return undefined;
  const reason = 'nats-server is missing: install it (apt-get install -y --no-install-recommends nats-server) to run the NATS permission tests';
  if (inCi) throw new Error(reason);
  return reason;
}

/** One stream's state and its consumers', as the server's monitoring endpoint (/jsz) reports them. */
export interface StreamReport {
  name: string;
  state: { messages: number; last_seq: number };
  consumer_detail?: Array<{ name: string; delivered: { stream_seq: number }; ack_floor: { stream_seq: number }; num_ack_pending: number }>;
}

export interface ConfiguredNats {
  /** nats://user:password@127.0.0.1:port for one of the configuration's users. */
  urlFor(user: string): string;
  /** Every stream on the server, with its consumers. */
  streams(): Promise<StreamReport[]>;
  destroy(): Promise<void>;
}

/**
 * A throwaway nats-server running a deployment's own configuration file:
 * the file as written, on free ports, with its JetStream store moved to a
 * temporary directory (the server refuses a store directory given both in
 * the file and on the command line) and each user's password variable set
 * as docker-compose.yml and the Helm values set them: a new random password
 * in double quotes. Each password starts `5e7`, which the server would read
 * as a number were it not quoted.
 */
export async function startConfiguredNats(confPath = 'deploy/nats/nats-server.conf'): Promise<ConfiguredNats> {
  const users = natsServerConfUsers(confPath);
  const passwords = Object.fromEntries(users.map((user) => [user.user, `5e7${randomBytes(16).toString('hex')}`]));
  const environment = Object.fromEntries(users.map((user) => [user.password, `"${passwords[user.user]!}"`]));
  const dir = await mkdtemp(join(tmpdir(), 'tauliah-nats-conf-'));
  const text = await readFile(join(ROOT, confPath), 'utf8');
  const storeDir = /^\s*store_dir:\s*"[^"]*"\s*$/m;
  if (!storeDir.test(text)) throw new Error(`${confPath}: no store_dir line to point at a temporary directory`);
  await writeFile(join(dir, 'nats-server.conf'), text.replace(storeDir, `  store_dir: "${join(dir, 'store')}"`));
  const [port, monitorPort] = [await freePort(), await freePort()];
  const monitor = `http://127.0.0.1:${monitorPort}`;
  const server = new ManagedProcess({
    name: 'nats-server',
    command: NATS_SERVER_BINARY!,
    args: ['-c', join(dir, 'nats-server.conf'), '-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort)],
    cwd: dir,
    env: environment,
    // Ready once JetStream is: the health check docker-compose.yml uses.
    ready: () => answersOk(`${monitor}/healthz?js-enabled-only=true`),
    readyTimeoutMs: 20_000,
  });
  try {
    await server.start();
  } catch (error) {
    server.forget();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    urlFor(user) {
      const password = passwords[user];
      if (!password) throw new Error(`${confPath} has no user ${user}`);
      return `nats://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    },
    async streams() {
      const response = await fetch(`${monitor}/jsz?accounts=true&streams=true&consumers=true`);
      const report = (await response.json()) as { account_details?: Array<{ stream_detail?: StreamReport[] }> };
      return (report.account_details ?? []).flatMap((account) => account.stream_detail ?? []);
    },
    async destroy() {
      await server.stop();
      server.forget();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
