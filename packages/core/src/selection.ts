import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionNode } from 'graphql';

/** The answer per field of an operation: a batch's 10,000 entities share their field nodes. */
const beyondIdOf = new WeakMap<readonly FieldNode[], boolean>();

/** Whether any field of the selection under the field being resolved (through fragments too, at its first level) passes `test`. */
function someFieldSelected(info: GraphQLResolveInfo, test: (name: string) => boolean): boolean {
  const some = (selections: readonly SelectionNode[]): boolean =>
    selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return test(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return some(selection.selectionSet.selections);
      const fragment = info.fragments[selection.name.value];
      return fragment ? some(fragment.selectionSet.selections) : false;
    });
  return info.fieldNodes.some((node) => (node.selectionSet ? some(node.selectionSet.selections) : false));
}

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
  const answer = someFieldSelected(info, (name) => name !== 'id' && name !== '__typename');
  beyondIdOf.set(info.fieldNodes, answer);
  return answer;
}

/**
 * Whether the client selects `totalCount` of the connection being resolved
 * (a directive that includes it only on a condition is not weighed: it
 * counts as selected). A list whose count is a statement of its own runs it
 * beside the page when asked (pagination.ts's totalCountWhen), and not at
 * all otherwise.
 */
export const selectsTotalCount = (info: GraphQLResolveInfo): boolean => someFieldSelected(info, (name) => name === 'totalCount');
