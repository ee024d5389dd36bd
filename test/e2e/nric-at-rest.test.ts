import { learnerByKey } from '@tauliah/demo-data';
import { codesOf } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 17, leak 5 ("NRIC from a dump"): the date of birth fixes an NRIC's
 * first six digits, so its last four in clear beside it leave two digits to
 * guess. The learners' table keeps no part of the NRIC in clear: the masked
 * display is decrypted with a key only the learners service holds.
 */
let graph: TestGraph;
const aisyah = learnerByKey('aisyah');
const NRIC = '070219-14-6387';
const LAST4 = '6387';

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

/** Every value of the learner's row as the database holds it, as text; the NRIC's keyed hash left aside. */
async function dumpOf(learnerId: string): Promise<Record<string, string>> {
  const [row] = await graph.connection.query<Record<string, unknown>>('select * from learners.learner where id = $1', [learnerId]);
  expect(row).toBeDefined();
  const { nric_hash: _hash, ...rest } = row!;
  return Object.fromEntries(Object.entries(rest).map(([column, value]) => [column, value instanceof Date ? value.toISOString() : String(value)]));
}

/** The digits a dump would show, reading base64 and hex columns as the bytes they encode too. */
function readable(value: string): string {
  const decodings = [value];
  for (const part of value.split(/[.:$]/)) {
    if (/^[A-Za-z0-9_-]+={0,2}$/.test(part)) decodings.push(Buffer.from(part, 'base64url').toString('latin1'));
    if (/^[0-9a-f]+$/i.test(part) && part.length % 2 === 0) decodings.push(Buffer.from(part, 'hex').toString('latin1'));
  }
  return decodings.join('\n');
}

describe('the NRIC at rest', () => {
  it('leaves no NRIC digit beyond the date of birth in the row a registration writes, and still shows the learner the masked form', async () => {
    const me = { role: 'LEARNER', sub: '7c2e8a1d-3f4b-4c5d-9e6f-a7b8c9d0e1f2' } as const;
    const input = { fullName: 'Lee Mei Hua', email: 'meihua@nric.example.my', dateOfBirth: '2007-02-19', citizenship: 'MALAYSIAN', nric: NRIC, state: 'Perak' };
    const registered = await graph.gateway.ok(`mutation($input: RegisterLearnerInput!) { registerLearner(input: $input) { learner { nricMasked } } }`, { as: me, variables: { input } });
    expect(registered.registerLearner.learner.nricMasked).toBe(`••••••-••-${LAST4}`);

    const dump = await dumpOf(me.sub);
    for (const [column, value] of Object.entries(dump)) {
      const shown = readable(value);
      expect(shown, column).not.toContain(LAST4);
      expect(shown, column).not.toContain('146387');
      expect(shown, column).not.toContain(NRIC.replaceAll('-', ''));
    }

    expect((await graph.gateway.ok(`{ me { nricMasked } }`, { as: me })).me.nricMasked).toBe(`••••••-••-${LAST4}`);
    const admin = await graph.gateway.ok(`query($id: ID!) { learner(id: $id) { nricMasked } }`, { as: 'ADMIN', variables: { id: me.sub } });
    expect(admin.learner.nricMasked).toBe(`••••••-••-${LAST4}`);
  });

  it('keeps the demo learners in the same form, their masked NRIC shown only to whoever may see it', async () => {
    const last4 = aisyah.nric.slice(-4);
    for (const value of Object.values(await dumpOf(aisyah.id))) expect(readable(value)).not.toContain(last4);
    const QUERY = `query($id: ID!) { learner(id: $id) { nricMasked } }`;
    expect((await graph.gateway.ok(QUERY, { as: { role: 'LEARNER', sub: aisyah.id }, variables: { id: aisyah.id } })).learner.nricMasked).toBe(`••••••-••-${last4}`);
    for (const who of ['PROVIDER_STAFF', 'EMPLOYER', 'FUNDER'] as const) {
      const response = await graph.gateway.query(QUERY, { as: who, variables: { id: aisyah.id } });
      expect(response.data?.learner, who).toEqual({ nricMasked: null });
      expect(codesOf(response)).toEqual(['FORBIDDEN']);
    }
  });
});
