import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { validate } from 'graphql';
import type { QueryLimits } from '../config.ts';
import { maxAliasesRule } from './aliases.ts';
import { maxCostRule } from './cost.ts';
import { maxDepthRule } from './depth.ts';

/**
 * Applies the depth, alias and cost limits to every operation once graphql's
 * own validation has passed. They are not Apollo `validationRules`:
 * Apollo validates a document only the first time it sees it, but the cost
 * depends on each request's variables (`learners(ids: $ids)`); and an error
 * thrown here keeps its TOO_COMPLEX code and HTTP 400, where Apollo re-codes
 * validation errors as GRAPHQL_VALIDATION_FAILED.
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin<BaseContext> {
  const fixedRules = [maxDepthRule(limits.MAX_QUERY_DEPTH), maxAliasesRule(limits.MAX_QUERY_ALIASES)];
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request }) {
          const rules = [
            ...fixedRules,
            maxCostRule({ maxCost: limits.MAX_QUERY_COST, listFactor: limits.QUERY_LIST_FACTOR, variables: request.variables }),
          ];
          const [firstProblem] = validate(schema, document, rules, { maxErrors: 1 });
          if (firstProblem) throw firstProblem;
        },
      };
    },
  };
}
