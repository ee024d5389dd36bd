import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './context.ts';

/** One line per operation, under the request id that the response header and every subgraph's logs carry too. */
export function requestLogPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
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
