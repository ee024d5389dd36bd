import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The local address the connection arrived on: which of several receivers was reached. */
  localAddress: string;
}

export interface Receiver {
  /** `http://<host>:<port>` */
  origin: string;
  port: number;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/** A partner's receiver on a loopback address: records every request, then answers as `answer` says. */
export async function startReceiver(
  answer: (request: ReceivedRequest, response: ServerResponse, raw: IncomingMessage) => void = (_, response) => response.writeHead(204).end(),
  host = '127.0.0.1',
  port = 0,
): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const server = createServer((raw, response) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('end', () => {
      const request = { method: raw.method ?? '', headers: raw.headers, body: Buffer.concat(chunks).toString(), localAddress: raw.socket.localAddress ?? '' };
      received.push(request);
      answer(request, response, raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    origin: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
