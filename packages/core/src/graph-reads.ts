import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { isPublicCode, Unavailable } from './errors.ts';
import type { GraphAnswer, GraphAnswerError, InternalGraph } from './internal-graph.ts';
import { isUuid } from './loaders.ts';

/**
 * The one way a service reads another service's data through the graph
 * (where the query plan cannot: see docs/architecture.md). A read is declared
 * once, typed, and loaded through a per-request DataLoader built from the
 * request's graph client in the service's `loaders.ts`, so every key a
 * request asks about goes out in one call.
 *
 * The rules, decided here once:
 * - a key the viewer may not see, or that does not exist (the owner answers
 *   NOT_FOUND, FORBIDDEN or CONSENT_REQUIRED for it, or null), is absent:
 *   `null` for that key, never a failure of the rest of the batch;
 * - any other coded error of the owner (a refused token, say) is passed on
 *   with its code and message, as the viewer would have got it directly;
 * - a timeout, a transport failure or an internal error of the owner is
 *   `Unavailable` (SUBGRAPH_UNAVAILABLE, HTTP 503): the request may be retried.
 */
export interface GraphRead<K, V> {
  /** What is read, for messages: "courses", "learners' consent". */
  readonly what: string;
  readonly maxBatchSize: number;
  /** The values for a batch of keys, in key order; null where absent. */
  fetch(graph: InternalGraph, keys: readonly K[]): Promise<Array<V | null>>;
}

/** Codes by which an owner says "not there for this viewer" about one key. */
const ABSENT = new Set(['NOT_FOUND', 'FORBIDDEN', 'CONSENT_REQUIRED']);

const isAbsentAt = (error: GraphAnswerError, depth: number) =>
  ABSENT.has(error.extensions?.code as string) && (error.path?.length ?? 0) === depth;

/** The failure of a read as the viewer gets it: the owner's own coded error, else Unavailable. */
function failure(what: string, errors: GraphAnswerError[], graph: InternalGraph): GraphQLError {
  const coded = errors.find((e) => {
    const code = e.extensions?.code;
    return typeof code === 'string' && isPublicCode(code) && code !== 'SUBGRAPH_UNAVAILABLE';
  });
  if (coded) return new GraphQLError(coded.message, { extensions: { code: coded.extensions!.code } });
  graph.log?.warn({ what, errors: errors.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code })) }, 'a graph read failed');
  return new Unavailable(`Could not read ${what} from the services that own them; try again shortly.`);
}

/** One root field of the graph, asked with the batch's keys as its argument. */
export interface FieldRead {
  /** What is read, for messages. */
  what: string;
  field: string;
  argument: string;
  /** The argument's GraphQL type: `ID!` for one key, `[ID!]!` for the batch. */
  argumentType: string;
  selection: string;
  /** Keys failing this (default: a UUID) are absent without asking: a malformed id must not fail the batch. */
  valid?: (key: string) => boolean;
  maxBatchSize?: number;
}

/** The distinct keys worth asking about. */
const askable = (spec: FieldRead, keys: readonly string[]) => [...new Set(keys.filter(spec.valid ?? isUuid))];

/**
 * A read of one root field per key, aliased into one document:
 * `k0: course(id: $k0) { ...selection }`. Keys failing `valid` (a malformed
 * id) are absent without asking. When the field is non-null, one absent key
 * empties the whole answer; the keys left are then asked again, once.
 */
export function readEach<V>(spec: FieldRead): GraphRead<string, V> {
  return {
    what: spec.what,
    maxBatchSize: spec.maxBatchSize ?? 500,
    async fetch(graph, keys) {
      const found = new Map<string, V>();
      let pending = askable(spec, keys);
      while (pending.length > 0) {
        const aliases = pending.map((key, i) => ({ key, alias: `k${i}` }));
        const query = `query(${aliases.map((a) => `$${a.alias}: ${spec.argumentType}`).join(', ')}) { ${aliases
          .map((a) => `${a.alias}: ${spec.field}(${spec.argument}: $${a.alias}) { ${spec.selection} }`)
          .join(' ')} }`;
        const answer = await graph.query<Record<string, V | null>>(query, Object.fromEntries(aliases.map((a) => [a.alias, a.key])));
        const unexplained = answer.errors.filter((e) => !isAbsentAt(e, 1));
        if (unexplained.length > 0) throw failure(spec.what, unexplained, graph);
        if (answer.data) {
          for (const { key, alias } of aliases) {
            const value = answer.data[alias];
            if (value) found.set(key, value);
          }
          break;
        }
        const absent = new Set(answer.errors.map((e) => e.path![0]));
        const rest = aliases.filter((a) => !absent.has(a.alias)).map((a) => a.key);
        if (rest.length === pending.length) throw failure(spec.what, answer.errors, graph);
        pending = rest;
      }
      return keys.map((key) => found.get(key) ?? null);
    },
  };
}

/**
 * A read of one list field for the whole batch, `learners(ids: $keys) { id ... }`,
 * matched back to the keys by `keyOf`. A missing or null entry is absent.
 */
export function readList<V>(spec: FieldRead & { keyOf: (value: V) => string }): GraphRead<string, V> {
  return {
    what: spec.what,
    maxBatchSize: spec.maxBatchSize ?? 10_000,
    async fetch(graph, keys) {
      const asked = askable(spec, keys);
      if (asked.length === 0) return keys.map(() => null);
      const values = await listField<V>(graph, spec, asked);
      const byKey = new Map(values.map((v) => [spec.keyOf(v), v]));
      return keys.map((key) => byKey.get(key) ?? null);
    },
  };
}

/**
 * A read of one list field for the whole batch whose entries belong to any
 * number of keys: `pathways(courseIds: $keys)`, each pathway under every
 * course it credits. A key nothing belongs to gets an empty list.
 */
export function readGrouped<V>(spec: FieldRead & { belongsTo: (value: V, key: string) => boolean }): GraphRead<string, V[]> {
  return {
    what: spec.what,
    maxBatchSize: spec.maxBatchSize ?? 1_000,
    async fetch(graph, keys) {
      const asked = askable(spec, keys);
      const values = asked.length === 0 ? [] : await listField<V>(graph, spec, asked);
      return keys.map((key) => values.filter((value) => spec.belongsTo(value, key)));
    },
  };
}

async function listField<V>(graph: InternalGraph, spec: FieldRead, keys: string[]): Promise<V[]> {
  const answer = await graph.query<Record<string, Array<V | null> | null>>(
    `query($keys: ${spec.argumentType}) { ${spec.field}(${spec.argument}: $keys) { ${spec.selection} } }`,
    { keys },
  );
  const unexplained = answer.errors.filter((e) => !isAbsentAt(e, 2));
  const list = answer.data?.[spec.field];
  if (unexplained.length > 0 || !list) throw failure(spec.what, unexplained.length > 0 ? unexplained : answer.errors, graph);
  return list.filter((v): v is V => v !== null);
}

/** A per-request DataLoader over a read: every key of a request in as few graph calls as the batch size allows. */
export function graphLoader<V>(graph: InternalGraph, read: GraphRead<string, V>): DataLoader<string, V | null> {
  return new DataLoader<string, V | null>((keys) => read.fetch(graph, keys), { maxBatchSize: read.maxBatchSize });
}

/**
 * A read of a whole answer that is not keyed (the skills taxonomy, the
 * viewer's own staff account): the owner's coded errors are passed on,
 * anything else is Unavailable.
 */
export async function readOnce<T>(graph: InternalGraph, what: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  return (await readOnceWithOptional<T>(graph, what, query, variables, [])).data;
}

/**
 * readOnce, for a document with parts the answer can do without: an error
 * under one of the `optional` root fields (or aliases) does not fail the read,
 * it names that part in `failed` (its data is then missing or null). Any
 * other error fails the read as in readOnce.
 */
export async function readOnceWithOptional<T>(
  graph: InternalGraph,
  what: string,
  query: string,
  variables: Record<string, unknown> | undefined,
  optional: readonly string[],
): Promise<{ data: T; failed: Set<string> }> {
  const answer: GraphAnswer<T> = await graph.query<T>(query, variables);
  const failed = new Set<string>();
  const essential = answer.errors.filter((error) => {
    const root = error.path?.[0];
    if (typeof root !== 'string' || !optional.includes(root)) return true;
    failed.add(root);
    return false;
  });
  if (essential.length > 0 || !answer.data) throw failure(what, essential.length > 0 ? essential : answer.errors, graph);
  if (failed.size > 0) {
    graph.log?.warn({ what, failed: [...failed], errors: answer.errors.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code })) }, 'part of a graph read failed');
  }
  return { data: answer.data, failed };
}
