import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionNode } from 'graphql';

/** The answer per field of an operation: a batch's 10,000 entities share their field nodes. */
const beyondIdOf = new WeakMap<readonly FieldNode[], boolean>();

/**
 * Whether the selection under the field being resolved (through fragments
 * too) names any field besides `id` and `__typename`: a resolver asked only
 * for ids (a funder's batch passing learners on to another subgraph) does
 * not read what it would otherwise need. Worked out once per field of an
 * operation.
 */
export function selectsBeyondId(info: GraphQLResolveInfo): boolean {
  const known = beyondIdOf.get(info.fieldNodes);
  if (known !== undefined) return known;
  const beyond = (selections: readonly SelectionNode[]): boolean =>
    selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value !== 'id' && selection.name.value !== '__typename';
      if (selection.kind === Kind.INLINE_FRAGMENT) return beyond(selection.selectionSet.selections);
      const fragment = info.fragments[selection.name.value];
      return fragment ? beyond(fragment.selectionSet.selections) : false;
    });
  const answer = info.fieldNodes.some((node) => (node.selectionSet ? beyond(node.selectionSet.selections) : false));
  beyondIdOf.set(info.fieldNodes, answer);
  return answer;
}
