import { Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';

/** The message and extensions every field of a failed fetch is answered with. */
export type FetchFailure = Pick<GraphQLFormattedError, 'message' | 'extensions'>;

/**
 * A failed fetch answered as the subgraph would have answered it had each of
 * its fields failed: one error per field, at the field's path within the
 * fetch (`_entities.3.credentials` for an entity fetch, `me` for a root
 * one). The gateway maps those paths onto the client's response, so a client
 * learns which fields are missing and why, while the fields other subgraphs
 * answered (the owner's data around them) still arrive. Without a document to
 * read the fields from, one error without a path.
 */
export function errorsAtFetchedFields(
  document: DocumentNode | undefined,
  variables: Record<string, unknown> | undefined,
  failure: FetchFailure,
): GraphQLFormattedError[] {
  const operation = document?.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!document || !operation) return [{ ...failure }];
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const errors: GraphQLFormattedError[] = [];
  const rootFields = fieldsOf(operation.selectionSet, undefined, fragments);
  for (const [name, selectionSet] of rootFields) {
    const representations = variables?.representations;
    if (name !== '_entities' || !selectionSet || !Array.isArray(representations)) {
      errors.push({ ...failure, path: [name] });
      continue;
    }
    const byType = new Map<string, string[]>();
    representations.forEach((representation: unknown, index) => {
      const typename = (representation as { __typename?: unknown } | null)?.__typename;
      if (typeof typename !== 'string') return;
      let names = byType.get(typename);
      if (!names) byType.set(typename, (names = [...fieldsOf(selectionSet, typename, fragments).keys()]));
      for (const field of names) errors.push({ ...failure, path: ['_entities', index, field] });
    });
  }
  return errors.length > 0 ? errors : [{ ...failure }];
}

/** The response names a selection set selects on `typename` (any type when undefined), with their own selections. */
function fieldsOf(
  selectionSet: SelectionSetNode,
  typename: string | undefined,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  into = new Map<string, SelectionSetNode | undefined>(),
): Map<string, SelectionSetNode | undefined> {
  const applies = (condition: string | undefined) => condition === undefined || typename === undefined || condition === typename;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') into.set(selection.alias?.value ?? selection.name.value, selection.selectionSet);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(selection.typeCondition?.name.value)) fieldsOf(selection.selectionSet, typename, fragments, into);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment && applies(fragment.typeCondition.name.value)) fieldsOf(fragment.selectionSet, typename, fragments, into);
    }
  }
  return into;
}
