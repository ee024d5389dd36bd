import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DOCKERFILE = fileURLToPath(new URL('../../../Dockerfile', import.meta.url));

/**
 * The Node flags the image runs every process with (the Dockerfile's
 * `ENV NODE_OPTIONS=`): benches run with them too, as production does, and a
 * Kubernetes pod that sets NODE_OPTIONS must keep them, since its value
 * replaces the image's.
 */
export function imageNodeOptions(): string[] {
  const value = /^ENV NODE_OPTIONS=(.+)$/m.exec(readFileSync(DOCKERFILE, 'utf8'))?.[1] ?? '';
  return value.replace(/^"|"$/g, '').split(/\s+/).filter(Boolean);
}
