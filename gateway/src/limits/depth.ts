import { Kind, type SelectionSetNode, type ValidationRule } from 'graphql';
import { fragmentMeasurer, isIntrospectionField, operationLimitRule, type OperationLimit } from './measure.ts';

/**
 * Rejects an operation whose fields nest deeper than `maxDepth` levels
 * (`{ me { fullName } }` is 2), following fragments to where they are spread.
 * Introspection is not counted: the standard introspection query alone nests
 * 13 levels, and it is refused in production anyway.
 */
export function maxDepthRule(maxDepth: number): ValidationRule {
  return operationLimitRule(depthLimit(maxDepth));
}

/** The depth limit as a measure (see maxDepthRule). */
export function depthLimit(maxDepth: number): OperationLimit {
  return {
    limit: maxDepth,
    measurer: (context) => {
      const depthOf = (selectionSet: SelectionSetNode): number => {
        let deepest = 0;
        for (const selection of selectionSet.selections) {
          if (selection.kind === Kind.FIELD) {
            if (isIntrospectionField(selection.name.value)) continue;
            deepest = Math.max(deepest, 1 + (selection.selectionSet ? depthOf(selection.selectionSet) : 0));
          } else if (selection.kind === Kind.INLINE_FRAGMENT) {
            deepest = Math.max(deepest, depthOf(selection.selectionSet));
          } else {
            deepest = Math.max(deepest, fragmentDepth(selection.name.value));
          }
        }
        return deepest;
      };
      const fragmentDepth = fragmentMeasurer(context, (fragment) => depthOf(fragment.selectionSet), 0);
      return (operation) => depthOf(operation.selectionSet);
    },
    describe: (depth, limit) => `The query nests ${depth} levels deep; the limit is ${limit}.`,
  };
}
