import { parentPort } from 'node:worker_threads';
import { issuerKeyFromSeed, type IssuerKey } from './keys.ts';
import { signDataIntegrity } from './sign.ts';

/** A signing thread: Data Integrity proofs are CPU-bound (~5-9 ms each), so a cohort spreads over the cores. */
const keys = new Map<string, Promise<IssuerKey>>();

interface SignTask {
  id: number;
  controller: string;
  seed: Uint8Array;
  credentials: object[];
  date: string;
}

// Each task answers for itself, its failure included, so the listener does not wait on it.
parentPort!.on('message', (task: SignTask) => void sign(task));

async function sign(task: SignTask): Promise<void> {
  try {
    const cacheKey = `${task.controller}:${Buffer.from(task.seed).toString('base64url')}`;
    let key = keys.get(cacheKey);
    if (!key) keys.set(cacheKey, (key = issuerKeyFromSeed(task.controller, task.seed)));
    const signed = [];
    for (const credential of task.credentials) signed.push(await signDataIntegrity(credential, await key, new Date(task.date)));
    parentPort!.postMessage({ id: task.id, signed });
  } catch (error) {
    parentPort!.postMessage({ id: task.id, error: error instanceof Error ? error.message : String(error) });
  }
}
