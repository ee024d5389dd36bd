import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Kind, visit, type DocumentNode } from 'graphql';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BaseConfig } from './config.ts';
import { Forbidden } from './errors.ts';

/** The header by which the gateway proves itself to subgraphs. */
export const GATEWAY_HEADER = 'x-tauliah-gateway';

/**
 * Only the gateway may call `_entities`. Entity representations carry the
 * fields a subgraph `@requires` (a learner's date of birth, say); a caller
 * who could send its own representations could make a subgraph act on data
 * the owning service never vouched for. Proven by a shared secret, compared
 * in constant time.
 */
export function isFromGateway(header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const given = createHash('sha256').update(header).digest();
  const expected = createHash('sha256').update(secret).digest();
  return timingSafeEqual(given, expected);
}

const selectsEntities = (document: DocumentNode): boolean => {
  let found = false;
  visit(document, {
    [Kind.FIELD](node) {
      if (node.name.value === '_entities') found = true;
    },
  });
  return found;
};

export function gatewayOnlyEntitiesPlugin<TContext extends BaseContext & { fromGateway: boolean }>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          if (!contextValue.fromGateway && selectsEntities(document)) {
            throw new Forbidden('_entities answers the federation gateway only; query the gateway instead.');
          }
        },
      };
    },
  };
}

/**
 * The secret: GATEWAY_SECRET where set (required in production), else one
 * kept in the data directory so separately started local processes agree.
 */
export async function gatewaySecretFor(config: Pick<BaseConfig, 'GATEWAY_SECRET' | 'DATA_DIR'>): Promise<string> {
  if (config.GATEWAY_SECRET) return config.GATEWAY_SECRET;
  const path = join(config.DATA_DIR, 'gateway-secret');
  try {
    const stored = (await readFile(path, 'utf8')).trim();
    if (stored.length >= 32) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, secret, { mode: 0o600 });
  return secret;
}
