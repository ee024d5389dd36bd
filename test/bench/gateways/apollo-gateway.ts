/**
 * Stock @apollo/gateway behind a minimal @apollo/server: the checked-in
 * supergraph, the caller's Authorization header and the gateway secret
 * passed to every subgraph, nothing else.
 */
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { peerSettings, subgraphUrl } from './peer-settings.ts';

interface Context {
  authorization?: string;
}

const gateway = new ApolloGateway({
  supergraphSdl: peerSettings.supergraphSdl,
  buildService: ({ name }) =>
    new RemoteGraphQLDataSource<Context>({
      url: subgraphUrl(name),
      willSendRequest({ request, context }) {
        request.http?.headers.set(peerSettings.gatewayHeader, peerSettings.gatewaySecret);
        if (context.authorization) request.http?.headers.set('authorization', context.authorization);
      },
    }),
});
const server = new ApolloServer<Context>({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: peerSettings.port, host: peerSettings.host },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});
console.log(`stock @apollo/gateway at ${url}`);
const stop = () => void server.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
