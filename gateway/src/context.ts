import type { Logger, Viewer } from '@tauliah/core';
import type { RateLimitClient } from './limits/rate.ts';

/** What the gateway knows about one request: who asks (verified at the edge), and how to say so to subgraphs. */
export interface GatewayContext {
  viewer: Viewer;
  requestId: string;
  log: Logger;
  /** The Authorization header exactly as received; each subgraph verifies it again. */
  authorization?: string;
  /** Whose rate-limit budget the request spends: the token's subject, else the caller's address. */
  client: RateLimitClient;
  /** The subgraphs this request's fetches went to (data-source.ts): its answer is kept as theirs (response-cache.ts). */
  subgraphsAsked: Set<string>;
}
