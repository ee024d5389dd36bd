import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InFlightCalls } from '../src/in-flight.ts';
import { HttpConnection, HttpTimeout, type HttpAnswer } from '@tauliah/core';

/** What a subgraph received: method, path, headers and the whole body. */
interface Received {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const closing of open.splice(0).reverse()) await closing.close();
});

/** A stand-in subgraph answering every call with `answer`, recording what it was sent. */
async function startSubgraph(answer: (req: IncomingMessage, res: ServerResponse, received: Received) => void) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const call = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(call);
      answer(req, res, call);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  open.push({
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
  return { url: `http://127.0.0.1:${port}/graphql?x=1`, received };
}

function connectionTo(url: string): HttpConnection {
  const connection = new HttpConnection(url);
  open.push(connection);
  return connection;
}

describe('calls to a subgraph', () => {
  it('sends the body once with its headers and reads an answer that arrives in pieces', async () => {
    const subgraph = await startSubgraph((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":{"me":');
      setTimeout(() => res.end('{"fullName":"Aisyah Binti Rahman"}}}'), 20);
    });
    const body = JSON.stringify({ query: '{ me { fullName } }' });
    const answer = await connectionTo(subgraph.url).post({ 'content-type': 'application/json', authorization: 'Bearer t' }, body, 2_000);
    expect(answer).toEqual({ status: 200, text: '{"data":{"me":{"fullName":"Aisyah Binti Rahman"}}}' });
    expect(subgraph.received).toHaveLength(1);
    expect(subgraph.received[0]).toMatchObject({ method: 'POST', url: '/graphql?x=1', body });
    expect(subgraph.received[0]!.headers).toMatchObject({ authorization: 'Bearer t', 'content-type': 'application/json', 'content-length': String(body.length) });
  });

  it("passes any status on with the body, multi-byte characters whole across the answer's pieces", async () => {
    const text = JSON.stringify({ errors: [{ message: 'Perkhidmatan tidak tersedia — cuba lagi 🙏' }] });
    const bytes = Buffer.from(text);
    const subgraph = await startSubgraph((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      // Split inside the multi-byte characters.
      res.write(bytes.subarray(0, bytes.length - 6));
      setTimeout(() => res.end(bytes.subarray(bytes.length - 6)), 10);
    });
    expect(await connectionTo(subgraph.url).post({}, '{}', 2_000)).toEqual({ status: 503, text });
  });

  it("hands on the subgraph's Cache-Control header, which says how long the gateway may keep its answer", async () => {
    const subgraph = await startSubgraph((req, res) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (req.url?.includes('x=1')) headers['Cache-Control'] = 'max-age=60, public';
      res.writeHead(200, headers).end('{"data":{}}');
    });
    expect(await connectionTo(subgraph.url).post({}, '{}', 2_000)).toEqual({ status: 200, text: '{"data":{}}', cacheControl: 'max-age=60, public' });
    expect(await connectionTo(subgraph.url.replace('?x=1', '')).post({}, '{}', 2_000)).toEqual({ status: 200, text: '{"data":{}}' });
  });

  it('keeps connections alive from one call to the next', async () => {
    const ports = new Set<number>();
    const subgraph = await startSubgraph((req, res) => {
      ports.add(req.socket.remotePort!);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{}}');
    });
    const connection = connectionTo(subgraph.url);
    for (let i = 0; i < 10; i++) await connection.post({}, '{}', 2_000);
    // A connection is free again a moment after its answer is read: the next call may take a second one.
    expect(ports.size).toBeLessThanOrEqual(2);
  });

  it('abandons a subgraph that sends its headers and then stalls, at the deadline', async () => {
    const subgraph = await startSubgraph((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":');
      res.flushHeaders();
    });
    const started = performance.now();
    const failure = await connectionTo(subgraph.url).post({}, '{}', 300).catch((error: unknown) => error);
    const took = performance.now() - started;
    expect(failure).toBeInstanceOf(HttpTimeout);
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(2_000);
  });

  it('abandons a subgraph that accepts the connection and reads nothing (a stopped process), and closes the connection', async () => {
    const sockets: Socket[] = [];
    let closed = 0;
    const hung: TcpServer = createTcpServer((socket) => {
      sockets.push(socket.pause());
      socket.on('close', () => (closed += 1));
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    open.push({
      close: () => {
        for (const socket of sockets) socket.destroy();
        return new Promise<void>((resolve) => hung.close(() => resolve()));
      },
    });
    const { port } = hung.address() as AddressInfo;
    const failure = await connectionTo(`http://127.0.0.1:${port}/graphql`).post({}, '{}', 200).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HttpTimeout);
    // The process comes back (SIGCONT) and finds the connection closed by the gateway.
    for (const socket of sockets) socket.resume();
    await expect.poll(() => closed).toBe(1);
  });

  it('fails at once, not at the deadline, when nothing listens', async () => {
    const free = createTcpServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const { port } = free.address() as AddressInfo;
    await new Promise<void>((resolve) => free.close(() => resolve()));
    const started = performance.now();
    const failure = await connectionTo(`http://127.0.0.1:${port}/graphql`).post({}, '{}', 5_000).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(HttpTimeout);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('identical calls in flight', () => {
  /** A call the test settles by hand, counting how many were made. */
  function calls() {
    const made: Array<(answer: HttpAnswer) => void> = [];
    return {
      made,
      make: () => new Promise<HttpAnswer>((resolve) => made.push(resolve)),
    };
  }

  it('are made once while sharing is on, each caller getting the answer text', async () => {
    const inFlight = new InFlightCalls(true);
    const { made, make } = calls();
    const first = inFlight.share('providers\u0000Bearer a\u0000{"query":"{ courses }"}', make);
    const second = inFlight.share('providers\u0000Bearer a\u0000{"query":"{ courses }"}', make);
    expect([first.made, second.made]).toEqual([true, false]);
    expect(made).toHaveLength(1);
    made[0]!({ status: 200, text: '{"data":{}}' });
    expect(await second.answer).toEqual({ status: 200, text: '{"data":{}}' });
    // Settled, it is forgotten: the next identical call is made anew.
    await first.answer;
    expect(inFlight.share('providers\u0000Bearer a\u0000{"query":"{ courses }"}', make).made).toBe(true);
  });

  it('are made apart for another viewer or another body', () => {
    const inFlight = new InFlightCalls(true);
    const { made, make } = calls();
    inFlight.share('providers\u0000Bearer a\u0000{"query":"{ courses }"}', make);
    inFlight.share('providers\u0000Bearer b\u0000{"query":"{ courses }"}', make);
    inFlight.share('providers\u0000Bearer a\u0000{"query":"{ skills }"}', make);
    expect(made).toHaveLength(3);
  });

  it('cannot be joined once a write has gone through', () => {
    const inFlight = new InFlightCalls(true);
    const { made, make } = calls();
    inFlight.share('learners\u0000Bearer a\u0000{"query":"{ me }"}', make);
    inFlight.forgetAll();
    expect(inFlight.share('learners\u0000Bearer a\u0000{"query":"{ me }"}', make).made).toBe(true);
    expect(made).toHaveLength(2);
  });
});
