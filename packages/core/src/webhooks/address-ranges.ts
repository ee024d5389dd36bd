import { BlockList, isIP } from 'node:net';

/**
 * Why an address may not receive webhooks: it reaches this deployment's own
 * network (loopback, private, link-local with the cloud metadata service at
 * 169.254.169.254, carrier-grade NAT where some clouds put theirs), or no
 * single public host (multicast, broadcast, documentation and reserved blocks).
 */
export type NonPublicRange =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'carrier-grade NAT'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'reserved';

export interface NonPublicAddress {
  range: NonPublicRange;
  /** The block it lies in, as written in the IANA special-purpose registries. */
  block: string;
}

interface Block {
  block: string;
  range: NonPublicRange;
  /** The IPv4 address sits in the low 32 bits and is what a packet reaches: judge that one. */
  embedsIPv4?: boolean;
  list: BlockList;
}

function blocks(family: 'ipv4' | 'ipv6', table: readonly (readonly [string, NonPublicRange, { embedsIPv4?: boolean }?])[]): Block[] {
  return table.map(([block, range, options]) => {
    const [network = '', bits = ''] = block.split('/');
    const list = new BlockList();
    list.addSubnet(network, Number(bits), family);
    return { block, range, list, embedsIPv4: options?.embedsIPv4 };
  });
}

// The IANA IPv4 and IPv6 special-purpose address registries, less the blocks that
// are globally reachable unicast. Narrow blocks come before the wide ones holding them.
const IPV4 = blocks('ipv4', [
  ['255.255.255.255/32', 'broadcast'],
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade NAT'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'reserved'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
]);

const IPV6 = blocks('ipv6', [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  // IPv4-mapped (::ffff:10.0.0.1 is 10.0.0.1 to a dual-stack socket) and NAT64's well-known prefix.
  ['::ffff:0:0/96', 'reserved', { embedsIPv4: true }],
  ['64:ff9b::/96', 'reserved', { embedsIPv4: true }],
  // IPv4-compatible (deprecated), local-use NAT64, discard-only.
  ['::/96', 'reserved'],
  ['64:ff9b:1::/48', 'private'],
  ['100::/64', 'reserved'],
  // Teredo and 6to4 tunnel to an IPv4 address we would not see; documentation; ORCHID and benchmarking.
  ['2001::/32', 'reserved'],
  ['2001:db8::/32', 'reserved'],
  ['2001:2::/48', 'reserved'],
  ['2001:10::/28', 'reserved'],
  ['2001:20::/28', 'reserved'],
  ['2002::/16', 'reserved'],
  ['3fff::/20', 'reserved'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  // Site-local: deprecated, but still routed inside some networks.
  ['fec0::/10', 'private'],
  ['ff00::/8', 'multicast'],
]);

/** The eight 16-bit words of an IPv6 address (already known to be one), with a trailing dotted quad folded in. */
function ipv6Words(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const words = (part: string) => (part === '' ? [] : part.split(':').map((word) => parseInt(word, 16)));
  const gap = text.indexOf('::');
  if (gap < 0) return words(text);
  const head = words(text.slice(0, gap));
  const tail = words(text.slice(gap + 2));
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** The IPv4 address in the low 32 bits of an IPv6 address. */
function embeddedIPv4(address: string): string {
  const words = ipv6Words(address);
  const high = words[6] ?? 0;
  const low = words[7] ?? 0;
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * The non-public range an IP address lies in, or undefined for a globally
 * reachable unicast address. An IPv6 address carrying an IPv4 one (mapped,
 * NAT64) is judged by the IPv4 address, which is where the packets go.
 * Anything that is not an IP address is refused as 'reserved': an address
 * nobody could vet must not be connected to.
 */
export function nonPublicAddress(address: string): NonPublicAddress | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare.split('%')[0]!);
  if (family === 4) {
    const hit = IPV4.find((entry) => entry.list.check(bare, 'ipv4'));
    return hit && { range: hit.range, block: hit.block };
  }
  if (family === 6) {
    const unscoped = bare.split('%')[0]!;
    const hit = IPV6.find((entry) => entry.list.check(unscoped, 'ipv6'));
    if (!hit) return undefined;
    if (hit.embedsIPv4) {
      const inner = nonPublicAddress(embeddedIPv4(unscoped));
      return inner && { range: inner.range, block: `${hit.block} carrying ${inner.block}` };
    }
    return { range: hit.range, block: hit.block };
  }
  return { range: 'reserved', block: 'not an IP address' };
}
