import type { HttpAnswer } from '@tauliah/core';

/** A call to a subgraph as one request sees it: the answer, and whether this request made the call. */
export interface SharedCall {
  answer: Promise<HttpAnswer>;
  /** False when the request joined a call another request made: it counts nothing against the circuit. */
  made: boolean;
}

/**
 * Identical subgraph calls in flight at once, made once (off unless
 * SUBGRAPH_DEDUPLICATION=on). Two fetches are identical when they go to the
 * same subgraph with the same Authorization header (the same viewer, so the
 * subgraph authorises both alike) and the same body (operation and
 * variables); only fetches of queries are shared, never of mutations. Each
 * request parses the shared answer text itself, so no request sees another's
 * objects. The subgraph sees (and logs, and traces) the request id of the
 * request that made the call; the others log their own lines at the gateway.
 *
 * A request that joins a call gets the answer to a read that began before it
 * did (at most one call's duration earlier). So that a client never reads
 * data older than its own write through this gateway, every call in flight
 * stops being joinable whenever a mutation's fetch starts or ends: a query
 * sent after a mutation's answer makes calls of its own. Across several
 * gateway replicas that guarantee does not hold, which is why it is off by
 * default.
 */
export class InFlightCalls {
  readonly #calls = new Map<string, Promise<HttpAnswer>>();

  constructor(readonly enabled: boolean) {}

  /** The call in flight under `key`, or the one `make` starts (and shares until it settles). */
  share(key: string, make: () => Promise<HttpAnswer>): SharedCall {
    const inFlight = this.#calls.get(key);
    if (inFlight) return { answer: inFlight, made: false };
    const answer = make();
    this.#calls.set(key, answer);
    const forget = () => {
      if (this.#calls.get(key) === answer) this.#calls.delete(key);
    };
    answer.then(forget, forget);
    return { answer, made: true };
  }

  /** A write went through: nothing in flight now may answer a request that starts after this. */
  forgetAll(): void {
    this.#calls.clear();
  }

  get size(): number {
    return this.#calls.size;
  }
}
