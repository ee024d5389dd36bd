import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { IssuerKey } from './keys.ts';
import { signDataIntegrity } from './sign.ts';

/** Below this many documents a batch is signed on the calling thread: starting work elsewhere would cost more than it saves. */
export const POOL_THRESHOLD = 64;

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

  private start(): Worker[] {
    if (this.workers) return this.workers;
    this.workers = Array.from({ length: Math.max(1, availableParallelism()) }, () => {
      const worker = new Worker(new URL('./sign-worker.ts', import.meta.url));
      worker.unref();
      worker.on('message', (message: { id: number; signed?: object[]; error?: string }) => {
        const task = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) task?.reject(new Error(message.error));
        else task?.resolve(message.signed!);
      });
      worker.on('error', (error) => {
        for (const task of this.pending.values()) task.reject(error);
        this.pending.clear();
        this.workers = null;
      });
      return worker;
    });
    return this.workers;
  }

  async sign(credentials: object[], key: IssuerKey, seed: Uint8Array, date: Date): Promise<object[]> {
    const workers = this.start();
    const size = Math.ceil(credentials.length / workers.length);
    const parts = workers.map((worker, i) => {
      const slice = credentials.slice(i * size, (i + 1) * size);
      if (slice.length === 0) return Promise.resolve([]);
      const id = this.nextId++;
      return new Promise<object[]>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
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
