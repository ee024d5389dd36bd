import type { ApolloServerPlugin } from '@apollo/server';
import { RateLimited, type Logger } from '@tauliah/core';
import { Kind, OperationTypeNode, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitSettings } from '../config.ts';
import type { GatewayContext } from '../context.ts';

/** Who a budget belongs to: a signed-in client by its verified token subject, anyone else by address. */
export type RateLimitClient = { subject: string } | { address: string };

/** The root fields anyone may call to check a credential: counted against the verification budget, each one. */
export const PUBLIC_VERIFICATION_FIELDS: ReadonlySet<string> = new Set(['verifyCredential', 'verifyCredentialDocument']);

export interface RateLimits {
  /** Counts one request against the client's budget (signed-in or token-less); throws RateLimited (429) past it. */
  admit(client: RateLimitClient): Promise<void>;
  /** Counts `count` public verifications against the client's verification budget; throws RateLimited past it. */
  verifications(client: RateLimitClient, count: number): Promise<void>;
  close(): Promise<void>;
}

interface Budget {
  limiter: RateLimiterAbstract;
  /** "600 requests per 60 s", said in the refusal. */
  describe: string;
}

const keyOf = (client: RateLimitClient): string => ('subject' in client ? `sub:${client.subject}` : `ip:${client.address}`);

/**
 * The gateway's rate limits (rate-limiter-flexible): in this process's memory,
 * or in Redis when REDIS_URL is set, so that several gateways share one budget
 * per client. Should Redis stop answering, each gateway counts in its own
 * memory meanwhile (the insurance limiter) rather than refuse or wave through
 * everyone. Undefined when turned off.
 */
export async function createRateLimits(settings: RateLimitSettings & { enabled: boolean }, log: Logger): Promise<RateLimits | undefined> {
  if (!settings.enabled) return undefined;
  const redis = settings.REDIS_URL ? await connectRedis(settings.REDIS_URL, log) : undefined;

  const budget = (name: string, points: number, seconds: number, describe: string): Budget => {
    const keyPrefix = `tauliah:rate:${name}`;
    const memory = new RateLimiterMemory({ keyPrefix, points, duration: seconds });
    const limiter = redis
      ? new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration: seconds, rejectIfRedisNotReady: true, insuranceLimiter: memory })
      : memory;
    return { limiter, describe: `${points} ${describe} per ${seconds} s` };
  };
  const signedIn = budget('signed-in', settings.RATE_LIMIT_POINTS, settings.RATE_LIMIT_SECONDS, 'requests');
  const tokenless = budget('public', settings.RATE_LIMIT_PUBLIC_POINTS, settings.RATE_LIMIT_PUBLIC_SECONDS, 'requests without a token');
  const verify = budget('verify', settings.RATE_LIMIT_VERIFY_POINTS, settings.RATE_LIMIT_VERIFY_SECONDS, 'verifications');

  return {
    admit: (client) => consume('subject' in client ? signedIn : tokenless, keyOf(client), 1),
    verifications: (client, count) => consume(verify, keyOf(client), count),
    async close() {
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}

async function consume(budget: Budget, key: string, points: number): Promise<void> {
  try {
    await budget.limiter.consume(key, points);
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) {
      throw new RateLimited(`Too many requests: the limit is ${budget.describe}.`, Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)), { wholeRequest: true });
    }
    throw refusal;
  }
}

/** Connects before the gateway serves, so its first requests are counted in Redis; a Redis that is down is reported, not fatal. */
async function connectRedis(url: string, log: Logger): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  let healthy = true;
  redis.on('error', (error: Error) => {
    if (!healthy) return;
    healthy = false;
    log.warn({ err: error }, 'rate limits: Redis is not answering; each gateway counts in its own memory until it is back');
  });
  redis.on('ready', () => {
    if (healthy) return;
    healthy = true;
    log.info('rate limits: Redis is back');
  });
  await redis.connect().catch(() => undefined);
  return redis;
}

/**
 * Counts each public verification field of a query (aliases included,
 * fragments where spread) against the verification budget, once the
 * operation is known and before any subgraph is asked.
 */
export function verificationLimitPlugin(limits: RateLimits): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          const count = operation?.operation === OperationTypeNode.QUERY ? verificationsIn(operation, document) : 0;
          if (count > 0) await limits.verifications(contextValue.client, count);
        },
      };
    },
  };
}

function verificationsIn(operation: OperationDefinitionNode, document: DocumentNode): number {
  const fragments = new Map(
    document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])),
  );
  // Validation has run: fragments exist and do not spread each other in a cycle.
  const count = (selectionSet: SelectionSetNode): number =>
    selectionSet.selections.reduce((sum, selection) => {
      if (selection.kind === Kind.FIELD) return sum + (PUBLIC_VERIFICATION_FIELDS.has(selection.name.value) ? 1 : 0);
      if (selection.kind === Kind.INLINE_FRAGMENT) return sum + count(selection.selectionSet);
      const fragment = fragments.get(selection.name.value);
      return sum + (fragment ? count(fragment.selectionSet) : 0);
    }, 0);
  return count(operation.selectionSet);
}
