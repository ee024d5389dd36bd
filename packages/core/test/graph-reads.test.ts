import { buildSchema, graphql, GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  createInternalGraph,
  createLogger,
  graphLoader,
  readEach,
  readGrouped,
  readList,
  readOnce,
  readOnceWithOptional,
  type GraphAnswer,
  type InternalGraph,
} from '../src/index.ts';

const log = createLogger({ level: 'silent' });
const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

/**
 * A small owner service executed by graphql-js itself, so the answers (and
 * how a non-null field's error empties the data) are exactly a real
 * service's. Counts the documents it is asked.
 */
function owner() {
  const schema = buildSchema(`
    type Course { id: ID! title: String! }
    type Learner { id: ID! scopes: [String!]! }
    type Query {
      course(id: ID!): Course!
      maybeCourse(id: ID!): Course
      learners(ids: [ID!]!): [Learner]!
      coursesOf(ids: [ID!]!): [Course!]!
      me: Learner
    }
  `);
  const courses: Record<string, { id: string; title: string }> = { [id(1)]: { id: id(1), title: 'Data' }, [id(2)]: { id: id(2), title: 'Web' } };
  const coded = (code: string) => new GraphQLError(`${code} here`, { extensions: { code } });
  const rootValue = {
    course: ({ id: key }: { id: string }) => {
      if (key === id(7)) throw coded('FORBIDDEN');
      if (key === id(8)) throw new Error('relation "providers.course" does not exist');
      return courses[key] ?? Promise.reject(coded('NOT_FOUND'));
    },
    maybeCourse: (args: { id: string }) => rootValue.course(args),
    learners: ({ ids }: { ids: string[] }) => ids.map((key) => (key === id(3) ? null : { id: key, scopes: [`S${key.slice(-1)}`] })),
    coursesOf: ({ ids }: { ids: string[] }) => Object.values(courses).filter((c) => ids.includes(c.id)),
    me: () => {
      throw coded('UNAUTHENTICATED');
    },
  };
  const asked: string[] = [];
  const graph: InternalGraph = {
    log,
    async query<T>(source: string, variableValues?: Record<string, unknown>): Promise<GraphAnswer<T>> {
      asked.push(source);
      const result = await graphql({ schema, source, rootValue, variableValues });
      return JSON.parse(JSON.stringify({ data: result.data ?? null, errors: result.errors ?? [] })) as GraphAnswer<T>;
    },
  };
  return { graph, asked };
}

const COURSES = readEach<{ id: string; title: string }>({ what: 'the courses', field: 'course', argument: 'id', argumentType: 'ID!', selection: 'id title' });
const LEARNERS = readList<{ id: string; scopes: string[] }>({
  what: 'the learners',
  field: 'learners',
  argument: 'ids',
  argumentType: '[ID!]!',
  selection: 'id scopes',
  keyOf: (l) => l.id,
});

async function codeOf(run: Promise<unknown>) {
  try {
    await run;
    return 'no error';
  } catch (error) {
    const { extensions, message } = error as GraphQLError;
    return `${String(extensions.code)} (${(extensions.http as { status?: number } | undefined)?.status ?? '-'}): ${message}`;
  }
}

describe('a read of one field per key', () => {
  it('asks for every key of a request in one document, and leaves a missing one absent without failing the rest', async () => {
    const { graph, asked } = owner();
    const courses = graphLoader(graph, COURSES);
    const found = await Promise.all([id(1), id(5), id(2), 'not-a-uuid', id(1)].map((key) => courses.load(key)));
    expect(found.map((c) => c?.title ?? null)).toEqual(['Data', null, 'Web', null, 'Data']);
    // The non-null field's NOT_FOUND empties the first answer; the keys that did not fail are asked again, once.
    expect(asked).toHaveLength(2);
    expect(asked[0]).toContain('k2: course(id: $k2)');
    expect(asked[1]).not.toContain('k2');
  });

  it('counts a key the viewer may not see as absent', async () => {
    const { graph } = owner();
    expect(await graphLoader(graph, COURSES).loadMany([id(7), id(2)])).toEqual([null, { id: id(2), title: 'Web' }]);
  });

  it("answers an owner's internal error as retryable, without its detail", async () => {
    const { graph } = owner();
    const result = await codeOf(graphLoader(graph, COURSES).load(id(8)));
    expect(result).toBe('SUBGRAPH_UNAVAILABLE (503): Could not read the courses from the services that own them; try again shortly.');
  });
});

describe('a read of one list field for the whole batch', () => {
  it('matches entries back to keys in one call; a null entry is absent', async () => {
    const { graph, asked } = owner();
    const learners = graphLoader(graph, LEARNERS);
    const found = await Promise.all([id(4), id(3), id(5)].map((key) => learners.load(key)));
    expect(found).toEqual([{ id: id(4), scopes: ['S4'] }, null, { id: id(5), scopes: ['S5'] }]);
    expect(asked).toHaveLength(1);
  });

  it('groups entries under every key they belong to', async () => {
    const { graph } = owner();
    const read = readGrouped<{ id: string }>({
      what: 'courses',
      field: 'coursesOf',
      argument: 'ids',
      argumentType: '[ID!]!',
      selection: 'id',
      belongsTo: (course, key) => course.id === key,
    });
    expect(await read.fetch(graph, [id(2), id(9)])).toEqual([[{ id: id(2) }], []]);
  });
});

describe('a read of a whole answer', () => {
  it("passes on the owner's coded refusal as the viewer would get it directly", async () => {
    const { graph } = owner();
    expect(await codeOf(readOnce(graph, 'your account', '{ me { id } }'))).toBe('UNAUTHENTICATED (-): UNAUTHENTICATED here');
  });

  it('lets a part the answer can do without fail alone, naming it, and fails on any other part as before', async () => {
    const { graph } = owner();
    // One document: a course that is there, and an optional part whose owner fails (an internal error, not a refusal).
    const document = `{ course: maybeCourse(id: "${id(1)}") { title } extra: maybeCourse(id: "${id(8)}") { title } }`;
    const { data, failed } = await readOnceWithOptional<{ course: { title: string }; extra?: unknown }>(graph, 'the courses', document, undefined, ['extra']);
    expect(data.course.title).toBe('Data');
    expect([...failed]).toEqual(['extra']);
    // The same failure in a part that is not optional fails the read, as retryable and without the owner's internals.
    const essential = await codeOf(readOnceWithOptional(graph, 'the courses', document, undefined, ['course']));
    expect(essential).toMatch(/^SUBGRAPH_UNAVAILABLE \(503\): Could not read the courses/);
    expect(essential).not.toMatch(/relation/);
    // A coded refusal outside the optional part is passed on; nothing failed is named when all answered.
    expect(await codeOf(readOnceWithOptional(graph, 'your account', `{ me { id } extra: maybeCourse(id: "${id(2)}") { title } }`, undefined, ['extra']))).toBe('UNAUTHENTICATED (-): UNAUTHENTICATED here');
    expect([...(await readOnceWithOptional(graph, 'the courses', `{ course(id: "${id(2)}") { title } }`, undefined, ['extra'])).failed]).toEqual([]);
  });

  it('answers a graph that cannot be reached as retryable', async () => {
    const graph = createInternalGraph({ url: () => 'http://127.0.0.1:9/graphql', authorization: undefined, requestId: 'r1', log, timeoutMs: 2_000 });
    const result = await codeOf(readOnce(graph, 'the skills', '{ skills { code } }'));
    expect(result).toMatch(/^SUBGRAPH_UNAVAILABLE \(503\): .*try again shortly\.$/);
    expect(result).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });
});
