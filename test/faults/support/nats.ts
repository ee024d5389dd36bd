import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ManagedProcess } from './processes.ts';

const NATS_SERVER = '/usr/sbin/nats-server';

/**
 * A NATS JetStream server of the test's own, on a free port with its store in
 * a temporary directory: stopping it disturbs nothing else on the machine, and
 * the streams it keeps survive its restarts as a real server's do.
 */
export interface ThrowawayNats {
  url: string;
  port: number;
  /** Stops it (SIGTERM; streams and consumers stay in the store directory). */
  stop(): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  readonly server: ManagedProcess;
  destroy(): Promise<void>;
}

export async function startThrowawayNats(): Promise<ThrowawayNats> {
  const storeDir = await mkdtemp(join(tmpdir(), 'tauliah-nats-'));
  const port = await freePort();
  const server = new ManagedProcess({
    name: 'nats-server',
    command: NATS_SERVER,
    args: ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir],
    cwd: storeDir,
    env: {},
    ready: () => acceptsConnections(port),
    readyTimeoutMs: 20_000,
  });
  try {
    await server.start();
  } catch (error) {
    await rm(storeDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    server,
    stop: () => server.stop(),
    start: () => server.start(),
    async destroy() {
      await server.stop();
      server.forget();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}

/** The server has opened its client port (it does so once JetStream has loaded its store). */
function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
