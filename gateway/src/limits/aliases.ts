import { Kind, type SelectionSetNode, type ValidationRule } from 'graphql';
import { fragmentMeasurer, operationLimitRule, type OperationLimit } from './measure.ts';

/**
 * Rejects an operation with more than `maxAliases` aliased fields. Aliases
 * are how one request asks for the same expensive field many times over
 * (`a1: learner(id: …) a2: learner(id: …) …`); a fragment's aliases count
 * every time it is spread.
 */
export function maxAliasesRule(maxAliases: number): ValidationRule {
  return operationLimitRule(aliasesLimit(maxAliases));
}

/** The alias limit as a measure (see maxAliasesRule). */
export function aliasesLimit(maxAliases: number): OperationLimit {
  return {
    limit: maxAliases,
    measurer: (context) => {
      const aliasesIn = (selectionSet: SelectionSetNode): number => {
        let count = 0;
        for (const selection of selectionSet.selections) {
          if (selection.kind === Kind.FIELD) {
            if (selection.alias) count += 1;
            if (selection.selectionSet) count += aliasesIn(selection.selectionSet);
          } else if (selection.kind === Kind.INLINE_FRAGMENT) {
            count += aliasesIn(selection.selectionSet);
          } else {
            count += fragmentAliases(selection.name.value);
          }
        }
        return count;
      };
      const fragmentAliases = fragmentMeasurer(context, (fragment) => aliasesIn(fragment.selectionSet), 0);
      return (operation) => aliasesIn(operation.selectionSet);
    },
    describe: (aliases, limit) => `The query uses ${aliases} aliases; the limit is ${limit}.`,
  };
}
