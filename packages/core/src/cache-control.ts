import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import {
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isObjectType,
  isUnionType,
  Kind,
  OperationTypeNode,
  type ConstDirectiveNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
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

/** What a type's or field's `@cacheControl` says: a max-age, or to inherit its parent's. */
interface Hint {
  maxAge?: number;
  inheritMaxAge?: boolean;
}

type HintedNode = { astNode?: { directives?: readonly ConstDirectiveNode[] } | null; extensionASTNodes?: ReadonlyArray<{ directives?: readonly ConstDirectiveNode[] }> };

/** A type's or field's own `@cacheControl`, read as Apollo's cache-control plugin reads it: the first one on its definition or extensions. */
function hintOn(node: HintedNode): Hint {
  for (const ast of [node.astNode, ...(node.extensionASTNodes ?? [])]) {
    const directive = ast?.directives?.find((d) => d.name.value === 'cacheControl');
    if (!directive) continue;
    const argument = (name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
    const inherit = argument('inheritMaxAge');
    if (inherit?.kind === Kind.BOOLEAN && inherit.value) return { inheritMaxAge: true };
    const maxAge = argument('maxAge');
    return { maxAge: maxAge?.kind === Kind.INT ? Number(maxAge.value) : undefined };
  }
  return {};
}

/**
 * How long an answer to `operation` may be kept, worked out from the document
 * once per request by the rules Apollo's cache-control plugin applies to each
 * field as it resolves it:
 * - a field's max-age is its own hint, else the hint on the type it returns;
 * - a field returning objects (or at the root) with neither is never kept
 *   (max-age 0), unless its hint says to inherit its parent's;
 * - `_entities` takes the least hint of the types it is asked for (as
 *   @apollo/subgraph's resolver sets it; a type without one is never kept),
 *   and only their fragments count;
 * - the answer's max-age is the least of its fields'.
 * Fields a `@skip`/`@include` leaves out do not count. Unlike the plugin, it
 * counts every field the document asks for, also under an object that turns
 * out null or a list that turns out empty: never longer than the plugin
 * would allow, at times shorter. Undefined when no field says anything
 * (`{ __typename }`): such an answer is not kept.
 */
function documentMaxAge(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown> | undefined,
  hints: WeakMap<object, Hint>,
): number | undefined {
  const hinted = (node: HintedNode & object): Hint => {
    let hint = hints.get(node);
    if (!hint) hints.set(node, (hint = hintOn(node)));
    return hint;
  };
  const included = (node: SelectionNode) => {
    if (!node.directives?.length) return true;
    try {
      return getDirectiveValues(GraphQLSkipDirective, node, variables)?.if !== true && getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
    } catch {
      // A condition on a variable left to its default (or one execution refuses): counted, which is never longer.
      return true;
    }
  };
  // A fragment counts where the object could be of its type; under `_entities`, only the types asked for.
  const applies = (condition: string | undefined, parent: GraphQLCompositeType, asked?: GraphQLObjectType[]) => {
    const type = condition ? schema.getType(condition) : parent;
    if (!type || !isCompositeType(type)) return false;
    if (!asked) return true;
    return asked.some((object) => object === type || (isAbstractType(type) && schema.isSubType(type, object)));
  };
  let least: number | undefined;
  const walk = (parent: GraphQLCompositeType, selections: readonly SelectionNode[], atRoot: boolean, asked?: GraphQLObjectType[]): void => {
    for (const selection of selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        if (!fragment || !applies(fragment.typeCondition?.name.value, parent, asked)) continue;
        const type = fragment.typeCondition ? (schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType) : parent;
        walk(type, fragment.selectionSet.selections, atRoot, asked);
        continue;
      }
      // Meta fields (__typename, introspection) are not resolved through the schema's fields, and have no policy.
      const name = selection.name.value;
      const field = name.startsWith('__') || isUnionType(parent) ? undefined : parent.getFields()[name];
      if (!field) continue;
      const returned = getNamedType(field.type);
      const object = isCompositeType(returned);
      const typeHint = object ? hinted(returned) : {};
      let maxAge = typeHint.maxAge;
      let inherits = !!typeHint.inheritMaxAge;
      const fieldHint = hinted(field);
      if (fieldHint.inheritMaxAge && maxAge === undefined) inherits = true;
      else if (fieldHint.maxAge !== undefined) maxAge = fieldHint.maxAge;
      let entities: GraphQLObjectType[] | undefined;
      if (atRoot && name === '_entities') {
        entities = representedTypes(schema, variables);
        for (const type of entities) {
          // Apollo's plugin lets an entity of a type without a hint ride on the others' max-age: here it is never kept.
          const hint = hinted(type).maxAge ?? 0;
          if (maxAge === undefined || hint < maxAge) maxAge = hint;
        }
      }
      if (maxAge === undefined && ((object && !inherits) || atRoot)) maxAge = 0;
      if (maxAge !== undefined && (least === undefined || maxAge < least)) least = maxAge;
      if (selection.selectionSet && object) walk(returned, selection.selectionSet.selections, false, entities);
    }
  };
  const root = operation.operation === OperationTypeNode.QUERY ? schema.getQueryType() : undefined;
  if (!root) return 0;
  walk(root, operation.selectionSet.selections, true);
  return least;
}

/** The object types an `_entities` request names in its representations (an unknown one fails in the resolver, and its answer is not kept). */
function representedTypes(schema: GraphQLSchema, variables: Record<string, unknown> | undefined): GraphQLObjectType[] {
  const representations = variables?.representations;
  if (!Array.isArray(representations)) return [];
  const types = new Set<GraphQLObjectType>();
  for (const representation of representations as Array<{ __typename?: unknown } | null>) {
    const type = typeof representation?.__typename === 'string' ? schema.getType(representation.__typename) : undefined;
    if (type && isObjectType(type)) types.add(type);
  }
  return [...types];
}

/**
 * Apollo's cache-control plugin, with its policy worked out from the document
 * (documentMaxAge) instead of by a hook on every field resolved: a catalogue
 * page's hundreds of fields, or a funder's 10,000 learners, cost the hook a
 * sixth of the subgraph's time. Apollo's plugin still writes the
 * Cache-Control header from that policy (`no-store` for an answer with
 * errors, or with nothing to keep). Every subgraph installs it in place of
 * Apollo's own.
 */
export function cacheControlWhereHinted(): ApolloServerPlugin {
  const apollo = ApolloServerPluginCacheControl({ calculateHttpHeaders: true });
  const hints = new WeakMap<object, Hint>();
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
        async willSendResponse(response) {
          await listener.willSendResponse?.(response);
        },
        async executionDidStart({ schema, operation, document, request, overallCachePolicy }) {
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
          overallCachePolicy.restrict({ maxAge: documentMaxAge(schema, operation, fragments, request.variables, hints) });
        },
      };
    },
  };
}
