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

export const QUERY_TOO_LARGE = 'QUERY_TOO_LARGE';

/** A query document over MAX_QUERY_BYTES, refused with 413 before it is parsed. */
export class QueryTooLarge extends GraphQLError {
  constructor(bytes: number, limit: number) {
    super(`The query document is ${bytes} bytes; the limit is ${limit}. Pass data in variables.`, {
      extensions: { code: QUERY_TOO_LARGE, limit, measured: bytes },
    });
  }
}
