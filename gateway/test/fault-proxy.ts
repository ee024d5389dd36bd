import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * What a subgraph looks like from the gateway, at the TCP level:
 * - `up`: every byte relayed to the real subgraph;
 * - `down`: a dead process: connections refused, open ones reset;
 * - `hung`: a stopped process (SIGSTOP): the kernel still accepts
 *   connections, but nothing is read or answered, on new and open ones alike.
 */
export type SubgraphCondition = 'up' | 'down' | 'hung';

/** A TCP relay in front of one real subgraph that can play it dead or hung, and bring it back on the same address. */
export async function startFaultProxy(target: string) {
  const upstream = new URL(target);
  const pairs = new Set<{ client: Socket; server?: Socket }>();
  let condition: SubgraphCondition = 'up';

  const relay = (client: Socket) => {
    const pair: { client: Socket; server?: Socket } = { client };
    pairs.add(pair);
    const forget = () => {
      pairs.delete(pair);
      client.destroy();
      pair.server?.destroy();
    };
    client.on('error', forget).on('close', forget);
    // Hung: the connection is accepted and then nothing happens on it.
    if (condition === 'hung') return client.pause();
    const server = createConnection({ host: upstream.hostname, port: Number(upstream.port) });
    pair.server = server;
    server.on('error', forget).on('close', forget);
    client.pipe(server);
    server.pipe(client);
  };

  const listener = createServer(relay);
  const listen = (port: number) => new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(port, '127.0.0.1', () => {
      listener.off('error', reject);
      resolve();
    });
  });
  await listen(0);
  const { port } = listener.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    get condition() {
      return condition;
    },
    async set(next: SubgraphCondition): Promise<void> {
      const previous = condition;
      condition = next;
      if (next === 'hung') {
        // A stopped process answers nothing on the connections already open either.
        for (const { client, server } of pairs) {
          client.pause();
          server?.pause();
        }
      }
      if (next === 'down') {
        for (const { client } of [...pairs]) client.resetAndDestroy();
        if (listener.listening) await new Promise<void>((resolve) => listener.close(() => resolve()));
      }
      if (next === 'up') {
        // Connections held while hung are dropped, as a client that gave up on them would have.
        if (previous === 'hung') for (const { client } of [...pairs]) client.destroy();
        if (!listener.listening) await listen(port);
      }
    },
    async stop(): Promise<void> {
      for (const { client } of [...pairs]) client.destroy();
      if (listener.listening) await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}

export type FaultProxy = Awaited<ReturnType<typeof startFaultProxy>>;
