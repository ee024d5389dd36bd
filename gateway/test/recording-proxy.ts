import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What stands in for the subgraph's GraphQL answers: a load balancer's error page, say. */
export interface CannedAnswer {
  status: number;
  body: string;
  contentType: string;
}

/**
 * A plain HTTP relay between the gateway and a real subgraph: it records the
 * headers the gateway sends (to prove what is forwarded) and can be told to
 * stall (to prove the gateway does not hang on a subgraph that never answers)
 * or to answer GraphQL requests itself as something in front of a subgraph
 * might (a 502 page), or to hold each one a while (a slow subgraph); /readyz
 * is always relayed.
 */
export async function startRecordingProxy(target: string) {
  const seen: IncomingHttpHeaders[] = [];
  const stalled = new Set<() => void>();
  let stall = false;
  let canned: CannedAnswer | undefined;
  let holdMs = 0;
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const graphql = req.url?.startsWith('/graphql') ?? false;
    if (graphql) seen.push(req.headers);
    if (stall) {
      stalled.add(() => res.destroy());
      return;
    }
    if (graphql && canned) {
      const { status, body, contentType } = canned;
      req.resume();
      req.on('end', () => res.writeHead(status, { 'content-type': contentType }).end(body));
      return;
    }
    if (graphql && holdMs > 0) {
      // The whole request is read, then relayed after the hold: a slow subgraph, as the gateway sees it.
      const chunks: Buffer[] = [];
      const held = holdMs;
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => setTimeout(() => relay(req, res, Buffer.concat(chunks)), held));
      return;
    }
    relay(req, res);
  });
  const relay = (req: IncomingMessage, res: ServerResponse, body?: Buffer) => {
    const forward = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    if (body) forward.end(body);
    else req.pipe(forward);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    seen,
    /** Relays each GraphQL request this long after it arrived in full; 0 at once. */
    holdFor(ms: number) {
      holdMs = ms;
    },
    /** Answers GraphQL requests with this instead of relaying them; undefined relays them again. */
    answerWith(answer: CannedAnswer | undefined) {
      canned = answer;
    },
    setStalled(value: boolean) {
      stall = value;
      if (!value) for (const release of stalled) release();
      if (!value) stalled.clear();
    },
    async stop() {
      for (const release of stalled) release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
