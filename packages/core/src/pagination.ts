import { Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { InheritsCacheHint } from './cache-control.ts';
import { BadInput } from './errors.ts';

@ObjectType({ description: 'Where a page sits in the whole list.' })
@Directive('@shareable')
@InheritsCacheHint()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T, Count = number> {
  edges: Array<Edge<T>>;
  pageInfo: PageInfo;
  /** A promise when the count is its own statement, run only if the client selects `totalCount`. */
  totalCount: Count;
}

/** Declares `<Name>Connection` and `<Name>Edge` types for a node type. */
export function ConnectionType<T extends object>(name: string, node: ClassType<T>) {
  // A page is kept as long as the field that returned it and its nodes allow (core's cache-control.ts).
  @ObjectType(`${name}Edge`)
  @InheritsCacheHint()
  class EdgeType {
    @Field(() => String)
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  @InheritsCacheHint()
  class ConnectionClass {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many match the filter in all pages.' })
    totalCount!: number;
  }
  return ConnectionClass;
}

/**
 * A list's count as toConnection takes it: started at once, beside the page,
 * when the client selected `totalCount` (selectsTotalCount), and otherwise
 * run only if read. A count started for a page that then fails is not left
 * as an unhandled rejection.
 */
export function totalCountWhen(selected: boolean, count: () => Promise<number>): () => Promise<number> {
  const started = selected ? count() : undefined;
  started?.catch(() => undefined);
  return () => started ?? count();
}

export const MAX_PAGE_SIZE = 100;

/** Validates `first`: 1 to 100, default 20. */
export function pageSize(first: number | null | undefined, max = MAX_PAGE_SIZE, fallback = 20): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw new BadInput(`first must be between 1 and ${max}; got ${first}.`, { field: 'first' });
  }
  return first;
}

/** A cursor is the sort key of the last row seen, opaque to clients. */
export function encodeCursor(key: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, shape: ReadonlyArray<'string' | 'number'>): Array<string | number> | null {
  if (cursor === null || cursor === undefined) return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== shape.length || key.some((part, i) => typeof part !== shape[i])) {
    throw new BadInput('after is not a cursor from this list: pass the endCursor of the previous page.', { field: 'after' });
  }
  return key as Array<string | number>;
}

/**
 * Builds a connection from rows fetched with `limit + 1` (the extra row says
 * there is a next page). A count passed as a function is a separate statement
 * that runs only when the client selects `totalCount`, and at most once.
 */
export function toConnection<R, T>(
  rows: R[],
  limit: number,
  totalCount: number,
  cursorOf: (row: R) => ReadonlyArray<string | number>,
  nodeOf: (row: R) => T,
): Connection<T>;
export function toConnection<R, T>(
  rows: R[],
  limit: number,
  totalCount: () => Promise<number>,
  cursorOf: (row: R) => ReadonlyArray<string | number>,
  nodeOf: (row: R) => T,
): Connection<T, Promise<number>>;
export function toConnection<R, T>(
  rows: R[],
  limit: number,
  totalCount: number | (() => Promise<number>),
  cursorOf: (row: R) => ReadonlyArray<string | number>,
  nodeOf: (row: R) => T,
): Connection<T, number | Promise<number>> {
  const page = rows.slice(0, limit);
  const edges = page.map((row) => ({ cursor: encodeCursor(cursorOf(row)), node: nodeOf(row) }));
  const pageInfo = { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null };
  if (typeof totalCount === 'number') return { edges, totalCount, pageInfo };
  let counted: Promise<number> | undefined;
  return {
    edges,
    pageInfo,
    get totalCount() {
      return (counted ??= totalCount());
    },
  };
}
