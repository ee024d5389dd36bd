import type { ApolloGateway, Experimental_DidResolveQueryPlanCallback, GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  getNamedType,
  getVariableValues,
  isEnumType,
  isObjectType,
  isScalarType,
  Kind,
  OperationTypeNode,
  parse,
  print,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayContext } from './context.ts';

type PlanResolved = Parameters<Experimental_DidResolveQueryPlanCallback>[0];
type FetchNode = Extract<NonNullable<PlanResolved['queryPlan']['node']>, { kind: 'Fetch' }>;
type Executor = ApolloGateway['executor'];
type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;
type IncomingOperation = Extract<GraphQLDataSourceProcessOptions<GatewayContext>, { incomingRequestContext: unknown }>;
/** GraphQLDataSourceRequestKind.INCOMING_OPERATION, which @apollo/gateway does not export. */
const INCOMING_OPERATION = 'incoming operation' as IncomingOperation['kind'];

/** A query one subgraph answers whole: its plan's one fetch, as the plan sends it. */
export interface WholeAnswerFetch {
  serviceName: string;
  operation: string;
  operationName: string | undefined;
  variableUsages: readonly string[];
  /** The fetch's operation, parsed once. */
  document: DocumentNode;
}

/**
 * The fetch whose answer is the client's answer as it stands, if the plan is
 * one: a query planned as a single fetch whose answer has the shape of the
 * client's (answerShape: the same keys in the same order, the same fields,
 * arguments and conditions, the same variable definitions), through object,
 * scalar and enum types only. For such a plan the engine's shaping of the answer to the
 * operation is the identity: every field comes back in the client's order
 * under its response name, every `__typename` names an object type the
 * subgraph shares with the graph, and a field the graph declares non-null is
 * non-null in the subgraph too (composition makes the graph's type the
 * least strict), so the subgraph has already nulled what the graph would.
 *
 * `enumValuesHidden`: the supergraph hides some of its elements from the
 * graph (@inaccessible), so a subgraph could answer an enum value the graph
 * does not have; the engine would null it, and enum fields are left to it.
 */
export function wholeAnswerFetch(
  plan: PlanResolved['queryPlan'],
  document: DocumentNode,
  operation: OperationDefinitionNode,
  schema: GraphQLSchema,
  enumValuesHidden: boolean,
): WholeAnswerFetch | undefined {
  const fetch = plan.node;
  if (operation.operation !== OperationTypeNode.QUERY || fetch?.kind !== 'Fetch' || !isPlainFetch(fetch)) return undefined;
  const root = schema.getQueryType();
  const fragments = fragmentsOf(document.definitions);
  if (!root || !onlyPlainTypes(operation.selectionSet, root, fragments, new Set(), enumValuesHidden)) return undefined;

  let sent: DocumentNode;
  try {
    sent = parse(fetch.operation);
  } catch {
    return undefined;
  }
  const [fetched, ...fetchedFragments] = sent.definitions;
  if (fetched?.kind !== Kind.OPERATION_DEFINITION || fetched.operation !== OperationTypeNode.QUERY) return undefined;
  if (variablesOf(fetched) !== variablesOf(operation)) return undefined;
  const asked = answerShape([operation.selectionSet], fragments);
  if (asked === undefined || asked !== answerShape([fetched.selectionSet], fragmentsOf(fetchedFragments))) return undefined;
  return {
    serviceName: fetch.serviceName,
    operation: fetch.operation,
    operationName: fetch.operationName,
    variableUsages: fetch.variableUsages ?? [],
    document: sent,
  };
}

const fragmentsOf = (definitions: readonly DefinitionNode[]): Map<string, FragmentDefinitionNode> =>
  new Map(definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));

/** A fetch of root fields as they are: no entity representations to send, no values to rename, no deferred parts. */
function isPlainFetch(fetch: FetchNode): boolean {
  return !fetch.requires?.length && !fetch.inputRewrites?.length && !fetch.outputRewrites?.length && !fetch.contextRewrites?.length && !fetch.hasDefers;
}

/**
 * What an answer to `selectionSet` looks like, as text: each response key in
 * the order it first appears once fragments are flattened (as the subgraph
 * collects fields and as the engine fills the answer), with its field,
 * arguments, the @skip and @include conditions it sits under, and the shape
 * of its own selections merged across every place it is asked. A key asked
 * under a condition must be asked once, or its place would depend on the
 * variables. Equal shapes give equal answers; undefined for what it does not cover.
 */
function answerShape(selectionSets: readonly SelectionSetNode[], fragments: ReadonlyMap<string, FragmentDefinitionNode>): string | undefined {
  const entries = new Map<string, { field: string; args: string; conditions: string[]; occurrences: number; selections: SelectionSetNode[] }>();
  const collect = (selectionSet: SelectionSetNode, conditions: readonly string[], depth: number): boolean => {
    if (depth > MAX_FRAGMENT_NESTING) return false;
    for (const selection of selectionSet.selections) {
      const here = [...conditions, ...(selection.directives ?? []).map((directive) => print(directive))];
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const args = (selection.arguments ?? []).map((argument) => print(argument)).join(',');
        const entry = entries.get(key);
        if (!entry) {
          entries.set(key, { field: selection.name.value, args, conditions: here, occurrences: 1, selections: selection.selectionSet ? [selection.selectionSet] : [] });
        } else {
          if (entry.field !== selection.name.value || entry.args !== args) return false;
          entry.occurrences++;
          if (selection.selectionSet) entry.selections.push(selection.selectionSet);
        }
        continue;
      }
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      if (!fragment || !collect(fragment.selectionSet, here, depth + 1)) return false;
    }
    return true;
  };
  for (const selectionSet of selectionSets) if (!collect(selectionSet, [], 0)) return undefined;
  const parts: string[] = [];
  for (const [key, entry] of entries) {
    if (entry.conditions.length > 0 && entry.occurrences > 1) return undefined;
    const children = entry.selections.length > 0 ? answerShape(entry.selections, fragments) : '';
    if (children === undefined) return undefined;
    parts.push(`${key}:${entry.field}(${entry.args})${entry.conditions.join('')}{${children}}`);
  }
  return parts.join(' ');
}

/** Fragments within fragments deeper than this are left to the engine (validation has already refused cycles). */
const MAX_FRAGMENT_NESTING = 32;

/** An operation's variable definitions as text, in name order. */
const variablesOf = (operation: OperationDefinitionNode): string =>
  [...(operation.variableDefinitions ?? [])].map((definition) => print(definition)).sort().join(',');

/**
 * Whether every field selected (through inline and named fragments, whose
 * names go into `used`) is an object, a scalar or, unless `enumValuesHidden`,
 * an enum, every fragment is on the type it sits in, and no directive but
 * @skip and @include is applied: nothing for which the engine would choose
 * by type at run time, ask introspection itself, or null a value.
 */
function onlyPlainTypes(
  selectionSet: SelectionSetNode,
  parent: GraphQLObjectType,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  used: Set<string>,
  enumValuesHidden: boolean,
): boolean {
  for (const selection of selectionSet.selections) {
    if (selection.directives?.some((directive) => directive.name.value !== 'skip' && directive.name.value !== 'include')) return false;
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name === '__typename') continue;
      const field = parent.getFields()[name];
      if (!field || name.startsWith('__')) return false;
      const type = getNamedType(field.type);
      if (isObjectType(type)) {
        if (!selection.selectionSet || !onlyPlainTypes(selection.selectionSet, type, fragments, used, enumValuesHidden)) return false;
      } else if (!(isScalarType(type) || (isEnumType(type) && !enumValuesHidden))) {
        return false;
      }
      continue;
    }
    const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
    if (!fragment || (fragment.typeCondition && fragment.typeCondition.name.value !== parent.name)) return false;
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      if (used.has(selection.name.value)) continue;
      used.add(selection.name.value);
      if (fragment.directives?.length) return false;
    }
    if (!onlyPlainTypes(fragment.selectionSet, parent, fragments, used, enumValuesHidden)) return false;
  }
  return true;
}

/** A document's whole-answer fetch, for the graph it was planned against. */
type Route = WholeAnswerFetch & { schema: GraphQLSchema };

/**
 * Queries one subgraph answers whole, answered with that subgraph's answer
 * as it stands. The engine (ApolloGateway) plans each document once, then
 * for every request rebuilds the operation, runs the plan and shapes the
 * merged answer to the operation field by field; for a plan of one fetch
 * whose answer needs no shaping (wholeAnswerFetch), the gateway sends that
 * fetch itself, exactly as the engine would, and returns its data.
 *
 * The first request of each document goes through the engine, which reports
 * its plan (experimental_didResolveQueryPlan); later ones of that document
 * take the short way. Whatever is not a plain answer (variables the graph
 * refuses, any error, no data) goes through the engine after all, which gets
 * the subgraph's answer already in hand (`replayed`) instead of asking again,
 * so the client receives the engine's answer and the subgraph is asked once.
 */
export class OneSubgraphAnswers {
  /** By document (Apollo Server keeps one per distinct text) and operation name: the fetch, or null for plans of another kind. */
  readonly #routes = new WeakMap<DocumentNode, Map<string, Route | null>>();
  readonly #replays = new WeakMap<GatewayContext, { fetch: WholeAnswerFetch; response: SubgraphResponse }>();

  constructor(
    private readonly options: {
      /** The data source the engine built for a subgraph. */
      dataSource: (serviceName: string) => GraphQLDataSource<GatewayContext> | undefined;
      /** The supergraph hides elements from the graph (@inaccessible). */
      enumValuesHidden: boolean;
    },
  ) {}

  /** ApolloGateway's experimental_didResolveQueryPlan: learns, once per document, whether its plan is one whole fetch. */
  readonly planResolved = ({ queryPlan, operationContext, requestContext }: PlanResolved): void => {
    const { document, operation } = requestContext;
    if (!document || !operation) return;
    let byName = this.#routes.get(document);
    const key = requestContext.request.operationName ?? '';
    if (byName?.has(key)) return;
    if (!byName) this.#routes.set(document, (byName = new Map<string, Route | null>()));
    const fetch = wholeAnswerFetch(queryPlan, document, operation, operationContext.schema, this.options.enumValuesHidden);
    byName.set(key, fetch ? { ...fetch, schema: operationContext.schema } : null);
  };

  /** The gateway's executor: the engine's, with the short way in front of it. */
  executor(engine: Executor): Executor {
    return async (requestContext) => {
      const route = this.#routes.get(requestContext.document)?.get(requestContext.request.operationName ?? '');
      if (!route || route.schema !== requestContext.schema) return engine(requestContext);
      const provided = requestContext.request.variables;
      // The engine refuses variables the operation does not accept before asking anyone; so does the short way, by leaving them to it.
      const definitions = requestContext.operation.variableDefinitions;
      if (definitions?.length && getVariableValues(route.schema, definitions, provided ?? {}).errors) return engine(requestContext);
      const dataSource = this.options.dataSource(route.serviceName);
      if (!dataSource) return engine(requestContext);

      // The variables the fetch uses, as the engine picks them (executeQueryPlan's executeFetch).
      const variables = Object.create(null) as Record<string, unknown>;
      for (const name of route.variableUsages) {
        if (provided && Object.hasOwn(provided, name) && provided[name] !== undefined) variables[name] = provided[name];
      }
      const context = requestContext.context as GatewayContext;
      const response = await dataSource.process({
        kind: INCOMING_OPERATION,
        request: { query: route.operation, variables, operationName: route.operationName },
        incomingRequestContext: requestContext as IncomingOperation['incomingRequestContext'],
        context,
        document: route.document,
        pathInIncomingRequest: [],
      });
      const { data } = response;
      if (!response.errors?.length && typeof data === 'object' && data !== null && !Array.isArray(data)) return { data };
      this.#replays.set(context, { fetch: route, response });
      return engine(requestContext);
    };
  }

  /**
   * The answer this request's fetch to `serviceName` already got on the short
   * way, given once to the engine running the same fetch; none otherwise.
   */
  replayed(context: GatewayContext, serviceName: string, query: string | undefined): SubgraphResponse | undefined {
    const replay = this.#replays.get(context);
    if (!replay || replay.fetch.serviceName !== serviceName || replay.fetch.operation !== query) return undefined;
    this.#replays.delete(context);
    return replay.response;
  }
}
