import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { getNamedType, Kind, OperationTypeNode, type ConstDirectiveNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { Directive } from 'type-graphql';

/**
 * The `@cacheControl` hint a subgraph puts on the types and fields of what it
 * publishes to everyone (the catalogue, pathways, job roles, schemes). Each
 * subgraph's server works out from the hints how long its answer may be kept
 * (the least of the hints of every object it returned; a field returning
 * objects without a hint, or any error, makes the answer one never kept) and
 * says so in its Cache-Control header; the gateway keeps an answer only when
 * every subgraph that made it said so (gateway/src/response-cache).
 *
 * Only `maxAge` and `inheritMaxAge` are declared: `scope` is not, because the
 * gateway keeps each answer for the token that asked it (or for callers
 * without one), never for another viewer, whatever a hint says.
 */
export const CACHE_CONTROL_DIRECTIVE = 'directive @cacheControl(maxAge: Int, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION';

/**
 * How long an answer made of published data may be kept: a write through the
 * graph to the subgraph that owns it ends it at once (the gateway sees every
 * write), so this bounds only changes made otherwise (an event applied, a
 * scheme's dates passing).
 */
export const PUBLISHED_MAX_AGE_SECONDS = 60;

/** On a type or field of published data: an answer of it may be kept `maxAge` seconds. */
export const Cacheable = (maxAge: number = PUBLISHED_MAX_AGE_SECONDS) => Directive(`@cacheControl(maxAge: ${maxAge})`);

/** On a wrapper type (a connection, an edge, a page): kept as long as the field that returned it. */
export const InheritsCacheHint = () => Directive('@cacheControl(inheritMaxAge: true)');

/** A type's or field's own `@cacheControl(maxAge: …)`, if it has one. */
function maxAgeHinted(node: { astNode?: { directives?: readonly ConstDirectiveNode[] } | null; extensionASTNodes?: ReadonlyArray<{ directives?: readonly ConstDirectiveNode[] }> }): number | undefined {
  for (const ast of [node.astNode, ...(node.extensionASTNodes ?? [])]) {
    const directive = ast?.directives?.find((d) => d.name.value === 'cacheControl');
    const maxAge = directive?.arguments?.find((a) => a.name.value === 'maxAge')?.value;
    if (maxAge?.kind === Kind.INT) return Number(maxAge.value);
  }
  return undefined;
}

/**
 * Whether an operation's answer could be kept at all: a query each of whose
 * root fields has a positive max-age, on the field or on the type it returns
 * (for `_entities`, on the type of every representation asked). Apollo's
 * cache-control plugin gives a root field without one max-age 0, so the
 * answer of any other operation is never kept, whatever its deeper fields
 * say; fragments at the root are left to the plugin.
 */
function mayBeKept(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined, hints: WeakMap<object, number | undefined>): boolean {
  if (operation.operation !== OperationTypeNode.QUERY) return false;
  const root = schema.getQueryType();
  if (!root) return false;
  const hinted = (node: Parameters<typeof maxAgeHinted>[0] & object): number | undefined => {
    if (!hints.has(node)) hints.set(node, maxAgeHinted(node));
    return hints.get(node);
  };
  const fields = root.getFields();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) return true;
    const name = selection.name.value;
    if (name === '__typename') continue;
    if (name === '_entities') {
      const representations = variables?.representations;
      if (!Array.isArray(representations)) return true;
      for (const representation of representations as Array<{ __typename?: unknown }>) {
        const type = typeof representation?.__typename === 'string' ? schema.getType(representation.__typename) : undefined;
        if (!type || !((hinted(type) ?? 0) > 0)) return false;
      }
      continue;
    }
    const field = fields[name];
    if (!field) return true;
    const maxAge = hinted(field) ?? hinted(getNamedType(field.type));
    if (!((maxAge ?? 0) > 0)) return false;
  }
  return true;
}

/**
 * Apollo's cache-control plugin, consulted only where an answer could be
 * kept. It works out a policy for every field of every answer, which for a
 * funder's 10,000 learners is a tenth of the subgraph's time; an operation
 * whose root fields are not published (mayBeKept) is answered `no-store` at
 * once and its fields are resolved without it. Every subgraph installs it in
 * place of Apollo's own.
 */
export function cacheControlWhereHinted(): ApolloServerPlugin {
  const apollo = ApolloServerPluginCacheControl({ calculateHttpHeaders: true });
  const hints = new WeakMap<object, number | undefined>();
  return {
    // Apollo adds its own cache-control plugin unless one with this id is installed.
    ...({ __internal_plugin_id__: 'CacheControl', __is_disabled_plugin__: false } as object),
    async serverWillStart(service) {
      await apollo.serverWillStart?.(service);
    },
    async requestDidStart(requestContext) {
      const listener = await apollo.requestDidStart?.(requestContext);
      if (!listener) return undefined;
      return {
        ...listener,
        async executionDidStart(execution) {
          if (!mayBeKept(execution.schema, execution.operation, execution.request.variables, hints)) {
            execution.overallCachePolicy.restrict({ maxAge: 0 });
            return undefined;
          }
          return listener.executionDidStart?.(execution);
        },
      };
    },
  };
}
