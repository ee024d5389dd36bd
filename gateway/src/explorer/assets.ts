import { sharedOnce } from '@tauliah/core';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

/** Where the explorer's files are served: `/explorer/graphiql.min.js`, ... */
export const EXPLORER_ASSET_PATH = '/explorer/';

const require = createRequire(import.meta.url);
/** A package's folder in node_modules (its files are served as npm installed them; nothing is fetched at run time). */
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const OWN_DIR = fileURLToPath(new URL('../../explorer/', import.meta.url));

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Every file the explorer page loads, by its name under /explorer/: React 18's and GraphiQL 3's browser builds, and ours. */
export const EXPLORER_FILES: Readonly<Record<string, { path: () => string; contentType: string }>> = {
  'react.production.min.js': { path: () => join(packageDir('react'), 'umd/react.production.min.js'), contentType: JS },
  'react-dom.production.min.js': { path: () => join(packageDir('react-dom'), 'umd/react-dom.production.min.js'), contentType: JS },
  'graphiql.min.js': { path: () => join(packageDir('graphiql'), 'graphiql.min.js'), contentType: JS },
  'graphiql.min.css': { path: () => join(packageDir('graphiql'), 'graphiql.min.css'), contentType: CSS },
  'explorer.js': { path: () => join(OWN_DIR, 'explorer.js'), contentType: JS },
  'explorer.css': { path: () => join(OWN_DIR, 'explorer.css'), contentType: CSS },
};

export interface ExplorerAsset {
  body: Buffer;
  /** The same bytes gzipped, for browsers that accept it (GraphiQL's build is ~1 MB, ~250 kB gzipped). */
  gzipped: Buffer;
  contentType: string;
  etag: string;
}

const gzipAsync = promisify(gzip);
/** Reads and compresses the files once per process, on first use; every gateway in the process shares them. */
export const explorerAssets: () => Promise<Map<string, ExplorerAsset>> = sharedOnce(() => loadAssets());

async function loadAssets(): Promise<Map<string, ExplorerAsset>> {
  const entries = await Promise.all(
    Object.entries(EXPLORER_FILES).map(async ([name, file]) => {
      const body = await readFile(file.path());
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      return [name, { body, gzipped: await gzipAsync(body), contentType: file.contentType, etag }] as const;
    }),
  );
  return new Map(entries);
}
