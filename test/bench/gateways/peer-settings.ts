import { GATEWAY_HEADER, SERVICE_NAMES, type ServiceName } from '@tauliah/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What a peer gateway process is given, as the bench's topology gives our
 * gateway: the port, the gateway secret, each subgraph's URL, and the
 * checked-in supergraph itself.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: this process is started by test/bench/gateways.bench.ts`);
  return value;
};

export const peerSettings = {
  port: Number(required('PORT')),
  host: process.env.HOST ?? '127.0.0.1',
  gatewayHeader: GATEWAY_HEADER,
  gatewaySecret: required('GATEWAY_SECRET'),
  subgraphUrls: Object.fromEntries(SERVICE_NAMES.map((name) => [name, required(`${name.toUpperCase()}_URL`)])) as Record<ServiceName, string>,
  supergraphSdl: readFileSync(join(ROOT, 'gateway/supergraph.graphql'), 'utf8'),
};

/** A subgraph's URL by its name in the supergraph, which is a service name. */
export function subgraphUrl(name: string): string {
  const url = (peerSettings.subgraphUrls as Record<string, string | undefined>)[name];
  if (!url) throw new Error(`the supergraph names a subgraph "${name}" the bench did not start`);
  return url;
}
