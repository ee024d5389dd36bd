import type { Role } from '@tauliah/core';
import { EXPLORER_EXAMPLES, type ExplorerExample } from './examples.ts';
import { EXPLORER_ASSET_PATH } from './assets.ts';

/** A demo persona the explorer offers in embedded mode: its role, who it is, and a token minted for it. */
export interface ExplorerPersona {
  role: Role;
  description: string;
  token: string;
}

/** What the page hands the explorer script: GraphiQL's opening tabs and the personas to pick from. */
export interface ExplorerPageConfig {
  endpoint: string;
  tabs: Array<{ query: string; headers: string }>;
  personas: ExplorerPersona[];
}

/** A placeholder the caller replaces with their own token (outside embedded mode, the explorer knows none). */
export const TOKEN_PLACEHOLDER = '<token>';

/** The header editor's contents that send `token`, as GraphiQL expects them (a JSON object). */
export function headersWithToken(token: string): string {
  return `{"authorization": ${JSON.stringify(`Bearer ${token}`)}}`;
}

/**
 * The example with its anonymous operation named (`{` → `query Learner {`),
 * because GraphiQL titles a tab by its operation's name; the rest is untouched.
 */
export function namedOperation(example: ExplorerExample): string {
  const lines = example.query.split('\n');
  const first = lines.findIndex((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  const anonymous = first >= 0 ? /^(query|mutation|subscription)?\s*\{/.exec(lines[first]!) : null;
  if (!anonymous) return example.query;
  lines[first] = `${anonymous[1] ?? 'query'} ${example.operationName} ${lines[first]!.slice(anonymous[0].length - 1)}`;
  return lines.join('\n');
}

/**
 * The explorer's opening state: a tab per example, each sending its
 * stakeholder's token when one is known (embedded mode) and a placeholder to
 * replace otherwise; the public example sends none.
 */
export function explorerPageConfig(
  personas: readonly ExplorerPersona[] = [],
  examples: readonly ExplorerExample[] = EXPLORER_EXAMPLES,
): ExplorerPageConfig {
  const tokens = new Map(personas.map((persona) => [persona.role as string, persona.token]));
  return {
    endpoint: '/graphql',
    tabs: examples.map((example) => ({
      query: namedOperation(example),
      headers: example.as === 'public' ? '{}' : headersWithToken(tokens.get(example.as) ?? TOKEN_PLACEHOLDER),
    })),
    personas: [...personas],
  };
}

/** JSON safe inside a `<script>` element: no `</script>`, no `<!--`, no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The explorer's HTML: GraphiQL and React from this origin (no CDN, fonts
 * inlined in GraphiQL's stylesheet), its settings as inert JSON, so the page
 * runs under a policy that allows no inline script.
 */
export function renderExplorerPage(config: ExplorerPageConfig): string {
  const asset = (name: string) => `${EXPLORER_ASSET_PATH}${name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tauliah explorer</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset('graphiql.min.css')}">
<link rel="stylesheet" href="${asset('explorer.css')}">
</head>
<body>
<div id="explorer"><p class="tauliah-loading">Loading the explorer…</p></div>
<noscript><p class="tauliah-loading">The explorer needs JavaScript. Without it, POST GraphQL requests to /graphql.</p></noscript>
<script id="explorer-config" type="application/json">${scriptJson(config)}</script>
<script src="${asset('react.production.min.js')}"></script>
<script src="${asset('react-dom.production.min.js')}"></script>
<script src="${asset('graphiql.min.js')}"></script>
<script src="${asset('explorer.js')}"></script>
</body>
</html>
`;
}

/**
 * The page's Content-Security-Policy: scripts, styles and requests only to
 * this origin (styles inline too: React and CodeMirror set them), fonts and
 * images also from data: URLs (GraphiQL inlines its fonts), no framing.
 */
export const EXPLORER_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
