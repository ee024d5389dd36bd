/**
 * Label values that callers choose (operation names, error codes, routes)
 * kept to a bounded set: each label takes at most `limit` distinct values,
 * then everything new counts as `overflow`. A client sending a new operation
 * name with every request adds no series past the limit, and a value that
 * does not look like what it should be (a long name, a code in lower case)
 * never becomes a series at all.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly limit: number,
    private readonly pattern: RegExp,
    readonly overflow: string,
  ) {}

  /** The value itself while it fits the pattern and the limit, else the overflow value. */
  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.limit || !this.pattern.test(value)) return this.overflow;
    this.seen.add(value);
    return value;
  }
}

/** What a GraphQL operation is called in metrics: its name, or what stands for it when it has none we keep. */
export const OPERATION = {
  /** The document named no operation. */
  anonymous: 'anonymous',
  /** The request never got as far as an operation: refused, unparsable or invalid. */
  unknown: 'unknown',
  /** A name past the per-service limit of distinct names, or longer than a name should be. */
  other: 'other',
} as const;

/** Distinct operation names each service keeps as their own series. */
export const MAX_OPERATION_NAMES = 100;
/** Distinct outcome codes per process; ours and Apollo's are a few dozen. */
export const MAX_CODES = 64;
/** Distinct routes per service besides /graphql (a service's documents, the explorer's pages). */
export const MAX_ROUTES = 32;

/** GraphQL names, 64 characters at most. */
export const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
/** Error codes as ours and Apollo's are written: UPPER_SNAKE_CASE. */
export const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
/** A first path segment: letters, digits, `-`, `_` and `.`, as route prefixes are named. */
export const ROUTE = /^[a-z0-9._-]{1,40}$/;
