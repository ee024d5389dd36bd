import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { nonPublicAddress } from './address-ranges.ts';

/**
 * The guard against server-side request forgery. A webhook URL is chosen by
 * a partner, and our servers then POST to it from inside our network: without
 * this, a URL (or a DNS name changed after registration) could reach the
 * database, another service, or the cloud metadata endpoint.
 */
export interface DestinationPolicy {
  /**
   * Let loopback addresses through (127.0.0.0/8, ::1): embedded mode, where a
   * developer's receiver runs on the same machine. Never any other private range.
   */
  allowLoopback: boolean;
  /** Refuse plain http (production): the payloads and their signatures travel in the clear otherwise. */
  requireHttps: boolean;
}

/** The URL or an address it resolves to may not receive webhooks; the message says why, for the endpoint's owner. */
export class ForbiddenDestination extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenDestination';
  }
}

/** The URL's host name could not be resolved (no such name, or the resolver failed). */
export class UnresolvableDestination extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'UnresolvableDestination';
  }
}

/** Long enough for any real receiver, short enough that a URL is never a place to store data. */
const MAX_URL_LENGTH = 2_048;

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has; tests and wiring may pass their own. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The operating system's resolver (what `http.request` itself would use): /etc/hosts, then DNS. */
export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/** The host as an address or name, without IPv6 brackets or a trailing root dot. */
const hostOf = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();

/** `localhost` and its subdomains always mean this machine (RFC 6761), whatever DNS says. */
const isLocalhostName = (host: string): boolean => host === 'localhost' || host.endsWith('.localhost');

/** Refuses an address unless it is public, or loopback where loopback is allowed; `subject` is what the message says of it. */
function checkAddress(address: string, policy: DestinationPolicy, subject: string): void {
  const found = nonPublicAddress(address);
  if (!found || (found.range === 'loopback' && policy.allowLoopback)) return;
  throw new ForbiddenDestination(`${subject} a ${found.range} address (${found.block}); webhooks go only to public addresses.`);
}

/**
 * What can be judged without the network, when an endpoint is registered or
 * changed: http or https (https where required), no user name or password in
 * the URL (they would be sent to whoever the host is, and end up in logs),
 * and a literal IP address or `localhost` only where the policy allows it.
 * Returns the parsed URL. Names are resolved and checked again at every
 * delivery (resolveDestination): what a name resolves to today says nothing
 * about tomorrow.
 */
export function checkWebhookUrl(raw: string, policy: DestinationPolicy): URL {
  if (raw.length > MAX_URL_LENGTH) throw new ForbiddenDestination(`A webhook URL has at most ${MAX_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ForbiddenDestination('The webhook URL is not a valid absolute URL (e.g. https://hooks.example.my/tauliah).');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ForbiddenDestination(`A webhook URL is http or https, not ${url.protocol.slice(0, -1)}.`);
  if (policy.requireHttps && url.protocol !== 'https:') throw new ForbiddenDestination('A webhook URL must use https here: events and their signatures are not sent in the clear.');
  if (url.username || url.password) throw new ForbiddenDestination('A webhook URL may not carry a user name or password; receivers authenticate deliveries by their signature.');
  const host = hostOf(url);
  if (isIP(host)) checkAddress(host, policy, `${host} is`);
  else if (isLocalhostName(host) && !policy.allowLoopback) throw new ForbiddenDestination(`${host} is this machine (loopback); webhooks go only to public addresses.`);
  return url;
}

/** A destination vetted for one delivery: connect to these addresses and no others. */
export interface VettedDestination {
  url: URL;
  addresses: readonly ResolvedAddress[];
}

/**
 * Vets a URL at delivery time: the registration rules again, then every
 * address the host resolves to now, refusing if ANY is not public (a name
 * answering one public and one private address could otherwise be steered to
 * the private one). The caller connects only to the returned addresses
 * (pinnedLookup), so a second DNS answer cannot swap them. The messages name
 * the range but not the address a name resolved to: our resolver's view of
 * names is not the partner's to map.
 */
export async function resolveDestination(raw: string | URL, policy: DestinationPolicy, resolve: Resolver = systemResolver): Promise<VettedDestination> {
  const url = checkWebhookUrl(typeof raw === 'string' ? raw : raw.href, policy);
  const host = hostOf(url);
  const literal = isIP(host);
  if (literal) return { url, addresses: [{ address: host, family: literal === 6 ? 6 : 4 }] };
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await resolve(host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnresolvableDestination(`${host} could not be resolved${code ? ` (${code})` : ''}.`, code);
  }
  if (addresses.length === 0) throw new UnresolvableDestination(`${host} has no addresses.`, 'ENODATA');
  for (const { address } of addresses) checkAddress(address, policy, `${host} resolves to`);
  return { url, addresses };
}

/**
 * A `lookup` for `http.request` that answers with the vetted addresses
 * whatever name it is asked about, so the connection goes where the check
 * looked while the Host header, TLS server name and certificate check keep
 * the URL's name. Node asks for every address (`all`) when it races IPv4 and
 * IPv6 (autoSelectFamily), for one otherwise, and may ask for one family.
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const wanted = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
    const [first] = wanted;
    if (!first) {
      callback(Object.assign(new Error(`${hostname} has no vetted IPv${String(family)} address.`), { code: 'ENOTFOUND' }), '');
      return;
    }
    if (options.all) callback(null, wanted.map(({ address, family }) => ({ address, family })));
    else callback(null, first.address, first.family);
  };
}
