import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { EXPLORER_ASSET_PATH, explorerAssets } from './assets.ts';
import { EXPLORER_CONTENT_SECURITY_POLICY, explorerPageConfig, renderExplorerPage, type ExplorerPersona } from './page.ts';

export { EXPLORER_EXAMPLES, type ExplorerExample } from './examples.ts';
export { EXPLORER_ASSET_PATH } from './assets.ts';
export { explorerPageConfig, headersWithToken, namedOperation, renderExplorerPage, type ExplorerPersona } from './page.ts';

/**
 * `EXPLORER_ENABLED`: whether the gateway serves the explorer (and keeps
 * introspection on for it). Unset, it is on everywhere but production.
 */
export const explorerSettings = z.object({
  EXPLORER_ENABLED: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .transform((value) => value === 'true' || value === '1')
    .optional(),
});

export type ExplorerSettings = z.infer<typeof explorerSettings>;

export function explorerEnabled(config: { NODE_ENV: string } & ExplorerSettings): boolean {
  return config.EXPLORER_ENABLED ?? config.NODE_ENV !== 'production';
}

export interface ExplorerOptions {
  /** The demo personas and their tokens, offered in the explorer: embedded mode only, never in production. */
  personas?: readonly ExplorerPersona[];
}

/** A browser navigating to the endpoint (not a GraphQL client, and not a GET carrying a query). */
function isPageRequest(req: IncomingMessage, url: URL): boolean {
  if (url.searchParams.has('query')) return false;
  if (url.pathname === '/') return true;
  return url.pathname === '/graphql' && (req.headers.accept ?? '').includes('text/html');
}

/**
 * The explorer's routes for core's HTTP server (`routes`): the page at `/`
 * and, for browsers, at `/graphql`, and its files under /explorer/, all
 * from this origin. GraphQL requests fall through to the endpoint.
 */
export function explorerRoutes(options: ExplorerOptions = {}): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean> {
  // Rendered once: the examples and tokens are fixed for the life of the gateway.
  const page = Buffer.from(renderExplorerPage(explorerPageConfig(options.personas)));
  return async (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (url.pathname.startsWith(EXPLORER_ASSET_PATH)) {
      await sendAsset(req, res, url.pathname.slice(EXPLORER_ASSET_PATH.length));
      return true;
    }
    if (!isPageRequest(req, url)) return false;
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': page.length,
      // The page may carry demo tokens: never kept by a cache.
      'cache-control': 'no-store',
      'content-security-policy': EXPLORER_CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      vary: 'accept',
    });
    res.end(req.method === 'HEAD' ? undefined : page);
    return true;
  };
}

async function sendAsset(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
  const asset = (await explorerAssets()).get(name);
  if (!asset) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found.');
    return;
  }
  const headers: Record<string, string | number> = {
    'content-type': asset.contentType,
    etag: asset.etag,
    // Revalidated on each load (the files change when the packages are upgraded); a 304 costs nothing.
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    vary: 'accept-encoding',
  };
  if (req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? asset.gzipped : asset.body;
  res.writeHead(200, { ...headers, ...(gzip ? { 'content-encoding': 'gzip' } : {}), 'content-length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
}
