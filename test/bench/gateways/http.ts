import { Agent, request } from 'node:http';

/**
 * The load client: node:http over keep-alive connections, at most one
 * request in flight per connection, so `concurrency` loops hold exactly that
 * many connections open to the gateway (no WHATWG fetch layer in the client
 * to flatter or burden one gateway more than another).
 */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export interface Posted {
  status: number;
  body: string;
}

/** POSTs a JSON body; resolves with the status and the whole body, rejects on a transport failure. */
export function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Posted> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        timeout: 60_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer from ${url} within 60 s`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

