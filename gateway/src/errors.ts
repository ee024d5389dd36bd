import { GraphQLError } from 'graphql';

export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

/** A subgraph could not be reached or did not answer in time; the rest of the response still arrives. */
export class SubgraphUnavailable extends GraphQLError {
  constructor(service: string) {
    super(`The ${service} service is not answering right now; try again shortly.`, {
      extensions: { code: SUBGRAPH_UNAVAILABLE },
    });
  }
}
