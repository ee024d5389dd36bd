import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLArgument,
  type GraphQLInputType,
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
import { fragmentMeasurer, isIntrospectionField, operationLimitRule, type OperationLimit } from './measure.ts';

export interface CostOptions {
  maxCost: number;
  /** How many items a list field is assumed to return when nothing in the query says. */
  listFactor: number;
  /** The request's variables, so `ids: $ids`, `input: $cohort` and `first: $n` count what they carry. */
  variables?: Readonly<Record<string, unknown>>;
}

/**
 * Estimates how much work an operation asks of the graph and rejects it above
 * `maxCost`. The formula:
 *
 *   cost(leaf field)                 = 1 + values(field)
 *   cost(field { selection })        = 1 + values(field) + factor(field) × cost(selection)
 *   cost(selection)                  = Σ cost of its fields (fragments included where spread,
 *                                      every type branch counted)
 *   values(field) = the values in the lists among its arguments, whatever their
 *                   names (`ids`, `learnerIds`, a cohort's `input`), lists inside
 *                   input objects and inside list items included, given inline or
 *                   as variables; 0 when it takes no list
 *   factor(field) = its `first` argument, if given;
 *                   else values(field), if it takes a list;
 *                   else `listFactor` when the field returns a list;
 *                   else 1.
 *
 * Each value handed in costs 1 on its own (it is looked up, checked, written)
 * whatever the query selects for it, so aliases cannot multiply a big list for
 * free: 30 aliases of `progressFor(learnerIds: [5 000 ids]) { creditsEarned }`
 * cost 30 × (1 + 5 000 + 5 000) = 300 030, over the default 250 000.
 *
 * A field sized by `first` or by its list arguments that returns one object
 * (a connection, a cohort's result) is counted once: the lists directly
 * inside it (`edges`, `nodes`, `results`) are that page, so they get factor 1.
 * Arguments given as variables count their value (or their declared default).
 * Introspection (`__schema`, `__type`) costs nothing.
 * So `learners(ids: [10 000 ids]) { id eligibility { a b c d e } }` costs
 * 1 + 10 000 + 10 000 × (1 + 1 + 5) = 80 001, and a 10 000 cohort
 * `issueCredentials(input: $input) { issued failed results { index credential { id } } }`
 * 1 + 10 000 + 10 000 × (1 + 1 + (1 + 1 + 2)) = 70 001, inside the default 250 000.
 */
export function maxCostRule(options: CostOptions): ValidationRule {
  return operationLimitRule(costLimit(options));
}

/** The cost limit as a measure (see maxCostRule). */
export function costLimit(options: CostOptions): OperationLimit {
  return {
    limit: options.maxCost,
    measurer: (context) => (operation) => operationCost(context, operation, { ...defaultsOf(operation), ...options.variables }, options.listFactor),
    describe: (cost, limit) =>
      `The query would cost ${cost}; the limit is ${limit}. Each field costs 1, each value in a list argument 1, and a list ` +
      `multiplies what it selects by its first argument, the values in its list arguments or ${options.listFactor}: ask for fewer items or fields.`,
  };
}

type Variables = Readonly<Record<string, unknown>>;

function operationCost(context: ValidationContext, operation: OperationDefinitionNode, variables: Variables, listFactor: number): number {
  const schema = context.getSchema();

  const factorOf = (field: FieldNode, type: GraphQLOutputType | undefined, values: number, insidePage: boolean): number => {
    const first = argument(field, 'first');
    const sized = first ? numberFrom(first, variables) : undefined;
    if (sized !== undefined) return Math.max(0, sized);
    if (values > 0) return values;
    if (type && isListType(getNullableType(type))) return insidePage ? 1 : listFactor;
    return 1;
  };

  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType | undefined, insidePage: boolean): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (isIntrospectionField(name)) continue;
        const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
        const values = valuesIn(selection, definition?.args, variables);
        if (!selection.selectionSet) {
          cost += 1 + values;
          continue;
        }
        const type = definition?.type;
        const isPage = (argument(selection, 'first') !== undefined || values > 0) && !(type && isListType(getNullableType(type)));
        cost += 1 + values + factorOf(selection, type, values, insidePage) * costOf(selection.selectionSet, compositeNamed(type), isPage);
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

/** The values in the list arguments of one field (see `values(field)` above). */
function valuesIn(field: FieldNode, definitions: readonly GraphQLArgument[] | undefined, variables: Variables): number {
  let values = 0;
  for (const given of field.arguments ?? []) {
    const type = definitions?.find((definition) => definition.name === given.name.value)?.type;
    values += valuesInNode(given.value, type, variables);
  }
  return values;
}

/**
 * Counts list values in an argument, following its declared type when known
 * (so a JSON scalar's arrays are not counted as a list argument) and every
 * list when not. A single value where a list is expected is a list of one
 * (GraphQL input coercion).
 */
function valuesInNode(node: ValueNode, type: GraphQLInputType | undefined, variables: Variables): number {
  if (node.kind === Kind.VARIABLE) return valuesInValue(variables[node.name.value], type);
  const nullable = type ? getNullableType(type) : undefined;
  if (nullable && isLeafType(nullable)) return 0;
  if (node.kind === Kind.LIST) {
    const item = nullable && isListType(nullable) ? nullable.ofType : undefined;
    return node.values.reduce((sum, value) => sum + 1 + valuesInNode(value, item, variables), 0);
  }
  if (nullable && isListType(nullable)) return node.kind === Kind.NULL ? 0 : 1 + valuesInNode(node, nullable.ofType, variables);
  if (node.kind === Kind.OBJECT) {
    const fields = nullable && isInputObjectType(nullable) ? nullable.getFields() : undefined;
    return node.fields.reduce((sum, field) => sum + valuesInNode(field.value, fields?.[field.name.value]?.type, variables), 0);
  }
  return 0;
}

/** The same count for a variable's value, as the client sent it in JSON. */
function valuesInValue(value: unknown, type: GraphQLInputType | undefined): number {
  if (value === null || value === undefined) return 0;
  const nullable = type ? getNullableType(type) : undefined;
  if (nullable && isLeafType(nullable)) return 0;
  if (Array.isArray(value)) {
    const item = nullable && isListType(nullable) ? nullable.ofType : undefined;
    return value.reduce((sum: number, entry: unknown) => sum + 1 + valuesInValue(entry, item), 0);
  }
  if (nullable && isListType(nullable)) return 1 + valuesInValue(value, nullable.ofType);
  if (typeof value === 'object') {
    const fields = nullable && isInputObjectType(nullable) ? nullable.getFields() : undefined;
    return Object.entries(value).reduce((sum, [name, entry]) => sum + valuesInValue(entry, fields?.[name]?.type), 0);
  }
  return 0;
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
