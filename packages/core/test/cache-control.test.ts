import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_CONTROL_DIRECTIVE, cacheControlWhereHinted } from '../src/index.ts';

// A subgraph's Cache-Control header says how long the gateway may keep its answer (gateway/src/response-cache.ts).
// It is worked out once per request from the document; Apollo's own plugin works it out field by field while
// resolving. Both run here on the same schema and answers: the header must be the same, or, only where the
// document asks for more than the answer turned out to hold, never longer.
const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  ${CACHE_CONTROL_DIRECTIVE}
  type Query {
    courses: [Course!]! @cacheControl(maxAge: 60)
    course(code: String!): Course @cacheControl(maxAge: 60)
    page: CoursePage! @cacheControl(maxAge: 30)
    searchable: Searchable
    me: Learner
    version: String
  }
  type Mutation { touch: Course @cacheControl(maxAge: 60) }
  type Course @key(fields: "code") @cacheControl(maxAge: 60) {
    code: String!
    title: String!
    feeSen: Int! @cacheControl(maxAge: 10)
    provider: Provider!
    reviews: [Review!]!
    broken: String
  }
  type Provider @key(fields: "id") @cacheControl(maxAge: 45) { id: ID! name: String! }
  type Review @key(fields: "id") { id: ID! text: String! }
  type CoursePage @cacheControl(inheritMaxAge: true) { items: [Course!]! }
  type Learner { name: String! }
  interface Searchable @cacheControl(maxAge: 20) { title: String! }
  type Pathway implements Searchable @cacheControl(maxAge: 60) { title: String! stages: Int! }
`);

const provider = { id: 'p1', name: 'Politeknik' };
const course = { code: 'SE1101', title: 'Software', feeSen: 100, provider, reviews: [{ id: 'r1', text: 'good' }] };
const resolvers = {
  Query: {
    courses: () => [course],
    course: (_: unknown, { code }: { code: string }) => (code === course.code ? course : null),
    page: () => ({ items: [course] }),
    searchable: () => ({ __typename: 'Pathway', title: 'Path', stages: 3 }),
    me: () => ({ name: 'Aina' }),
    version: () => '1',
  },
  Mutation: { touch: () => course },
  Course: {
    broken: () => {
      throw new Error('this field fails');
    },
    __resolveReference: ({ code }: { code: string }) => (code === course.code ? course : null),
  },
  Provider: { __resolveReference: ({ id }: { id: string }) => (id === provider.id ? provider : null) },
  Review: { __resolveReference: ({ id }: { id: string }) => ({ id, text: 'good' }) },
  Searchable: { __resolveType: () => 'Pathway' },
};

const servers: Record<'apollo' | 'ours', ApolloServer> = {} as never;
beforeAll(async () => {
  const start = async (plugin: ApolloServerPlugin) => {
    const server = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs, resolvers }), plugins: [plugin] });
    await server.start();
    return server;
  };
  servers.apollo = await start(ApolloServerPluginCacheControl({ calculateHttpHeaders: true }));
  servers.ours = await start(cacheControlWhereHinted());
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
});

async function headers(query: string, variables?: Record<string, unknown>) {
  const ask = async (server: ApolloServer) => (await server.executeOperation({ query, variables })).http.headers.get('cache-control');
  return { apollo: await ask(servers.apollo), ours: await ask(servers.ours) };
}

describe("a subgraph's Cache-Control header, worked out from the document", () => {
  it.each([
    ['the least max-age of the objects returned', '{ courses { code title provider { name } } }', 'max-age=45, public'],
    ["a scalar field's own shorter hint", '{ courses { code feeSen } }', 'max-age=10, public'],
    ['an object without a hint: never kept', '{ courses { code reviews { text } } }', 'no-store'],
    ["a wrapper inheriting its field's max-age", '{ page { items { code } } }', 'max-age=30, public'],
    ['an interface, by its own hint', '{ searchable { title ... on Pathway { stages } } }', 'max-age=20, public'],
    ['a root field without a hint', '{ me { name } }', 'no-store'],
    ['a root scalar without a hint', '{ version }', 'no-store'],
    ['nothing but __typename', '{ __typename }', 'no-store'],
    ['an answer with an error', '{ courses { code broken } }', 'no-store'],
    ['a named fragment', '{ courses { ...C } } fragment C on Course { code provider { name } }', 'max-age=45, public'],
  ])('%s, as Apollo says field by field', async (_, query, expected) => {
    expect(await headers(query)).toEqual({ apollo: expected, ours: expected });
  });

  it("never keeps a mutation's answer, whatever its hints (where Apollo would)", async () => {
    expect(await headers('mutation { touch { code } }')).toEqual({ apollo: 'max-age=60, public', ours: 'no-store' });
  });

  it('leaves out the fields a condition skips, and counts those it includes', async () => {
    const query = 'query($withReviews: Boolean!) { courses { code reviews @include(if: $withReviews) { text } provider @skip(if: $withReviews) { name } } }';
    expect(await headers(query, { withReviews: false })).toEqual({ apollo: 'max-age=45, public', ours: 'max-age=45, public' });
    expect(await headers(query, { withReviews: true })).toEqual({ apollo: 'no-store', ours: 'no-store' });
  });

  it('takes the least hint of the entity types asked for, and only their fragments', async () => {
    const query = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Course { title } ... on Provider { name } } }';
    const course = { __typename: 'Course', code: 'SE1101' };
    const provider = { __typename: 'Provider', id: 'p1' };
    expect(await headers(query, { representations: [course] })).toEqual({ apollo: 'max-age=60, public', ours: 'max-age=60, public' });
    expect(await headers(query, { representations: [course, provider] })).toEqual({ apollo: 'max-age=45, public', ours: 'max-age=45, public' });
    // A Course's fragment asking for an unhinted object does not count when only providers are asked for.
    const mixed = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Course { reviews { text } } ... on Provider { name } } }';
    expect(await headers(mixed, { representations: [provider] })).toEqual({ apollo: 'max-age=45, public', ours: 'max-age=45, public' });
    expect((await headers(mixed, { representations: [course] })).ours).toBe('no-store');
  });

  it('never keeps an entity of a type without a hint, even beside hinted ones (where Apollo would)', async () => {
    const query = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Review { text } ... on Course { title } } }';
    const answer = await headers(query, { representations: [{ __typename: 'Review', id: 'r1' }, { __typename: 'Course', code: 'SE1101' }] });
    expect(answer).toEqual({ apollo: 'max-age=60, public', ours: 'no-store' });
  });

  it('counts what the document asks for under an object that turns out null: never longer than Apollo', async () => {
    const query = '{ course(code: "NONE") { code reviews { text } } }';
    expect(await headers(query)).toEqual({ apollo: 'max-age=60, public', ours: 'no-store' });
  });
});
