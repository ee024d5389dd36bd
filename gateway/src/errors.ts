import { createErrorFormatter, type Logger } from '@tauliah/core';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

/** A subgraph could not be reached or did not answer in time; the rest of the response still arrives. */
export class SubgraphUnavailable extends GraphQLError {
  constructor(service: string) {
    super(`The ${service} service is not answering right now; try again shortly.`, {
      extensions: { code: SUBGRAPH_UNAVAILABLE },
    });
  }
}

/**
 * Core's formatter (coded errors pass, anything else is masked and logged)
 * plus the one code only the gateway produces.
 */
export function createGatewayErrorFormatter(log: Logger) {
  const format = createErrorFormatter(log);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (formatted.extensions?.code === SUBGRAPH_UNAVAILABLE) {
      return { message: formatted.message, path: formatted.path, extensions: { code: SUBGRAPH_UNAVAILABLE } };
    }
    return format(formatted, error);
  };
}
