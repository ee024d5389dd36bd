import { employers, learnerByKey } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { employersService } from '../src/index.ts';

let graph: TestSubgraph<typeof employersService.tables>;
const faizal = learnerByKey('faizal');
const aisyah = learnerByKey('aisyah');

beforeAll(async () => {
  graph = await startTestSubgraph(employersService);
});
afterAll(() => graph?.stop());

/** How the gateway asks when funding requires the employer: the learner's consentedScopes (from learners) ride in the representation. */
const QUERY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Learner { eligibilityEmployer { id hrdCorpRegistered } } } }`;
const learner = (id: string, consentedScopes: string[]) => ({ __typename: 'Learner', id, consentedScopes });

describe("a learner's employer for funding eligibility", () => {
  it('is released to a funder the learner gave ELIGIBILITY consent', async () => {
    const data = await graph.client.ok(QUERY, { as: 'FUNDER', variables: { r: [learner(faizal.id, ['PERSONAL', 'ELIGIBILITY'])] } });
    expect(data._entities).toEqual([{ eligibilityEmployer: { id: employers.software.id, hrdCorpRegistered: true } }]);
  });

  it('is withheld (null) without ELIGIBILITY consent, and null for a learner with no current employer', async () => {
    const data = await graph.client.ok(QUERY, {
      as: 'FUNDER',
      variables: { r: [learner(faizal.id, ['PROFILE', 'PERSONAL']), learner(aisyah.id, ['ELIGIBILITY'])] },
    });
    expect(data._entities).toEqual([{ eligibilityEmployer: null }, { eligibilityEmployer: null }]);
  });

  it('cannot be had by sending home-made representations around the gateway', async () => {
    const response = await graph.direct.query(QUERY, { as: 'FUNDER', variables: { r: [learner(faizal.id, ['ELIGIBILITY'])] } });
    expect(codesOf(response)).toEqual(['FORBIDDEN']);
  });
});
