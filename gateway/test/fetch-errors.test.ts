import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { errorsAtFetchedFields } from '../src/index.ts';

const failure = { message: 'The credentials service is not answering right now; try again shortly.', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } };
const at = (...path: Array<string | number>) => ({ ...failure, path });

describe('the errors of a failed fetch', () => {
  it('name each root field the fetch asked for, by its response name', () => {
    const document = parse('query Page__learners__0 { me { fullName } mine: learner(id: "x") { id } __typename }');
    expect(errorsAtFetchedFields(document, {}, failure)).toEqual([at('me'), at('mine')]);
  });

  it("name each field an entity fetch would have added to each entity, in the representations' order", () => {
    const document = parse(`query Page__credentials__1($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on Learner { __typename credentials { title } pathways { creditsEarned } } }
    }`);
    const representations = [
      { __typename: 'Learner', id: 'a' },
      { __typename: 'Learner', id: 'b' },
    ];
    expect(errorsAtFetchedFields(document, { representations }, failure)).toEqual([
      at('_entities', 0, 'credentials'),
      at('_entities', 0, 'pathways'),
      at('_entities', 1, 'credentials'),
      at('_entities', 1, 'pathways'),
    ]);
  });

  it('give each entity only the fields asked of its own type, through fragments too', () => {
    const document = parse(`query Mixed($representations: [_Any!]!) {
      _entities(representations: $representations) { ...LearnerPart ... on Course { endorsements { note } } }
    }
    fragment LearnerPart on Learner { alias: fundingApplications { id } }`);
    const representations = [{ __typename: 'Course', id: 'c' }, { __typename: 'Learner', id: 'l' }, { id: 'no type' }];
    expect(errorsAtFetchedFields(document, { representations }, failure)).toEqual([at('_entities', 0, 'endorsements'), at('_entities', 1, 'alias')]);
  });

  it('is one error without a path when there is no operation to read the fields from', () => {
    expect(errorsAtFetchedFields(undefined, undefined, failure)).toEqual([failure]);
    expect(errorsAtFetchedFields(parse('fragment F on Learner { id }'), undefined, failure)).toEqual([failure]);
  });

  it('answers an entity fetch whose representations are missing at the fetch itself', () => {
    const document = parse('query Q($representations: [_Any!]!) { _entities(representations: $representations) { ... on Learner { credentials { id } } } }');
    expect(errorsAtFetchedFields(document, {}, failure)).toEqual([at('_entities')]);
  });
});
