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

/** One measure of an operation (depth, aliases, cost) and the most it may come to. */
export interface OperationLimit {
  limit: number;
  /** Given the document (its fragments, the schema), how to measure each of its operations. */
  measurer: (context: ValidationContext) => (operation: OperationDefinitionNode) => number;
  describe: (measured: number, limit: number) => string;
}

/** The refusal of an operation measured above its limit, saying both numbers. */
export function tooComplex({ limit, describe }: OperationLimit, measured: number): TooComplex | undefined {
  return measured > limit ? new TooComplex(describe(measured, limit), { limit, measured }) : undefined;
}

/**
 * A validation rule that measures each operation and refuses it with
 * TOO_COMPLEX above its limit, saying both numbers.
 */
export function operationLimitRule(measure: OperationLimit): ValidationRule {
  return (context) => {
    const measurer = measure.measurer(context);
    return {
      OperationDefinition(operation) {
        const problem = tooComplex(measure, measurer(operation));
        if (problem) context.reportError(problem);
      },
    };
  };
}
