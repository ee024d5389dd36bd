/**
 * `npm run bench [-- name ...]`: runs every `*.bench.ts` in this folder (or
 * those whose names contain one of the given words), one after another, each
 * in its own process so one bench's warm caches never flatter another's.
 */
import { imageNodeOptions } from '@tauliah/testing';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(folder)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((word) => file.includes(word)))
  .sort();
if (benches.length === 0) {
  console.error(`No bench matches ${wanted.join(', ')}. Available: ${readdirSync(folder).filter((f) => f.endsWith('.bench.ts')).join(', ')}`);
  process.exit(1);
}
// Every process a bench starts (its own, subgraphs, gateways, peers alike) inherits the image's Node flags, as production
// runs them; NODE_OPTIONS given to `npm run bench` comes after them, so it can override one.
const nodeOptions = [...imageNodeOptions(), process.env.NODE_OPTIONS ?? ''].join(' ').trim();
let failed = false;
for (const bench of benches) {
  console.log(`\n=== ${bench}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `${folder}/${bench}`], { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: nodeOptions } });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
