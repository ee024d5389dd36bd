import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from 'pino';
import { isPublicCode } from './errors.ts';
import { outcomeOf } from './telemetry/request-outcome.ts';

/**
 * One line per operation under the request id (the gateway passes it to every
 * subgraph, and the response carries it), plus the full detail of any
 * internal error, which the response itself masks. It also hands the server
 * the operation and its outcome code for the request's metrics and span
 * (telemetry/request-outcome.ts): every graph server installs it.
 */
export function requestLogPlugin<TContext extends BaseContext & { log: Logger }>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue, request }) {
      const started = performance.now();
      const outcome = outcomeOf(request.http);
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (typeof code !== 'string' || !isPublicCode(code)) {
              contextValue.log.error({ err: error.originalError ?? error, path: error.path }, 'internal error');
            }
          }
        },
        async willSendResponse({ operation, operationName, errors, response }) {
          const errorCodes = errors?.map((error) => error.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
          if (outcome) {
            if (operation) {
              outcome.operationType = operation.operation;
              outcome.operationName = operationName ?? null;
            }
            const first = errorCodes?.[0];
            outcome.code = first === undefined ? 'OK' : typeof first === 'string' ? first : 'INTERNAL_SERVER_ERROR';
          }
          contextValue.log.info(
            { operationName: operationName ?? undefined, status: response.http.status ?? 200, ms: Math.round(performance.now() - started), errorCodes },
            'graphql request',
          );
        },
      };
    },
  };
}
