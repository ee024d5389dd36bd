/**
 * Hive Gateway (@graphql-hive/gateway) on the checked-in supergraph, with its
 * default JavaScript query planner, or with the Rust planner of
 * @graphql-hive/router-runtime when HIVE_PLANNER=rust. The caller's
 * Authorization header and the gateway secret go to every subgraph; in-flight
 * deduplication is off both ways (incoming requests, subgraph fetches), as
 * neither our gateway nor stock Apollo has it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { peerSettings } from './peer-settings.ts';

/** The part of Hive Gateway's configuration the bench sets (GatewayConfigSupergraph in @graphql-hive/gateway). */
interface HiveGatewayConfig {
  supergraph: string;
  logging: 'error';
  inboundInflightRequestDeduplication: false;
  transportEntries: Record<string, { location: string; options: { deduplicateInflightRequests: false } }>;
  propagateHeaders: { fromClientToSubgraphs(payload: { request: Request }): Record<string, string> };
  unifiedGraphHandler?: unknown;
}
interface HiveGatewayModule {
  createGatewayRuntime: (config: HiveGatewayConfig) => {
    requestListener(request: IncomingMessage, response: ServerResponse): unknown;
    dispose(): unknown;
  };
}

// Loaded by a name TypeScript does not follow: their declarations augment graphql's
// GraphQLErrorExtensions and the global Blob for the whole type-checked program
// (tsconfig.check.json), which breaks packages that never import them.
const GATEWAY: string = '@graphql-hive/gateway';
const ROUTER_RUNTIME: string = '@graphql-hive/router-runtime';
const planner = process.env.HIVE_PLANNER === 'rust' ? 'rust' : 'js';
const { createGatewayRuntime } = (await import(GATEWAY)) as HiveGatewayModule;
const rust = planner === 'rust' ? ((await import(ROUTER_RUNTIME)) as { unifiedGraphHandler: unknown }) : undefined;

const gateway = createGatewayRuntime({
  supergraph: peerSettings.supergraphSdl,
  logging: 'error',
  inboundInflightRequestDeduplication: false,
  transportEntries: Object.fromEntries(
    Object.entries(peerSettings.subgraphUrls).map(([name, location]) => [name, { location, options: { deduplicateInflightRequests: false } }]),
  ),
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => {
      const headers: Record<string, string> = { [peerSettings.gatewayHeader]: peerSettings.gatewaySecret };
      const authorization = request.headers.get('authorization');
      if (authorization) headers.authorization = authorization;
      return headers;
    },
  },
  ...(rust ? { unifiedGraphHandler: rust.unifiedGraphHandler } : {}),
});
// Hive Gateway's runtime is a request listener for node:http, as its own CLI serves it.
const server = createServer((request, response) => void gateway.requestListener(request, response));
server.listen(peerSettings.port, peerSettings.host, () => console.log(`Hive Gateway (${planner} planner) at http://${peerSettings.host}:${peerSettings.port}/graphql`));
const stop = () => {
  server.close();
  void Promise.resolve(gateway.dispose()).then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
