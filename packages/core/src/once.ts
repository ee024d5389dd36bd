/**
 * `make` run once and its promise shared by every caller (a process's
 * schema, its composed supergraph, files it serves): a failure is not kept,
 * so the next call tries again.
 */
export function sharedOnce<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}
