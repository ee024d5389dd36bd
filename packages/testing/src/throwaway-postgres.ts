import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { freePort } from './ports.ts';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of a test's own, in a temporary directory: the fault
 * tests stop, restart and crash it under load, which they must never do to
 * the machine's shared server.
 */
export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication). */
  url: string;
  port: number;
  dataDir: string;
  /** `pg_ctl stop`: 'fast' ends sessions cleanly, 'immediate' is a crash (recovery on the next start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  restart(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops the cluster (immediately) and deletes its directory. */
  destroy(): Promise<void>;
}

/** Initialises a cluster with initdb and starts it on 127.0.0.1 (a free port unless `port` is given). */
export async function startThrowawayPostgres(options: { port?: number } = {}): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  const root = await mkdtemp(join(tmpdir(), 'tauliah-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'postgres.log');
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: the cluster belongs to the postgres OS user, as on a server.
  if (asRoot) await chown(root, ...postgresUser());
  const command = (tool: string, args: string[]) =>
    asRoot ? (['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] as const) : ([join(bin, tool), args] as const);
  const exec = async (tool: string, args: string[], timeoutMs: number) => {
    const [file, argv] = command(tool, args);
    try {
      await run(file, argv, { timeout: timeoutMs, cwd: root });
    } catch (error) {
      throw new Error(`${tool} ${args.join(' ')} failed: ${describe(error)}`, { cause: error });
    }
  };

  try {
    await exec('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--no-locale', '--no-instructions'], 60_000);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  const port = options.port ?? (await freePort());
  // fsync off: a crash of the server process (stop -m immediate) loses nothing the kernel
  // already holds, which is all a test exercises; only a machine crash would.
  const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const pgCtl = (args: string[]) => exec('pg_ctl', ['-D', dataDir, '-w', '-t', '60', ...args], 90_000);

  let running = false;
  const start = async () => {
    await pgCtl(['-l', logFile, '-o', serverOptions, 'start']);
    running = true;
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    await pgCtl(['-m', mode, 'stop']);
    running = false;
  };
  // A test that dies without destroy() must not leave a server running behind it.
  const stopOnExit = () => {
    if (!running) return;
    const [file, argv] = command('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']);
    try {
      execFileSync(file, [...argv], { stdio: 'ignore', timeout: 10_000 });
    } catch {
      // Already gone: nothing to stop.
    }
  };
  process.once('exit', stopOnExit);

  try {
    await start();
  } catch (error) {
    process.removeListener('exit', stopOnExit);
    await rm(root, { recursive: true, force: true });
    throw error;
  }

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop,
    start,
    async restart(mode = 'fast') {
      await stop(mode);
      await start();
    },
    async destroy() {
      process.removeListener('exit', stopOnExit);
      if (running) await stop('immediate').catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The newest installed PostgreSQL's bin directory (Debian lays them out as /usr/lib/postgresql/<major>/bin). */
function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((name) => /^\d+$/.test(name) && existsSync(join(base, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) throw new Error(`no PostgreSQL server binaries (initdb, pg_ctl) under ${base}: install postgresql`);
  return join(base, newest, 'bin');
}

function postgresUser(): [number, number] {
  const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim()));
  if (uid === undefined || gid === undefined || Number.isNaN(uid) || Number.isNaN(gid)) throw new Error('no postgres OS user to own the cluster');
  return [uid, gid];
}

function describe(error: unknown): string {
  const output = error as { stderr?: string; stdout?: string; message?: string };
  return [output.stderr, output.stdout].filter(Boolean).join('\n').trim() || String(output.message ?? error);
}
