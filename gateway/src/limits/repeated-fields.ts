import { Kind, parse, visit, type DocumentNode, type SelectionSetNode } from 'graphql';
import { TooComplex } from '@tauliah/core';

/**
 * Finds a selection that asks for one response name more than `maxRepeats`
 * times (`{ me { x: fullName x: email x: fullName … } }`), inline fragments
 * included. graphql's OverlappingFieldsCanBeMerged compares such fields pair
 * by pair: 1 600 of them, a 10 kB request, cost ~250 ms of CPU. Purely
 * syntactic, so it runs before any validation.
 */
export function findRepeatedFields(document: DocumentNode, maxRepeats: number): TooComplex | undefined {
  let problem: TooComplex | undefined;
  visit(document, {
    SelectionSet(selectionSet) {
      const counts = new Map<string, number>();
      countResponseNames(selectionSet, counts);
      for (const [name, count] of counts) {
        if (count > maxRepeats) {
          problem = new TooComplex(`The query selects ${name} ${count} times in one place; the limit is ${maxRepeats}.`, {
            limit: maxRepeats,
            measured: count,
          });
          return false;
        }
      }
      return undefined;
    },
  });
  return problem;
}

/** The same check on query text; text that does not parse is left for the server to report. */
export function findRepeatedFieldsInSource(source: string, options: { maxRepeats: number; maxTokens: number }): TooComplex | undefined {
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: options.maxTokens, noLocation: true });
  } catch {
    return undefined;
  }
  return findRepeatedFields(document, options.maxRepeats);
}

function countResponseNames(selectionSet: SelectionSetNode, counts: Map<string, number>): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = (selection.alias ?? selection.name).value;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      countResponseNames(selection.selectionSet, counts);
    }
  }
}
