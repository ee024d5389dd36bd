import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';
import { CACHE_CONTROL_DIRECTIVE } from './cache-control.ts';
import { authChecker } from './context.ts';

export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag", "@interfaceObject"])';

/** `__resolveReference` per entity type name. */
// The resolver map is untyped at this seam: Apollo's map is keyed by type name with loosely typed resolvers.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ReferenceResolvers = Record<string, { __resolveReference: (reference: any, context: any) => unknown }>;

/**
 * Turns a type-graphql schema into a Federation 2 subgraph schema: print it
 * with its directives, add the federation link, and hand it to
 * `buildSubgraphSchema` with type-graphql's resolvers plus the reference
 * resolvers. The resolvers keep type-graphql's auth checks and validation.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck' | 'authChecker'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({ ...options, authChecker, skipCheck: true, validate: false });
  const typeDefs = parse(`${FEDERATION_LINK}\n${CACHE_CONTROL_DIRECTIVE}\n${printSchemaWithDirectives(schema)}`);
  // Apollo's resolver map is loosely typed; type-graphql's map fits it at runtime.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const resolvers = createResolversMap(schema) as Record<string, any>;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object | undefined), ...reference };
  }
  return buildSubgraphSchema({ typeDefs, resolvers });
}
