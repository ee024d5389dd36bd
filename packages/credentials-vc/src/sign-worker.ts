import { parentPort } from 'node:worker_threads';
import { issuerKeyFromSeed, type IssuerKey } from './keys.ts';
import { signDataIntegrity } from './sign.ts';

/** A signing thread: Data Integrity proofs are CPU-bound (~5-9 ms each), so a cohort spreads over the cores. */
const keys = new Map<string, Promise<IssuerKey>>();

parentPort!.on('message', async (task: { id: number; controller: string; seed: Uint8Array; credentials: object[]; date: string }) => {
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
});
