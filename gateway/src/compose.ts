import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';

export interface SubgraphSource {
  name: string;
  /** Where the gateway reaches this subgraph's /graphql unless overridden at start. */
  url: string;
  sdl: string;
}

/** A subgraph schema as composition wants it: with its federation directives (`@key`, `@link`, ...). */
export function subgraphSdl(schema: GraphQLSchema): string {
  return printSubgraphSchema(schema);
}

/**
 * Composes the supergraph the gateway loads. Fails with every composition
 * error listed, so one run shows all that must change.
 */
export function composeSupergraph(subgraphs: SubgraphSource[]): string {
  const services = subgraphs.map(({ name, url, sdl }) => {
    try {
      return { name, url, typeDefs: parse(sdl) };
    } catch (error) {
      throw new Error(`The ${name} subgraph's SDL does not parse: ${(error as Error).message}`);
    }
  });
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(
      `The subgraphs do not compose (${result.errors.length} errors):\n${result.errors.map((error) => `  - ${error.message}`).join('\n')}`,
    );
  }
  return result.supergraphSdl;
}
