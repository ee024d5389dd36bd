import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The ports the OS hands out by itself: to `listen(0)` and to every outgoing
 * connection's local end. A port a test picks now for a process it starts
 * later must come from outside this range, or another test's connections
 * could take it in between.
 */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && high) return [low, high];
  } catch {
    // Not Linux: the IANA dynamic range, which macOS and Windows use.
  }
  return [49152, 65535];
}

const FIRST = 10_000;
const picked = new Set<number>();

function listensOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free port for a server a test will start itself (a child process, a
 * throwaway PostgreSQL): chosen outside the OS's ephemeral range, so no
 * other test's connections or `listen(0)` servers take it before the server
 * binds, and never the same one twice in a process. Two test processes
 * could still pick the same port: it is chosen at random among thousands
 * and proven free when picked.
 */
export async function freePort(): Promise<number> {
  const [low, high] = ephemeralRange();
  // Below the ephemeral range when there is room; otherwise above it.
  const [from, to] = low - FIRST >= 1_000 ? [FIRST, low - 1] : [high + 1, 65_535];
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = from + Math.floor(Math.random() * (to - from + 1));
    if (picked.has(port) || !(await listensOn(port))) continue;
    picked.add(port);
    return port;
  }
  throw new Error(`no free port between ${from} and ${to} after 200 tries`);
}
