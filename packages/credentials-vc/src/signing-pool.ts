import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IssuerKey } from './keys.ts';
import { signDataIntegrity } from './sign.ts';

/** Below this many documents a batch is signed on the calling thread: starting work elsewhere would cost more than it saves. */
export const POOL_THRESHOLD = 64;

const WORKER_URL = new URL('./sign-worker.ts', import.meta.url);

/**
 * A signing thread. Our TypeScript runs through tsx, whose module hooks a
 * worker thread does not inherit on Node 20: loaded as is, the worker fails on
 * its `.ts` file and every batch fell back to the calling thread. So the
 * thread registers tsx first, then loads the worker.
 */
function startWorker(): Worker {
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL);
  // tsx's ESM entry (its CommonJS twin cannot register ESM hooks), found from here whatever the working directory.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => register()).then(() => import(${JSON.stringify(WORKER_URL.href)}))`;
  return new Worker(boot, { eval: true });
}

interface Pending {
  resolve(signed: object[]): void;
  reject(error: Error): void;
}

/**
 * Data Integrity signing spread over worker threads, one per core. The key's
 * seed is handed to threads of this process only. If threads cannot start
 * (a runtime without them), signing falls back to the calling thread.
 */
class SigningPool {
  private workers: Worker[] | null = null;
  private pending = new Map<number, Pending>();
  private nextId = 0;
  /** Where the next batch starts, so single documents (learner records) take turns across the threads. */
  private turn = 0;

  private start(): Worker[] {
    if (this.workers) return this.workers;
    this.workers = Array.from({ length: Math.max(1, availableParallelism()) }, () => {
      const worker = startWorker();
      worker.on('message', (message: { id: number; signed?: object[]; error?: string }) => {
        const task = this.pending.get(message.id);
        this.pending.delete(message.id);
        this.holdProcess();
        if (message.error) task?.reject(new Error(message.error));
        else task?.resolve(message.signed!);
      });
      worker.on('error', (error) => {
        for (const task of this.pending.values()) task.reject(error);
        this.pending.clear();
        // The next batch starts afresh; the threads left of this set must not linger.
        const failed = this.workers;
        this.workers = null;
        for (const other of failed ?? []) void other.terminate();
      });
      // After the listeners, which would ref it again: an idle pool must not keep the process alive.
      worker.unref();
      return worker;
    });
    return this.workers;
  }

  /** The threads keep the process alive while they sign (a script awaiting a batch must not exit), not once idle. */
  private holdProcess(): void {
    for (const worker of this.workers ?? []) {
      if (this.pending.size > 0) worker.ref();
      else worker.unref();
    }
  }

  async sign(credentials: object[], key: IssuerKey, seed: Uint8Array, date: Date): Promise<object[]> {
    const workers = this.start();
    const size = Math.ceil(credentials.length / workers.length);
    const first = this.turn++ % workers.length;
    const parts = workers.map((_, i) => {
      const worker = workers[(first + i) % workers.length]!;
      const slice = credentials.slice(i * size, (i + 1) * size);
      if (slice.length === 0) return Promise.resolve([]);
      const id = this.nextId++;
      return new Promise<object[]>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        this.holdProcess();
        worker.postMessage({ id, controller: key.controller, seed, credentials: slice, date: date.toISOString() });
      });
    });
    return (await Promise.all(parts)).flat();
  }
}

const pool = new SigningPool();

/** Signs many credentials with one key: across cores for a large batch, on this thread for a small one. */
export async function signDataIntegrityMany<T extends object>(credentials: T[], key: IssuerKey, seed: Uint8Array, date = new Date()): Promise<Array<T & { proof: object[] }>> {
  if (credentials.length >= POOL_THRESHOLD) {
    try {
      return (await pool.sign(credentials, key, seed, date)) as Array<T & { proof: object[] }>;
    } catch {
      // Threads unavailable here: sign on this thread instead.
    }
  }
  const signed = [];
  for (const credential of credentials) signed.push(await signDataIntegrity(credential, key, date));
  return signed;
}

/**
 * Signs one large document on a signing thread: a learner record embeds every
 * credential its learner holds, and canonicalising it costs ~15 ms per
 * credential, which would hold up every other request on the calling thread.
 * On this thread where threads cannot start.
 */
export async function signDataIntegrityAside<T extends object>(credential: T, key: IssuerKey, seed: Uint8Array, date = new Date()): Promise<T & { proof: object[] }> {
  try {
    const [signed] = await pool.sign([credential], key, seed, date);
    if (signed) return signed as T & { proof: object[] };
  } catch {
    // Threads unavailable here: sign on this thread instead.
  }
  return signDataIntegrity(credential, key, date);
}
