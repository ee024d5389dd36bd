import { createLogger } from '@tauliah/core';
import { courseId } from '@tauliah/demo-data';
import { codesOf, redisUrl } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { randomUUID } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseCacheEnabled } from '../src/gateway.ts';
import { ResponseCache, shareWrites } from '../src/response-cache.ts';

/** What undici publishes about a request it starts (the part read here): how the gateway reaches subgraphs. */
interface UndiciMessage {
  request: { origin: string; path: string; headers: string[] | string };
}

const COURSE = courseId('SE1101');
const CATALOGUE = `{ courses(filter: { mqfLevelMin: 3 }, first: 5) { totalCount edges { node { code title provider { name } skills { name } } } } }`;
const ONE_COURSE = `query($id: ID!) { course(id: $id) { code title provider { name } } }`;
const JOB_ROLES = `{ jobRoles(first: 3) { edges { node { title requiredSkills { skill { name courses(first: 2) { edges { node { title } } } } } } } } }`;
const SCHEMES = `{ schemes { code name } }`;

let graph: TestGraph;
let subgraphUrls: string[];
/** The request id of each subgraph call the gateway made: the caller's, passed on. */
const calls: string[] = [];

beforeAll(async () => {
  graph = await startTestGraph({ settings: { RESPONSE_CACHE: 'on' } });
  subgraphUrls = Object.values(graph.running.subgraphs).map((subgraph) => subgraph.url);
  diagnostics.subscribe('undici:request:create', onRequest);
});
afterAll(async () => {
  diagnostics.unsubscribe('undici:request:create', onRequest);
  await graph?.stop();
});

function onRequest(message: unknown): void {
  const { request } = message as UndiciMessage;
  if (!subgraphUrls.includes(`${request.origin}${request.path}`)) return;
  const headers = Array.isArray(request.headers) ? request.headers : request.headers.split(/\r\n|: /);
  const at = headers.findIndex((header) => header.toLowerCase() === 'x-request-id');
  if (at >= 0) calls.push(headers[at + 1]!);
}

/**
 * The subgraph calls the gateway made for the requests `run` sent with
 * `requestId` (services' own reads through the gateway, which background
 * work may make meanwhile, carry other ids), with what `run` returned.
 */
async function subgraphCallsDuring<T>(run: (requestId: { 'x-request-id': string }) => Promise<T>): Promise<{ calls: number; result: T }> {
  const id = randomUUID();
  const result = await run({ 'x-request-id': id });
  return { calls: calls.filter((call) => call === id).length, result };
}

describe('the gateway keeps published answers', () => {
  it('answers the same question from a caller without a token again without asking any subgraph, byte for byte', async () => {
    const first = await subgraphCallsDuring((headers) => graph.gateway.query(CATALOGUE, { headers }));
    expect(first.result.errors).toBeUndefined();
    expect(first.calls).toBeGreaterThan(0);
    expect(first.result.headers.get('cache-control')).toBe('max-age=60, public');

    const again = await subgraphCallsDuring((headers) => graph.gateway.query(CATALOGUE, { headers }));
    expect(again.calls).toBe(0);
    expect(JSON.stringify(again.result.data)).toBe(JSON.stringify(first.result.data));
    expect(again.result.headers.get('cache-control')).toMatch(/^max-age=(60|59), public$/);

    // Other variables are another question.
    const other = await subgraphCallsDuring((headers) => graph.gateway.query(CATALOGUE.replace('first: 5', 'first: 4'), { headers }));
    expect(other.calls).toBeGreaterThan(0);
    expect(other.result.data?.courses.edges).toHaveLength(4);
  });

  it('keeps what two subgraphs answered together (job roles and the courses teaching their skills)', async () => {
    const token = await graph.tokens.tokenFor('EMPLOYER');
    const first = await subgraphCallsDuring((headers) => graph.gateway.query(JOB_ROLES, { token, headers }));
    expect(first.result.errors).toBeUndefined();
    expect(first.calls).toBeGreaterThanOrEqual(2);
    const again = await subgraphCallsDuring((headers) => graph.gateway.query(JOB_ROLES, { token, headers }));
    expect(again.calls).toBe(0);
    expect(again.result.data).toEqual(first.result.data);
  });

  it("serves a signed-in caller's answer to that token only, and says private", async () => {
    const employer = await graph.tokens.tokenFor('EMPLOYER');
    const first = await graph.gateway.query(SCHEMES, { token: employer });
    expect(first.errors).toBeUndefined();
    expect(first.headers.get('cache-control')).toBe('max-age=60, private');
    expect((await subgraphCallsDuring((headers) => graph.gateway.query(SCHEMES, { token: employer, headers }))).calls).toBe(0);

    // The same question from anyone else is asked afresh: what a subgraph answered one token is never another's.
    const funder = await subgraphCallsDuring((headers) => graph.gateway.query(SCHEMES, { as: 'FUNDER', headers }));
    expect(funder.calls).toBeGreaterThan(0);
    const anonymous = await subgraphCallsDuring((headers) => graph.gateway.query(SCHEMES, { headers }));
    expect(anonymous.calls).toBeGreaterThan(0);
    expect(anonymous.result.headers.get('cache-control')).toBe('max-age=60, public');
  });

  it("never keeps what a subgraph did not mark as published: a learner's own record, or a question mixing it in", async () => {
    const token = await graph.tokens.tokenFor('LEARNER');
    for (const query of ['{ me { fullName } }', `{ me { fullName } courses(first: 1) { totalCount } }`]) {
      const first = await graph.gateway.query(query, { token });
      expect(first.errors).toBeUndefined();
      expect(first.headers.get('cache-control')).toBe('no-store');
      expect((await subgraphCallsDuring((headers) => graph.gateway.query(query, { token, headers }))).calls).toBeGreaterThan(0);
    }
  });

  it('never keeps a published course asked with what one subgraph adds for one learner (its funding options)', async () => {
    const token = await graph.tokens.tokenFor('LEARNER');
    const { me } = await graph.gateway.ok('{ me { id } }', { token });
    const query = `query($id: ID!, $learner: ID!) { course(id: $id) { title fundingOptions(learnerId: $learner) { scheme { code } } } }`;
    const first = await graph.gateway.query(query, { token, variables: { id: COURSE, learner: me.id } });
    expect(first.errors).toBeUndefined();
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect((await subgraphCallsDuring((headers) => graph.gateway.query(query, { token, variables: { id: COURSE, learner: me.id }, headers }))).calls).toBeGreaterThanOrEqual(2);
  });

  it('never keeps an answer with an error', async () => {
    const unknown = { id: '00000000-0000-4000-8000-00000000dead' };
    const first = await graph.gateway.query(ONE_COURSE, { variables: unknown });
    expect(codesOf(first)).toEqual(['NOT_FOUND']);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const again = await subgraphCallsDuring((headers) => graph.gateway.query(ONE_COURSE, { variables: unknown, headers }));
    expect(again.calls).toBeGreaterThan(0);
    expect(codesOf(again.result)).toEqual(['NOT_FOUND']);
  });

  it("serves nothing kept after a write through the graph to the subgraph it came from, and keeps other subgraphs' answers", async () => {
    const before = await graph.gateway.ok(ONE_COURSE, { variables: { id: COURSE } });
    await graph.gateway.ok(SCHEMES);
    expect((await subgraphCallsDuring((headers) => graph.gateway.query(ONE_COURSE, { variables: { id: COURSE }, headers }))).calls).toBe(0);

    const title = `${before.course.title} (2027 intake)`;
    const updated = await graph.gateway.query(`mutation($id: ID!, $input: CourseInput!) { updateCourse(id: $id, input: $input) { title } }`, {
      as: 'PROVIDER_STAFF',
      variables: { id: COURSE, input: { title } },
    });
    expect(updated.errors).toBeUndefined();
    expect(updated.headers.get('cache-control')).toBe('no-store');

    const after = await subgraphCallsDuring((headers) => graph.gateway.ok(ONE_COURSE, { variables: { id: COURSE }, headers }));
    expect(after.calls).toBeGreaterThan(0);
    expect(after.result.course.title).toBe(title);
    // Funding was not written to: its schemes are still served as kept.
    expect((await subgraphCallsDuring((headers) => graph.gateway.query(SCHEMES, { headers }))).calls).toBe(0);
    await graph.gateway.ok(`mutation($id: ID!, $input: CourseInput!) { updateCourse(id: $id, input: $input) { title } }`, {
      as: 'PROVIDER_STAFF',
      variables: { id: COURSE, input: { title: before.course.title } },
    });
  });
});

describe('what is kept, and for how long', () => {
  const result = { data: { schemes: [{ code: 'HRD-MC' }] } };

  it('forgets an answer once its max-age has passed', () => {
    let now = 1_000_000;
    const cache = new ResponseCache({ enabled: true, maxBytes: 1024 * 1024, now: () => now });
    cache.keep('k', result, 60, ['funding'], cache.writes, 'public');
    now += 59_000;
    expect(cache.get('k')?.result).toEqual(result);
    now += 1_000;
    expect(cache.get('k')).toBeUndefined();
  });

  it('does not keep an answer made while a write reached one of its subgraphs, nor one with no max-age', () => {
    const cache = new ResponseCache({ enabled: true, maxBytes: 1024 * 1024 });
    const began = cache.writes;
    cache.written('funding');
    cache.keep('during', result, 60, ['funding'], began, 'public');
    expect(cache.get('during')).toBeUndefined();
    cache.keep('unrelated', result, 60, ['providers'], began, 'public');
    expect(cache.get('unrelated')).toBeDefined();
    cache.keep('no max-age', result, 0, ['providers'], cache.writes, 'public');
    expect(cache.get('no max-age')).toBeUndefined();
  });

  it('keeps within its size, forgetting the least recently used first', () => {
    const cache = new ResponseCache({ enabled: true, maxBytes: 3 * JSON.stringify(result).length });
    for (const key of ['a', 'b', 'c']) cache.keep(key, result, 60, ['funding'], cache.writes, 'public');
    cache.get('a');
    cache.keep('d', result, 60, ['funding'], cache.writes, 'public');
    expect(['a', 'b', 'c', 'd'].filter((key) => cache.get(key))).toEqual(['a', 'c', 'd']);
  });

  it('is on by default only where every gateway sees every write, and as RESPONSE_CACHE says when set', () => {
    const redis = 'redis://cache.internal:6379';
    expect(responseCacheEnabled({ RESPONSE_CACHE_MAX_MB: 64 }, { NODE_ENV: 'development' })).toBe(true);
    expect(responseCacheEnabled({ RESPONSE_CACHE_MAX_MB: 64 }, { NODE_ENV: 'production', REDIS_URL: redis })).toBe(true);
    // Replicas without Redis would not hear each other's writes.
    expect(responseCacheEnabled({ RESPONSE_CACHE_MAX_MB: 64 }, { NODE_ENV: 'production' })).toBe(false);
    expect(responseCacheEnabled({ RESPONSE_CACHE_MAX_MB: 64 }, { NODE_ENV: 'test' })).toBe(false);
    expect(responseCacheEnabled({ RESPONSE_CACHE: 'on', RESPONSE_CACHE_MAX_MB: 64 }, { NODE_ENV: 'production' })).toBe(true);
    expect(responseCacheEnabled({ RESPONSE_CACHE: 'off', RESPONSE_CACHE_MAX_MB: 64 }, { NODE_ENV: 'development' })).toBe(false);
  });

  it('keeps and serves nothing when turned off', () => {
    const cache = new ResponseCache({ enabled: false, maxBytes: 1024 * 1024 });
    cache.keep('k', result, 60, ['funding'], cache.writes, 'public');
    expect(cache.get('k')).toBeUndefined();
  });
});

// Set in CI's PostgreSQL phase (.ci/run): the real Redis the gateways share.
const REDIS_URL = redisUrl();
describe.skipIf(!REDIS_URL)(`gateways sharing writes through Redis${REDIS_URL ? '' : ' (skipped: REDIS_URL is not set)'}`, () => {
  const log = createLogger({ level: 'silent' });
  const result = { data: { courses: { totalCount: 3 } } };

  it("stops serving an answer once another gateway's write reached its subgraph", async () => {
    const here = new ResponseCache({ enabled: true, maxBytes: 1024 * 1024 });
    const there = new ResponseCache({ enabled: true, maxBytes: 1024 * 1024 });
    const sharing = [await shareWrites(here, REDIS_URL!, log), await shareWrites(there, REDIS_URL!, log)];
    try {
      here.keep('catalogue', result, 60, ['providers'], here.writes, 'public');
      expect(here.get('catalogue')).toBeDefined();
      there.written('providers');
      await expect.poll(() => here.get('catalogue'), { timeout: 5_000 }).toBeUndefined();
    } finally {
      for (const shared of sharing) await shared.close();
    }
  });

  it('serves nothing kept while it cannot hear the other gateways', async () => {
    const cache = new ResponseCache({ enabled: true, maxBytes: 1024 * 1024 });
    // Nothing listens on port 1: Redis is down from the start.
    const shared = await shareWrites(cache, 'redis://127.0.0.1:1', log);
    try {
      cache.keep('catalogue', result, 60, ['providers'], cache.writes, 'public');
      expect(cache.get('catalogue')).toBeUndefined();
    } finally {
      await shared.close();
    }
  });
});
