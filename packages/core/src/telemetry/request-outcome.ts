/**
 * What one GraphQL request came to, as Apollo saw it: the HTTP server
 * (http-server.ts) opens it as it hands Apollo the request, the request log
 * plugin (request-log.ts) fills it in as the answer goes out, and the server
 * then writes it into the request's metrics and span. It rides on the HTTP
 * request object Apollo is handed, which its plugins see as `request.http`
 * (the context value would not do: Apollo copies it per operation), under a
 * symbol of its own: nothing else reads or sends it.
 */
export interface RequestOutcome {
  /** `query`, `mutation` or `subscription`, once Apollo resolved the operation. */
  operationType?: string;
  /** The operation's name; null when it has none. */
  operationName?: string | null;
  /** OK, or the first error's code. */
  code?: string;
}

const OUTCOME = Symbol('tauliah.request-outcome');

type Carrier = { [OUTCOME]?: RequestOutcome };

export function openOutcome(httpRequest: object, outcome: RequestOutcome): void {
  (httpRequest as Carrier)[OUTCOME] = outcome;
}

export function outcomeOf(httpRequest: object | undefined): RequestOutcome | undefined {
  return (httpRequest as Carrier | undefined)?.[OUTCOME];
}
