import { buildSchema, parse, validate, type GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, findRepeatedFields, findRepeatedFieldsInSource, maxAliasesRule, maxCostRule, maxDepthRule } from '../src/index.ts';

// A small slice of the graph's shape: entities, a plain list, an `ids` lookup and a `first`-sized connection.
const schema = buildSchema(`
  type Query {
    me: Learner
    learner(id: ID!): Learner
    learners(ids: [ID!]!): [Learner]!
    courses(first: Int): CourseConnection!
    schemes: [Scheme!]!
    pathway(id: ID!): Pathway!
    hasCredentials(learnerIds: [ID!]!): Boolean!
  }
  type Mutation {
    issueCredentials(idempotencyKey: String!, input: [IssueCredentialInput!]!): CohortIssuance!
    createPathway(input: PathwayInput!): Pathway!
  }
  type Pathway { id: ID! progressFor(learnerIds: [ID!]!): [PathwayProgress!] }
  type PathwayProgress { learner: Learner! creditsEarned: Int! nextCourses: [Course!]! }
  input IssueCredentialInput { learnerId: ID! courseId: ID! }
  input PathwayInput { title: String! stages: [PathwayStageInput!]! }
  input PathwayStageInput { title: String! requiredCourseIds: [ID!]! }
  type CohortIssuance { idempotencyKey: String! issued: Int! failed: Int! results: [IssuanceResult!]! }
  type IssuanceResult { index: Int! credential: Credential error: IssuanceError }
  type IssuanceError { code: String! message: String! }
  type Learner { id: ID! fullName: String mentor: Learner eligibility(schemeId: ID!): Eligibility credentials: [Credential!]! }
  type Eligibility { eligible: Boolean! reasons: [String!]! maxGrantSen: Int }
  type Credential { id: ID! title: String! skills: [Skill!]! }
  type Skill { code: String! name: String! }
  type Scheme { id: ID! name: String! }
  type CourseConnection { edges: [CourseEdge!]! pageInfo: PageInfo! }
  type CourseEdge { cursor: String! node: Course! }
  type Course { id: ID! title: String! skills: [Skill!]! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
`);

const problems = (query: string, rule: Parameters<typeof validate>[2]): readonly GraphQLError[] => validate(schema, parse(query), rule);
const only = (errors: readonly GraphQLError[]) => {
  expect(errors).toHaveLength(1);
  return { code: errors[0]!.extensions.code, message: errors[0]!.message, ...errors[0]!.extensions };
};

const nestedMentors = (levels: number) => `{ me { ${'mentor { '.repeat(levels - 2)}id${' }'.repeat(levels - 2)} } }`;

describe('the depth limit', () => {
  const rule = [maxDepthRule(12)];

  it('lets a query as deep as the limit through', () => {
    expect(problems(nestedMentors(12), rule)).toEqual([]);
  });

  it('refuses one level more, saying the depth it measured and the limit', () => {
    const error = only(problems(nestedMentors(13), rule));
    expect(error).toMatchObject({ code: 'TOO_COMPLEX', limit: 12, measured: 13 });
    expect(error.message).toBe('The query nests 13 levels deep; the limit is 12.');
  });

  it('counts fields nested inside fragments where the fragments are spread', () => {
    const query = `
      query { me { ...Deep } }
      fragment Deep on Learner { mentor { mentor { ...Deeper } } }
      fragment Deeper on Learner { mentor { ... on Learner { mentor { id } } } }`;
    expect(only(problems(query, [maxDepthRule(5)]))).toMatchObject({ measured: 6 });
    expect(problems(query, [maxDepthRule(6)])).toEqual([]);
  });

  it('survives a fragment that spreads itself (graphql reports the cycle)', () => {
    const query = `query { me { ...Loop } } fragment Loop on Learner { mentor { ...Loop } }`;
    expect(() => problems(query, rule)).not.toThrow();
  });

  it('does not count the introspection query, which nests 13 levels on its own', () => {
    const query = `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }`;
    expect(problems(query, rule)).toEqual([]);
  });
});

describe('the alias limit', () => {
  const aliased = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `l${i}: learner(id: "${i}") { id }`).join(' ')} }`;

  it('allows up to the limit of aliases', () => {
    expect(problems(aliased(30), [maxAliasesRule(30)])).toEqual([]);
  });

  it('refuses one alias more with TOO_COMPLEX', () => {
    const error = only(problems(aliased(31), [maxAliasesRule(30)]));
    expect(error).toMatchObject({ code: 'TOO_COMPLEX', limit: 30, measured: 31 });
    expect(error.message).toBe('The query uses 31 aliases; the limit is 30.');
  });

  it('counts a fragment of aliases once for every place it is spread', () => {
    const query = `
      query { a: me { ...Four } b: me { ...Four } }
      fragment Four on Learner { w: id x: id y: id z: id }`;
    expect(only(problems(query, [maxAliasesRule(9)]))).toMatchObject({ measured: 10 });
  });
});

describe('the cost limit', () => {
  const cost = (query: string, variables?: Record<string, unknown>, maxCost = 0) => {
    const errors = problems(query, [maxCostRule({ maxCost, listFactor: 10, variables })]);
    return errors.length === 0 ? 0 : Number(errors[0]!.extensions.measured);
  };

  it('charges 1 per field', () => {
    expect(cost('{ me { id fullName } }')).toBe(3);
  });

  it('multiplies a list without a size by the default list factor', () => {
    // schemes (1) + 10 × (id + name)
    expect(cost('{ schemes { id name } }')).toBe(21);
  });

  it('multiplies nested lists', () => {
    // me 1 + (credentials 1 + 10 × (title 1 + skills (1 + 10 × 1)))
    expect(cost('{ me { credentials { title skills { code } } } }')).toBe(1 + 1 + 10 * (1 + 1 + 10));
  });

  it('sizes a lookup by the number of ids, given inline or as a variable, each id costing 1 besides', () => {
    const ids = Array.from({ length: 250 }, (_, i) => `"${i}"`).join(',');
    expect(cost(`{ learners(ids: [${ids}]) { id fullName } }`)).toBe(1 + 250 + 250 * 2);
    const byVariable = 'query ($ids: [ID!]!) { learners(ids: $ids) { id fullName } }';
    expect(cost(byVariable, { ids: Array.from({ length: 400 }, (_, i) => String(i)) })).toBe(1 + 400 + 400 * 2);
  });

  it('counts a variable left out at its declared default', () => {
    const query = 'query ($ids: [ID!]! = ["a", "b", "c"]) { learners(ids: $ids) { id } }';
    expect(cost(query)).toBe(1 + 3 + 3);
  });

  it('sizes a field by any list argument, whatever its name, inline or as a variable', () => {
    // pathway 1 + (progressFor 1 + 3 ids + 3 × creditsEarned 1)
    expect(cost('{ pathway(id: "p") { progressFor(learnerIds: ["a", "b", "c"]) { creditsEarned } } }')).toBe(1 + 1 + 3 + 3);
    const byVariable = 'query ($ids: [ID!]!) { pathway(id: "p") { progressFor(learnerIds: $ids) { creditsEarned } } }';
    expect(cost(byVariable, { ids: Array.from({ length: 700 }, (_, i) => String(i)) })).toBe(1 + 1 + 700 + 700);
    // A leaf is charged for the values it is handed, too.
    expect(cost('{ hasCredentials(learnerIds: ["a", "b", "c", "d"]) }')).toBe(1 + 4);
  });

  it('counts lists nested in input objects, inline, as variables or inside a variable', () => {
    const inline = `mutation { createPathway(input: { title: "t", stages: [
      { title: "1", requiredCourseIds: ["a", "b"] }, { title: "2", requiredCourseIds: ["c", "d", "e"] } ] }) { id } }`;
    // 2 stages + 5 course ids = 7 values: 1 + 7 + 7 × id
    expect(cost(inline)).toBe(1 + 7 + 7);
    const partly = 'mutation ($c: [ID!]!) { createPathway(input: { title: "t", stages: [{ title: "1", requiredCourseIds: $c }] }) { id } }';
    expect(cost(partly, { c: ['a', 'b', 'c', 'd'] })).toBe(1 + 5 + 5);
    const whole = 'mutation ($p: PathwayInput!) { createPathway(input: $p) { id } }';
    expect(cost(whole, { p: { title: 't', stages: [{ title: '1', requiredCourseIds: ['a', 'b', 'c'] }] } })).toBe(1 + 4 + 4);
  });

  it('sizes a cohort by its input and counts the result list inside it as that page', () => {
    const query = `mutation ($input: [IssueCredentialInput!]!) {
      issueCredentials(input: $input, idempotencyKey: "k") { issued results { index credential { id } } } }`;
    const input = Array.from({ length: 20 }, (_, i) => ({ learnerId: `l${i}`, courseId: 'c' }));
    // 1 + 20 values + 20 × (issued 1 + results (1 + 1 × (index 1 + credential (1 + id 1))))
    expect(cost(query, { input })).toBe(1 + 20 + 20 * (1 + 1 + 3));
  });

  it('refuses 30 aliases of a 5,000-learner progress cohort under the default limit, however little each selects', () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `p${i}: progressFor(learnerIds: $ids) { creditsEarned }`).join(' ');
    const query = `query ($ids: [ID!]!) { pathway(id: "p") { ${aliases} } }`;
    const variables = { ids: Array.from({ length: 5_000 }, (_, i) => `learner-${i}`) };
    const error = only(problems(query, [maxCostRule({ maxCost: DEFAULT_LIMITS.MAX_QUERY_COST, listFactor: 10, variables })]));
    expect(error).toMatchObject({ code: 'TOO_COMPLEX', measured: 1 + 30 * (1 + 5_000 + 5_000) });
  });

  it('lets a partner issue a 10,000 cohort, asking for every result, under the default limit', () => {
    const query = `mutation ($input: [IssueCredentialInput!]!, $key: String!) {
      issueCredentials(input: $input, idempotencyKey: $key) { idempotencyKey issued failed results { index credential { id } error { code message } } } }`;
    const variables = { key: 'k', input: Array.from({ length: 10_000 }, (_, i) => ({ learnerId: `l${i}`, courseId: 'c' })) };
    // 1 + 10 000 + 10 000 × (3 + results (1 + index 1 + credential 2 + error 3))
    expect(cost(query, variables, 1)).toBe(1 + 10_000 + 10_000 * (3 + 1 + 1 + 2 + 3));
    expect(problems(query, [maxCostRule({ maxCost: DEFAULT_LIMITS.MAX_QUERY_COST, listFactor: 10, variables })])).toEqual([]);
  });

  it('sizes a connection by first and does not multiply its edges again', () => {
    // courses 1 + 50 × (edges 1 + 1 × (node 1 + title 1))
    expect(cost('{ courses(first: 50) { edges { node { title } } } }')).toBe(1 + 50 * (1 + 1 * (1 + 1)));
    expect(cost('query ($n: Int) { courses(first: $n) { edges { node { title } } } }', { n: 5 })).toBe(1 + 5 * 3);
  });

  it('lets a funder ask about ten thousand learners\' eligibility under the default limit', () => {
    const query = 'query ($ids: [ID!]!) { learners(ids: $ids) { id eligibility(schemeId: "s") { eligible reasons maxGrantSen } } }';
    const variables = { ids: Array.from({ length: 10_000 }, (_, i) => `learner-${i}`) };
    // 1 + 10 000 ids + 10 000 × (id 1 + eligibility (1 + eligible 1 + reasons 1 + maxGrantSen 1)): a list of scalars is one leaf
    expect(cost(query, variables)).toBe(1 + 10_000 + 10_000 * (1 + 1 + 1 + 1 + 1));
    expect(problems(query, [maxCostRule({ maxCost: DEFAULT_LIMITS.MAX_QUERY_COST, listFactor: 10, variables })])).toEqual([]);
  });

  it('refuses lists nested inside lists beyond the limit, stating cost and limit', () => {
    const query = '{ learners(ids: ["a"]) { credentials { skills { code name } } } }';
    const errors = problems(query, [maxCostRule({ maxCost: 100, listFactor: 10 })]);
    const error = only(errors);
    expect(error).toMatchObject({ code: 'TOO_COMPLEX', limit: 100, measured: 1 + 1 + 1 * (1 + 10 * (1 + 10 * 2)) });
    expect(error.message).toMatch(/^The query would cost 213; the limit is 100\./);
  });

  it('counts fragments where they are spread, without expanding a fragment bomb', () => {
    const levels = 30;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on Learner { id }` : `fragment F${i} on Learner { ...F${i + 1} mentor { ...F${i + 1} } }`,
    ).join('\n');
    const started = performance.now();
    const measured = cost(`query { me { ...F0 } } ${fragments}`, undefined, 1_000_000);
    expect(measured).toBeGreaterThan(1_000_000);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('the repeated-field limit', () => {
  const repeated = (query: string, maxRepeats = 3) => findRepeatedFields(parse(query), maxRepeats);

  it('allows a field asked for a few times, as union branches do', () => {
    expect(repeated('{ me { id id ... on Learner { id } } }')).toBeUndefined();
  });

  it('refuses one response name repeated beyond the limit, aliases and inline fragments included', () => {
    const problem = repeated('{ me { x: id x: fullName ... on Learner { x: id ... on Learner { x: id } } } }');
    expect(problem?.extensions).toMatchObject({ code: 'TOO_COMPLEX', limit: 3, measured: 4 });
    expect(problem?.message).toBe('The query selects x 4 times in one place; the limit is 3.');
  });

  it('counts each selection on its own, so the same field in different places is fine', () => {
    expect(repeated('{ a: me { id } b: me { id } c: me { id } d: me { mentor { id } } }', 1)).toBeUndefined();
  });

  it('leaves text that does not parse, or has too many tokens, for the server to report', () => {
    expect(findRepeatedFieldsInSource('{ me { id ', { maxRepeats: 3, maxTokens: 100 })).toBeUndefined();
    expect(findRepeatedFieldsInSource(`{ me { ${'id '.repeat(200)}} }`, { maxRepeats: 3, maxTokens: 100 })).toBeUndefined();
    expect(findRepeatedFieldsInSource(`{ me { ${'id '.repeat(20)}} }`, { maxRepeats: 3, maxTokens: 100 })?.message).toMatch(/id 20 times/);
  });
});
