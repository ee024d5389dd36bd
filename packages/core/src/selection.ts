import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionNode } from 'graphql';

/** The answer per field of an operation: a batch's 10,000 entities share their field nodes. */
const beyondIdOf = new WeakMap<readonly FieldNode[], boolean>();

/** The fields of `fieldNodes`' selections, through fragments (a field a directive includes only on a condition counts as selected). */
function selectedFields(info: GraphQLResolveInfo, fieldNodes: readonly FieldNode[]): FieldNode[] {
  const fields: FieldNode[] = [];
  const collect = (selections: readonly SelectionNode[]): void => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet.selections);
      else {
        const fragment = info.fragments[selection.name.value];
        if (fragment) collect(fragment.selectionSet.selections);
      }
    }
  };
  for (const node of fieldNodes) if (node.selectionSet) collect(node.selectionSet.selections);
  return fields;
}

/** Whether any field of the selection under the field being resolved (through fragments too, at its first level) passes `test`. */
const someFieldSelected = (info: GraphQLResolveInfo, test: (name: string) => boolean): boolean => selectedFields(info, info.fieldNodes).some((field) => test(field.name.value));

/**
 * Whether the client selects the field at `path` under the field being
 * resolved (`['edges', 'node', 'provider']` under a connection), through
 * fragments at every level: a page can then read what that field will ask
 * for in its own statement.
 */
export function selectsPath(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  let level: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    level = selectedFields(info, level).filter((field) => field.name.value === name);
    if (level.length === 0) return false;
  }
  return true;
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
