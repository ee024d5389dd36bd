import { readFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXPLORER_EXAMPLES,
  explorerEnabled,
  explorerPageConfig,
  explorerRoutes,
  explorerSettings,
  headersWithToken,
  namedOperation,
} from '../src/explorer/index.ts';

/** The explorer's routes alone on a server; anything they decline answers 418, so a fall-through is visible. */
async function serve(routes: ReturnType<typeof explorerRoutes>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    routes(req, res, new URL(req.url ?? '/', 'http://localhost')).then(
      (handled) => {
        if (!handled) res.writeHead(418).end('fell through');
      },
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
const readmeExamples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map(([, block]) => block!).filter((block) => /^# As: \w+\n/.test(block));

describe("the explorer's examples", () => {
  it("are the README's example operations, word for word, one per stakeholder", () => {
    expect(EXPLORER_EXAMPLES.map((example) => example.query)).toEqual(readmeExamples);
    expect(EXPLORER_EXAMPLES.map((example) => example.as)).toEqual(readmeExamples.map((block) => /^# As: (\w+)/.exec(block)![1]));
  });

  it('name each anonymous operation after its tab, changing nothing else', () => {
    const learner = EXPLORER_EXAMPLES.find((example) => example.as === 'LEARNER')!;
    expect(namedOperation(learner)).toBe(learner.query.replace('\n{\n', '\nquery Learner {\n'));
    const partner = EXPLORER_EXAMPLES.find((example) => example.as === 'PARTNER')!;
    expect(namedOperation(partner)).toBe(partner.query.replace('\nmutation {\n', '\nmutation Partner {\n'));
    const named = { as: 'public' as const, operationName: 'Other', query: '# As: public\nquery Courses { courses { totalCount } }\n' };
    expect(namedOperation(named)).toBe(named.query);
  });
});

describe("the explorer's opening tabs", () => {
  it('send a placeholder token to replace, except the public example, which sends none', () => {
    const { tabs, personas } = explorerPageConfig();
    expect(tabs).toHaveLength(EXPLORER_EXAMPLES.length);
    expect(tabs[0]).toEqual({ query: namedOperation(EXPLORER_EXAMPLES[0]!), headers: '{}' });
    expect(tabs.slice(1).map((tab) => tab.headers)).toEqual(tabs.slice(1).map(() => '{"authorization": "Bearer <token>"}'));
    expect(personas).toEqual([]);
  });

  it("send each stakeholder's demo token when the personas are given (embedded mode)", () => {
    const { tabs, personas } = explorerPageConfig([
      { role: 'LEARNER', description: 'Aisyah', token: 'learner.jwt' },
      { role: 'FUNDER', description: 'HRD Corp', token: 'funder.jwt' },
    ]);
    const headersOf = (as: string) => tabs[EXPLORER_EXAMPLES.findIndex((example) => example.as === as)]!.headers;
    expect(headersOf('LEARNER')).toBe(headersWithToken('learner.jwt'));
    expect(JSON.parse(headersOf('FUNDER'))).toEqual({ authorization: 'Bearer funder.jwt' });
    expect(headersOf('EMPLOYER')).toBe(headersWithToken('<token>'));
    expect(personas.map((persona) => persona.role)).toEqual(['LEARNER', 'FUNDER']);
  });
});

describe('whether the explorer is served', () => {
  it('is on outside production and off in production, unless EXPLORER_ENABLED says otherwise', () => {
    expect(explorerEnabled({ NODE_ENV: 'development' })).toBe(true);
    expect(explorerEnabled({ NODE_ENV: 'test' })).toBe(true);
    expect(explorerEnabled({ NODE_ENV: 'production' })).toBe(false);
    expect(explorerEnabled({ NODE_ENV: 'production', ...explorerSettings.parse({ EXPLORER_ENABLED: 'true' }) })).toBe(true);
    expect(explorerEnabled({ NODE_ENV: 'development', ...explorerSettings.parse({ EXPLORER_ENABLED: '0' }) })).toBe(false);
    expect(explorerSettings.safeParse({ EXPLORER_ENABLED: 'yes please' }).success).toBe(false);
  });
});

describe("the explorer's routes", () => {
  let plain: Awaited<ReturnType<typeof serve>>;
  let embedded: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    plain = await serve(explorerRoutes());
    embedded = await serve(explorerRoutes({ personas: [{ role: 'LEARNER', description: 'Aisyah', token: 'learner</script>.jwt' }] }));
  });
  afterAll(() => {
    plain?.server.close();
    embedded?.server.close();
  });

  const page = async (url: string, headers: Record<string, string> = {}) => {
    const response = await fetch(url, { headers });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

  it('serve the page at / under a policy allowing only this origin, with no address elsewhere', async () => {
    const { status, headers, text } = await page(`${plain.url}/`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(text).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect([...text.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, url]) => url)).toEqual([
      'data:,',
      '/explorer/graphiql.min.css',
      '/explorer/explorer.css',
      '/explorer/react.production.min.js',
      '/explorer/react-dom.production.min.js',
      '/explorer/graphiql.min.js',
      '/explorer/explorer.js',
    ]);
  });

  it('serve the page at /graphql to browsers only: GraphQL requests fall through to the endpoint', async () => {
    expect((await page(`${plain.url}/graphql`, { accept: 'text/html,application/xhtml+xml' })).text).toContain('<title>Tauliah explorer</title>');
    expect((await page(`${plain.url}/graphql`, { accept: 'application/json' })).status).toBe(418);
    expect((await page(`${plain.url}/graphql?query=%7B__typename%7D`, { accept: 'text/html' })).status).toBe(418);
    expect((await page(`${plain.url}/?query=%7B__typename%7D`)).status).toBe(418);
    const post = await fetch(`${plain.url}/graphql`, { method: 'POST', headers: { accept: 'text/html' }, body: '{}' });
    expect(post.status).toBe(418);
  });

  it("carry the tabs as inert JSON, the demo tokens only when given, escaped so they cannot end the script", async () => {
    const configOf = (html: string) => JSON.parse(/<script id="explorer-config" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(configOf((await page(`${plain.url}/`)).text)).toEqual(explorerPageConfig());
    const html = (await page(`${embedded.url}/`)).text;
    expect(html).not.toContain('learner</script>');
    expect(configOf(html).personas).toEqual([{ role: 'LEARNER', description: 'Aisyah', token: 'learner</script>.jwt' }]);
  });

  it('serve every file the page loads from node_modules and gateway/explorer, none reaching for another host', async () => {
    const files = {
      'react.production.min.js': 'text/javascript; charset=utf-8',
      'react-dom.production.min.js': 'text/javascript; charset=utf-8',
      'graphiql.min.js': 'text/javascript; charset=utf-8',
      'explorer.js': 'text/javascript; charset=utf-8',
      'graphiql.min.css': 'text/css; charset=utf-8',
      'explorer.css': 'text/css; charset=utf-8',
    };
    for (const [name, type] of Object.entries(files)) {
      const response = await fetch(`${plain.url}/explorer/${name}`);
      expect(response.status, name).toBe(200);
      expect(response.headers.get('content-type'), name).toBe(type);
      const text = await response.text();
      // Fonts are inlined as data: URLs; no stylesheet or script imports anything from elsewhere.
      expect(text, name).not.toMatch(/url\(\s*['"]?(https?:)?\/\//);
      expect(text, name).not.toMatch(/@import/);
      expect(text, name).not.toMatch(/fonts\.googleapis|cdn\.jsdelivr|unpkg\.com|apollographql/);
    }
    expect((await fetch(`${plain.url}/explorer/../package.json`)).status).not.toBe(200);
    expect((await fetch(`${plain.url}/explorer/missing.js`)).status).toBe(404);
  });

  it('send the files gzipped to browsers that accept it and answer 304 to a cached copy', async () => {
    const raw = await new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      request(`${plain.url}/explorer/graphiql.min.js`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(raw.body).toString('utf8')).toContain('GraphiQL');
    const again = await fetch(`${plain.url}/explorer/graphiql.min.js`, { headers: { 'if-none-match': String(raw.headers.etag) } });
    expect(again.status).toBe(304);
  });
});
