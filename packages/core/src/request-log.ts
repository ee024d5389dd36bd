import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from 'pino';
import { isPublicCode } from './errors.ts';

/**
 * One line per operation under the request id (the gateway passes it to every
 * subgraph, and the response carries it), plus the full detail of any
 * internal error, which the response itself masks.
 */
export function requestLogPlugin<TContext extends BaseContext & { log: Logger }>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (typeof code !== 'string' || !isPublicCode(code)) {
              contextValue.log.error({ err: error.originalError ?? error, path: error.path }, 'internal error');
            }
          }
        },
        async willSendResponse({ operationName, errors, response }) {
          contextValue.log.info(
            {
              operationName: operationName ?? undefined,
              status: response.http.status ?? 200,
              ms: Math.round(performance.now() - started),
              errorCodes: errors?.map((error) => error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
            },
            'graphql request',
          );
        },
      };
    },
  };
}
