import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Kind, TypeInfo, ValidationContext, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { QueryLimits } from '../config.ts';
import { aliasesLimit } from './aliases.ts';
import { costLimit } from './cost.ts';
import { depthLimit } from './depth.ts';
import { tooComplex, type OperationLimit } from './measure.ts';

/** What one document measures, whoever sends it: depth and aliases, and the cost when no variable can change it. */
interface Measured {
  schema: GraphQLSchema;
  context: ValidationContext;
  operations: Array<{ operation: OperationDefinitionNode; depth: number; aliases: number; cost?: number }>;
}

/**
 * Applies the depth, alias and cost limits to every operation of a document
 * once graphql's own validation has passed. They are not Apollo
 * `validationRules`: Apollo validates a document only the first time it sees
 * it, but the cost depends on each request's variables (`learners(ids: $ids)`);
 * and an error thrown here keeps its TOO_COMPLEX code and HTTP 400, where
 * Apollo re-codes validation errors as GRAPHQL_VALIDATION_FAILED.
 *
 * Apollo hands every request with the same query text the same parsed
 * document (its document store), so what a document measures is kept with it
 * and measured once: depth and aliases always, the cost when the document
 * declares no variables. A document with variables has its cost measured for
 * each request's values. Operations are checked in document order, each one's
 * depth, then aliases, then cost; the first problem is the answer.
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin<BaseContext> {
  const depth = depthLimit(limits.MAX_QUERY_DEPTH);
  const aliases = aliasesLimit(limits.MAX_QUERY_ALIASES);
  const cost = (variables: Readonly<Record<string, unknown>> | undefined): OperationLimit =>
    costLimit({ maxCost: limits.MAX_QUERY_COST, listFactor: limits.QUERY_LIST_FACTOR, variables });
  const fixedCost = cost(undefined);
  const measuredDocuments = new WeakMap<DocumentNode, Measured>();

  const measure = (schema: GraphQLSchema, document: DocumentNode): Measured => {
    const known = measuredDocuments.get(document);
    if (known?.schema === schema) return known;
    const context = new ValidationContext(schema, document, new TypeInfo(schema), () => {});
    const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
    const withoutVariables = operations.every((operation) => !operation.variableDefinitions?.length);
    const [depthOf, aliasesOf] = [depth.measurer(context), aliases.measurer(context)];
    const costOf = withoutVariables ? fixedCost.measurer(context) : undefined;
    const measured: Measured = {
      schema,
      context,
      operations: operations.map((operation) => ({ operation, depth: depthOf(operation), aliases: aliasesOf(operation), cost: costOf?.(operation) })),
    };
    measuredDocuments.set(document, measured);
    return measured;
  };

  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request }) {
          const measured = measure(schema, document);
          let costOf: ((operation: OperationDefinitionNode) => number) | undefined;
          for (const { operation, depth: depthMeasured, aliases: aliasesMeasured, cost: costMeasured } of measured.operations) {
            const problem =
              tooComplex(depth, depthMeasured) ??
              tooComplex(aliases, aliasesMeasured) ??
              // The limit and its wording do not depend on the variables, only the measure does.
              tooComplex(fixedCost, costMeasured ?? (costOf ??= cost(request.variables).measurer(measured.context))(operation));
            if (problem) throw problem;
          }
        },
      };
    },
  };
}
