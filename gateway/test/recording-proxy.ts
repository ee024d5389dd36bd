import { createServer, request, type IncomingHttpHeaders } from 'node:http';
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
 * might (a 502 page); /readyz is always relayed.
 */
export async function startRecordingProxy(target: string) {
  const seen: IncomingHttpHeaders[] = [];
  const stalled = new Set<() => void>();
  let stall = false;
  let canned: CannedAnswer | undefined;
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
    const forward = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    seen,
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
