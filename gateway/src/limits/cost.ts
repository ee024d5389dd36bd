import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
  valueFromASTUntyped,
} from 'graphql';
import { fragmentMeasurer, isIntrospectionField, operationLimitRule } from './measure.ts';

export interface CostOptions {
  maxCost: number;
  /** How many items a list field is assumed to return when nothing in the query says. */
  listFactor: number;
  /** The request's variables, so `ids: $ids` and `first: $n` count what they carry. */
  variables?: Readonly<Record<string, unknown>>;
}

/**
 * Estimates how much work an operation asks of the graph and rejects it above
 * `maxCost`. The formula:
 *
 *   cost(leaf field)                 = 1
 *   cost(field { selection })        = 1 + factor(field) × cost(selection)
 *   cost(selection)                  = Σ cost of its fields (fragments included where spread,
 *                                      every type branch counted)
 *   factor(field) = its `first` argument, if given;
 *                   else the number of ids in its `ids` argument, if given;
 *                   else `listFactor` when the field returns a list;
 *                   else 1.
 *
 * A connection sized by `first` (`courses(first: 50) { edges { node { … } } }`)
 * is counted once: the lists directly inside it (`edges`, `nodes`) are that
 * page, so they get factor 1. Arguments given as variables count their value
 * (or their declared default). Introspection (`__schema`, `__type`) costs nothing.
 * So `learners(ids: [10 000 ids]) { id eligibility { a b c d e } }` costs
 * 1 + 10 000 × (1 + 1 + 5) = 70 001, inside the default 150 000.
 */
export function maxCostRule(options: CostOptions): ValidationRule {
  return operationLimitRule(
    options.maxCost,
    (context) => (operation) => operationCost(context, operation, { ...defaultsOf(operation), ...options.variables }, options.listFactor),
    (cost, limit) =>
      `The query would cost ${cost}; the limit is ${limit}. Each field costs 1 and a list multiplies ` +
      `what it selects by its first argument, its number of ids or ${options.listFactor}: ask for fewer items or fields.`,
  );
}

type Variables = Readonly<Record<string, unknown>>;

function operationCost(context: ValidationContext, operation: OperationDefinitionNode, variables: Variables, listFactor: number): number {
  const schema = context.getSchema();

  const factorOf = (field: FieldNode, type: GraphQLOutputType | undefined, insidePage: boolean): number => {
    const first = argument(field, 'first');
    const sized = first ? numberFrom(first, variables) : undefined;
    if (sized !== undefined) return Math.max(0, sized);
    const ids = argument(field, 'ids');
    const count = ids ? listLengthFrom(ids, variables) : undefined;
    if (count !== undefined) return count;
    if (type && isListType(getNullableType(type))) return insidePage ? 1 : listFactor;
    return 1;
  };

  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType | undefined, insidePage: boolean): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (isIntrospectionField(name)) continue;
        if (!selection.selectionSet) {
          cost += 1;
          continue;
        }
        const type = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name]?.type : undefined;
        const isPage = argument(selection, 'first') !== undefined && !(type && isListType(getNullableType(type)));
        cost += 1 + factorOf(selection, type, insidePage) * costOf(selection.selectionSet, compositeNamed(type), isPage);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        cost += costOf(selection.selectionSet, compositeNamed(condition ?? undefined), insidePage);
      } else {
        cost += fragmentCost(selection.name.value, insidePage ? 'page' : '');
      }
    }
    return cost;
  };

  // A fragment's parent type is its own type condition wherever it is spread.
  const fragmentCost = fragmentMeasurer(
    context,
    (fragment, variant) => costOf(fragment.selectionSet, compositeNamed(schema.getType(fragment.typeCondition.name.value)), variant === 'page'),
    0,
  );

  return costOf(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined, false);
}

function compositeNamed(type: GraphQLType | null | undefined): GraphQLCompositeType | undefined {
  const named = type ? getNamedType(type) : undefined;
  return named && isCompositeType(named) ? named : undefined;
}

/** Variables the client leaves out take their declared defaults, which count as much as literals. */
function defaultsOf(operation: OperationDefinitionNode): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  return defaults;
}

const argument = (field: FieldNode, name: string): ValueNode | undefined =>
  field.arguments?.find((candidate) => candidate.name.value === name)?.value;

function numberFrom(value: ValueNode, variables: Variables): number | undefined {
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    return typeof given === 'number' && Number.isFinite(given) ? given : undefined;
  }
  return undefined;
}

/** A single value where a list is expected is a list of one (GraphQL input coercion). */
function listLengthFrom(value: ValueNode, variables: Variables): number | undefined {
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    if (Array.isArray(given)) return given.length;
    return given === undefined || given === null ? undefined : 1;
  }
  return value.kind === Kind.NULL ? undefined : 1;
}
