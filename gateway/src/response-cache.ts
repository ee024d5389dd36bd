import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { BoundedCache, type Logger } from '@tauliah/core';
import { OperationTypeNode, type FormattedExecutionResult } from 'graphql';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import type { GatewayContext } from './context.ts';

/** At most this many answers are kept, however small. */
const MAX_ENTRIES = 100_000;

/** The Redis channel on which gateways tell each other of a write through one of them: its message is the subgraph's name. */
export const WRITES_CHANNEL = 'tauliah:gateway:writes';

/** One answer kept: what it said, until when, and from which subgraphs, as of which write. */
interface Kept {
  result: FormattedExecutionResult;
  expiresAt: number;
  /** The subgraphs its fetches went to: a write through any of them since `asOf` ends it. */
  subgraphs: readonly string[];
  /** The last write this gateway knew of when the request that made it began. */
  asOf: number;
  /** Whether it answered a caller without a token (`public`) or the one token that asked (`private`). */
  scope: 'public' | 'private';
}

export interface ResponseCacheOptions {
  /** Off: nothing is kept or served, and every answer says `no-store`. */
  enabled: boolean;
  /** What the answers kept may weigh together (their JSON's length, about its bytes). */
  maxBytes: number;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
}

/**
 * Answers to queries that every subgraph asked said may be kept (core's
 * cache-control.ts: the published catalogue, pathways, job roles, schemes),
 * kept for as long as the least of those subgraphs' max-age, and served
 * again to the same question from the same caller without asking any
 * subgraph.
 *
 * Never to another viewer: an answer is kept under the exact Authorization
 * header that asked it (or under none, for callers without a token, who all
 * see only what is published), so whatever a subgraph decided from who was
 * asking is served only to that same token. Only answers without errors are
 * kept.
 *
 * Never after a write: every mutation through the gateway counts as a write
 * to each subgraph it reaches, at its start and again at its end, and an
 * answer made with any of those subgraphs since before the write is no longer
 * served (a request that began before a write may finish after it, so its
 * answer is dated by when it began). With REDIS_URL, gateways tell each other
 * of their writes (shareWrites), and serve nothing kept while they cannot
 * hear each other. A change made other than through the graph (an event a
 * service applies, a scheme's dates passing) is seen once the max-age runs out.
 */
export class ResponseCache {
  readonly enabled: boolean;
  readonly #kept: BoundedCache<string, Kept>;
  readonly #now: () => number;
  /** Counts writes; each subgraph's last write is the count when it was written to. */
  #writes = 0;
  readonly #lastWrite = new Map<string, number>();
  /** False while gateways sharing writes cannot hear each other: nothing kept is served or kept. */
  #inTouch = true;
  /** Tells the other gateways of a write through this one (shareWrites). */
  announce: ((subgraph: string) => void) | undefined;

  constructor(options: ResponseCacheOptions) {
    this.enabled = options.enabled;
    this.#now = options.now ?? Date.now;
    this.#kept = new BoundedCache<string, Kept>(MAX_ENTRIES, { maxWeight: options.maxBytes, weigh: (kept) => JSON.stringify(kept.result).length });
  }

  /** Where writes stand: a request notes it when it begins, and its answer is kept as of then. */
  get writes(): number {
    return this.#writes;
  }

  /** A write through this gateway reached `subgraph`: what was kept from it is not served again, here or by the other gateways. */
  written(subgraph: string): void {
    this.heard(subgraph);
    this.announce?.(subgraph);
  }

  /** A write reached `subgraph`, through this gateway or another one. */
  heard(subgraph: string): void {
    this.#writes += 1;
    this.#lastWrite.set(subgraph, this.#writes);
  }

  /** Whether gateways sharing writes hear each other; on losing touch nothing kept may be trusted again. */
  set inTouch(inTouch: boolean) {
    if (!inTouch) this.#kept.clear();
    this.#inTouch = inTouch;
  }

  /** The answer kept under `key`, while it is fresh and no subgraph it came from was written to since. */
  get(key: string): Kept | undefined {
    if (!this.enabled || !this.#inTouch) return undefined;
    const kept = this.#kept.get(key);
    if (!kept) return undefined;
    if (kept.expiresAt <= this.#now() || kept.subgraphs.some((subgraph) => (this.#lastWrite.get(subgraph) ?? 0) > kept.asOf)) {
      this.#kept.delete(key);
      return undefined;
    }
    return kept;
  }

  /** Keeps `result` under `key` for `maxAge` seconds, made from `subgraphs` by a request that began at write `asOf`. */
  keep(key: string, result: FormattedExecutionResult, maxAge: number, subgraphs: Iterable<string>, asOf: number, scope: Kept['scope']): void {
    if (!this.enabled || !this.#inTouch || maxAge <= 0) return;
    const from = [...subgraphs];
    // Written to while it was being made: already out of date.
    if (from.some((subgraph) => (this.#lastWrite.get(subgraph) ?? 0) > asOf)) return;
    this.#kept.set(key, { result, expiresAt: this.#now() + maxAge * 1000, subgraphs: from, asOf, scope });
  }

  /** Seconds left of a kept answer's max-age, as its Cache-Control header says. */
  secondsLeft(kept: Kept): number {
    return Math.max(0, Math.ceil((kept.expiresAt - this.#now()) / 1000));
  }
}

/** What one question is kept under: who asked it (their Authorization header exactly), and the operation with its variables. */
function keyOf(authorization: string | undefined, source: string, request: GraphQLRequest): string {
  return createHash('sha256')
    .update(authorization ?? '')
    .update('\u0000')
    .update(request.operationName ?? '')
    .update('\u0000')
    .update(source)
    .update('\u0000')
    .update(JSON.stringify(request.variables ?? {}))
    .digest('base64');
}

/** The max-age a subgraph's Cache-Control header allows: 0 without one, or for `no-store`. */
export function maxAgeOf(cacheControl: string | undefined): number {
  if (!cacheControl || /\bno-(store|cache)\b/.test(cacheControl)) return 0;
  const match = /\bmax-age=(\d+)\b/.exec(cacheControl);
  return match ? Number(match[1]) : 0;
}

/**
 * Serves a query from `cache` when it can, keeps the answer when every
 * subgraph that made it allowed (the request's cache policy, restricted by
 * each fetch in data-source.ts), and tells the client in Cache-Control how
 * long it may keep the answer itself: `public` only for a caller without a
 * token, `private` for one with, and `no-store` for everything else.
 */
export function responseCachePlugin(cache: ResponseCache): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      let query = false;
      let key: string | undefined;
      let asOf = 0;
      let served: Kept | undefined;
      return {
        async responseForOperation({ operation, source, request, contextValue }) {
          query = operation.operation === OperationTypeNode.QUERY;
          if (!cache.enabled || !query) return null;
          asOf = cache.writes;
          key = keyOf(contextValue.authorization, source, request);
          served = cache.get(key);
          if (!served) return null;
          contextValue.log.debug({ cache: 'hit' }, 'answered from the response cache');
          // A copy: what later hooks add to the answer is not added to what is kept.
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { ...served.result } } };
        },
        async willSendResponse({ response, overallCachePolicy, contextValue, errors }) {
          const headers = response.http.headers;
          if (served) {
            headers.set('cache-control', `max-age=${cache.secondsLeft(served)}, ${served.scope}`);
            return;
          }
          const policy = overallCachePolicy.policyIfCacheable();
          const { body } = response;
          // A mutation's answer is never kept, whatever the types it returns allow.
          if (!query || !policy || body.kind !== 'single' || body.singleResult.errors || errors?.length) {
            headers.set('cache-control', 'no-store');
            return;
          }
          const scope = contextValue.authorization ? 'private' : 'public';
          if (key) cache.keep(key, body.singleResult, policy.maxAge, contextValue.subgraphsAsked, asOf, scope);
          headers.set('cache-control', `max-age=${policy.maxAge}, ${scope}`);
        },
      };
    },
  };
}

/**
 * Gateways behind one load balancer tell each other, through Redis, of every
 * write through any of them, so that none serves an answer the write changed.
 * While this gateway cannot hear the others (Redis down, the subscription
 * not yet made) its cache serves and keeps nothing; once it hears them again
 * it starts afresh, as it may have missed writes meanwhile. Resolves once it
 * hears them, or once Redis is found not answering (reported, not fatal).
 */
export async function shareWrites(cache: ResponseCache, url: string, log: Logger): Promise<{ close(): Promise<void> }> {
  const options = { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 };
  const publisher = new Redis(url, options);
  const subscriber = new Redis(url, options);
  cache.inTouch = false;
  let warned = false;
  let closing = false;
  const lost = (error?: Error) => {
    cache.inTouch = false;
    if (!warned && !closing) log.warn({ err: error }, 'response cache: Redis is not answering; nothing is served from the cache until the gateways hear each other again');
    warned = true;
  };
  const subscribe = () =>
    subscriber.subscribe(WRITES_CHANNEL).then(
      () => {
        if (warned) log.info('response cache: the gateways hear each other again');
        warned = false;
        cache.inTouch = true;
      },
      (error: Error) => lost(error),
    );
  publisher.on('error', lost);
  subscriber.on('error', lost);
  subscriber.on('close', () => lost());
  subscriber.on('message', (_channel: string, subgraph: string) => cache.heard(subgraph));
  cache.announce = (subgraph) => {
    publisher.publish(WRITES_CHANNEL, subgraph).catch((error: Error) => lost(error));
  };
  await publisher.connect().catch(() => undefined);
  await subscriber.connect().then(subscribe, (error: Error) => lost(error));
  // Connected again after losing Redis: subscribed afresh before anything kept is served again.
  subscriber.on('ready', () => void subscribe());
  return {
    async close() {
      closing = true;
      cache.announce = undefined;
      await Promise.all([publisher, subscriber].map((redis) => redis.quit().catch(() => redis.disconnect())));
    },
  };
}
