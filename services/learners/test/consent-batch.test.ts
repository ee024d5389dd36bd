import { employers, funders, learnerByKey } from '@tauliah/demo-data';
import { startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnersService } from '../src/index.ts';

/*
 * A funder asks about thousands of learners in one query; what it may see of
 * each is worked out for the whole batch at once. Each learner's own consent
 * must still decide their answer alone: one who never consented, or whose
 * consent expired, was revoked or went to another organisation, stays hidden
 * among learners who consented.
 */

let graph: TestSubgraph<typeof learnersService.tables>;
const hrdCorp = funders.hrdCorp.id; // the FUNDER persona's funder
const DAY_MS = 86_400_000;
const key = (name: string) => learnerByKey(name).id;

/** Grants written as they are stored, some already past: consent to HRD Corp in every state a grant can be in. */
async function grant(learner: string, granteeKind: string, granteeId: string, scopes: string[], { expiresInDays = 365, revoked = false } = {}) {
  await graph.connection.query(
    `insert into learners.consent_grant (learner_id, grantee_kind, grantee_id, scopes, granted_at, expires_at, revoked_at)
     values ($1, $2, $3, $4, now() - interval '30 days', $5, $6)`,
    [key(learner), granteeKind, granteeId, scopes, new Date(Date.now() + expiresInDays * DAY_MS).toISOString(), revoked ? new Date().toISOString() : null],
  );
}

beforeAll(async () => {
  graph = await startTestSubgraph(learnersService);
  await grant('meiling', 'FUNDER', hrdCorp, ['ELIGIBILITY']);
  await grant('siti', 'FUNDER', hrdCorp, ['PERSONAL', 'ELIGIBILITY'], { expiresInDays: -1 });
  await grant('hafiz', 'FUNDER', hrdCorp, ['PERSONAL', 'ELIGIBILITY'], { revoked: true });
  await grant('grace', 'FUNDER', funders.b40.id, ['PERSONAL', 'ELIGIBILITY']);
  await grant('ravi', 'FUNDER', hrdCorp, ['PERSONAL']);
  await grant('ravi', 'FUNDER', hrdCorp, ['PROFILE', 'ELIGIBILITY']);
  await grant('kumar', 'EMPLOYER', employers.software.id, ['PERSONAL', 'ELIGIBILITY']);
});
afterAll(() => graph?.stop());

const ASKED = ['faizal', 'meiling', 'siti', 'hafiz', 'grace', 'ravi', 'kumar', 'james'];
const QUERY = `query($ids: [ID!]!) { learners(ids: $ids) { id consentedScopes eligibilityInputs { dateOfBirth citizenship } } }`;
const asFunder = (ids: string[]) => graph.client.ok(QUERY, { as: 'FUNDER', variables: { ids } });

describe("a funder's batch of learners", () => {
  it("answers each learner by that learner's own consent, whoever else is in the batch", async () => {
    const { learners } = await asFunder(ASKED.map(key));
    const withInputs = (name: string) => ({ dateOfBirth: learnerByKey(name).dateOfBirth, citizenship: learnerByKey(name).citizenship });
    expect(learners).toEqual([
      { id: key('faizal'), consentedScopes: ['ELIGIBILITY', 'PERSONAL', 'PROFILE'], eligibilityInputs: withInputs('faizal') },
      // ELIGIBILITY without PERSONAL: the funder may check eligibility, but not read the date of birth or citizenship.
      { id: key('meiling'), consentedScopes: ['ELIGIBILITY'], eligibilityInputs: null },
      // Expired, revoked, given to another funder, given to an employer, never given: nothing.
      { id: key('siti'), consentedScopes: [], eligibilityInputs: null },
      { id: key('hafiz'), consentedScopes: [], eligibilityInputs: null },
      { id: key('grace'), consentedScopes: [], eligibilityInputs: null },
      // Two grants together.
      { id: key('ravi'), consentedScopes: ['ELIGIBILITY', 'PERSONAL', 'PROFILE'], eligibilityInputs: withInputs('ravi') },
      { id: key('kumar'), consentedScopes: [], eligibilityInputs: null },
      { id: key('james'), consentedScopes: [], eligibilityInputs: null },
    ]);
  });

  it('gives each learner in a batch the answer they get when asked about alone', async () => {
    const { learners: together } = await asFunder(ASKED.map(key));
    const alone = [];
    for (const name of ASKED) alone.push(...(await asFunder([key(name)])).learners);
    expect(together).toEqual(alone);
  });

  it('guards the profile fields in a batch by the same consent', async () => {
    const response = await graph.client.query(`query($ids: [ID!]!) { learners(ids: $ids) { fullName dateOfBirth } }`, {
      as: 'FUNDER',
      variables: { ids: [key('meiling'), key('ravi'), key('siti')] },
    });
    expect(response.data?.learners).toEqual([
      { fullName: null, dateOfBirth: null },
      { fullName: learnerByKey('ravi').fullName, dateOfBirth: learnerByKey('ravi').dateOfBirth },
      { fullName: null, dateOfBirth: null },
    ]);
    expect(response.errors?.map((e) => e.path?.join('.')).sort()).toEqual([
      'learners.0.dateOfBirth',
      'learners.0.fullName',
      'learners.2.dateOfBirth',
      'learners.2.fullName',
    ]);
  });

  it('costs the same SQL statements for one learner as for the whole batch', async () => {
    const one = await graph.statementsDuring(() => asFunder([key('faizal')]));
    const all = await graph.statementsDuring(() => asFunder(ASKED.map(key)));
    expect(all.statements).toBe(one.statements);
  });
});
