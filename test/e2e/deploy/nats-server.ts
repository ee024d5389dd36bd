import { startThrowawayNats } from '@tauliah/testing';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { natsServerConfUsers } from './dependencies.ts';
import { ROOT } from './kustomize.ts';

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
 * A throwaway nats-server (@tauliah/testing) running a deployment's own
 * configuration file: the file as written, on free ports, with its JetStream
 * store moved to the server's temporary directory and each user's password
 * variable set as docker-compose.yml and the Helm values set them: a new
 * random password in double quotes. Each password starts `5e7`, which the
 * server would read as a number were it not quoted.
 */
export async function startConfiguredNats(confPath = 'deploy/nats/nats-server.conf'): Promise<ConfiguredNats> {
  const users = natsServerConfUsers(confPath);
  const passwords = Object.fromEntries(users.map((user) => [user.user, `5e7${randomBytes(16).toString('hex')}`]));
  const environment = Object.fromEntries(users.map((user) => [user.password, `"${passwords[user.user]!}"`]));
  const text = await readFile(join(ROOT, confPath), 'utf8');
  const storeDir = /^\s*store_dir:\s*"[^"]*"\s*$/m;
  if (!storeDir.test(text)) throw new Error(`${confPath}: no store_dir line to point at a temporary directory`);
  const nats = await startThrowawayNats({ configuration: (dir) => text.replace(storeDir, `  store_dir: "${dir}"`), env: environment });
  return {
    urlFor(user) {
      const password = passwords[user];
      if (!password) throw new Error(`${confPath} has no user ${user}`);
      return `nats://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${nats.port}`;
    },
    async streams() {
      const response = await fetch(`${nats.monitorUrl}/jsz?accounts=true&streams=true&consumers=true`);
      const report = (await response.json()) as { account_details?: Array<{ stream_detail?: StreamReport[] }> };
      return (report.account_details ?? []).flatMap((account) => account.stream_detail ?? []);
    },
    destroy: () => nats.destroy(),
  };
}
