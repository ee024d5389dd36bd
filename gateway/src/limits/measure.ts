import { TooComplex } from '@tauliah/core';
import type { FragmentDefinitionNode, OperationDefinitionNode, ValidationContext, ValidationRule } from 'graphql';

/**
 * Measures named fragments once each, however often they are spread:
 * a document that spreads fragments into each other ("fragment bombs")
 * expands exponentially, its measurement must not. A fragment that spreads
 * itself, directly or not, measures as `onCycle`; graphql's NoFragmentCycles
 * rejects the document anyway.
 */
export function fragmentMeasurer<T>(
  context: ValidationContext,
  measure: (fragment: FragmentDefinitionNode, variant: string) => T,
  onCycle: T,
) {
  const measured = new Map<string, T>();
  const inProgress = new Set<string>();
  return (name: string, variant = ''): T => {
    const key = `${name}\u0000${variant}`;
    const known = measured.get(key);
    if (known !== undefined) return known;
    const fragment = context.getFragment(name);
    if (!fragment || inProgress.has(key)) return onCycle;
    inProgress.add(key);
    const value = measure(fragment, variant);
    inProgress.delete(key);
    measured.set(key, value);
    return value;
  };
}

/** `__schema` and `__type` answer from the gateway's own schema (and only outside production). */
export const isIntrospectionField = (name: string): boolean => name === '__schema' || name === '__type';

/**
 * A validation rule that measures each operation and refuses it with
 * TOO_COMPLEX above `limit`, saying both numbers.
 */
export function operationLimitRule(
  limit: number,
  measurer: (context: ValidationContext) => (operation: OperationDefinitionNode) => number,
  describe: (measured: number, limit: number) => string,
): ValidationRule {
  return (context) => {
    const measure = measurer(context);
    return {
      OperationDefinition(operation) {
        const measured = measure(operation);
        if (measured > limit) context.reportError(new TooComplex(describe(measured, limit), { limit, measured }));
      },
    };
  };
}
