import { courseId, funders, learnerByKey, schemes } from '@tauliah/demo-data';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 17, leak 2 ("income by binary search"): a household income declared
 * to one funder (with an application to its scheme) belongs to that funder.
 * Another funder holding the learner's ELIGIBILITY consent must learn nothing
 * about it from eligibility answers, however many thresholds it tries; and a
 * declaration made with a refused application is that application's record
 * only, never used for eligibility afterwards.
 */
let graph: TestGraph;
const aisyah = learnerByKey('aisyah');
const asAisyah = { role: 'LEARNER', sub: aisyah.id } as const;
const b40Officer = { role: 'FUNDER', sub: 'officer:b40', funderId: funders.b40.id } as const;
/** The attacker: HRD Corp's staff, with Aisyah's ELIGIBILITY consent, never told her income. */
const hrdCorpOfficer = { role: 'FUNDER', sub: 'officer:hrdcorp', funderId: funders.hrdCorp.id } as const;
const b40 = schemes.b40Bursary;
const DECLARED = 312_345;

const APPLY = `mutation($input: ApplyForB40AidInput!) { applyForB40Aid(input: $input) { id status declaredHouseholdIncomeSen } }`;
const DECIDE = `mutation($id: ID!, $reason: String!) { decideApplication(id: $id, decision: REJECT, reason: $reason) { status } }`;
const DEFINE = `mutation($input: DefineSchemeInput!) { defineScheme(input: $input) { id } }`;
const ELIGIBILITY = `query($id: ID!, $scheme: ID!, $course: ID) {
  learner(id: $id) { eligibility(schemeId: $scheme, courseId: $course) { eligible consentRequired reasons { code message } } }
}`;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

let serial = 0;
/** A draft scheme of the officer's funder whose only rule is an income threshold. */
async function incomeScheme(as: typeof b40Officer | typeof hrdCorpOfficer, thresholdSen: number): Promise<string> {
  serial += 1;
  const input = {
    code: `PROBE-${serial}`, name: `Probe ${serial}`, description: 'An income threshold.', kind: as === b40Officer ? 'B40_AID' : 'HRD_CORP_GRANT',
    budgetSen: 1_000_000, perLearnerCapSen: 100_000, coPaymentPercent: 0, validFrom: '2026-01-01', validUntil: '2030-12-31',
    rules: [{ kind: 'HOUSEHOLD_INCOME_AT_MOST', thresholdSen }],
  };
  return (await graph.gateway.ok(DEFINE, { as, variables: { input } })).defineScheme.id as string;
}

type Answer = { eligible: boolean; consentRequired: boolean; reasons: Array<{ code: string; message: string }> };
async function eligibility(as: unknown, schemeId: string, course: string | null = null): Promise<Answer> {
  return (await graph.gateway.ok(ELIGIBILITY, { as: as as typeof b40Officer, variables: { id: aisyah.id, scheme: schemeId, course } })).learner.eligibility as Answer;
}

describe("a funder bisecting the income a learner declared to another funder", () => {
  it('learns nothing from eligibility answers across thresholds, on its own drafts or on the other funder\'s scheme', async () => {
    // Aisyah lets HRD Corp check her eligibility, and applies for B40 aid with Tabung Pendidikan Nusantara.
    await graph.gateway.ok(
      `mutation($funder: ID!) { grantConsent(input: { granteeKind: FUNDER, granteeId: $funder, scopes: [PROFILE, PERSONAL, ELIGIBILITY], expiresAt: "2027-06-01T00:00:00Z" }) { id } }`,
      { as: asAisyah, variables: { funder: funders.hrdCorp.id } },
    );
    const input = { schemeId: b40.id, courseId: courseId('SE1201'), householdIncomeSen: DECLARED, evidenceReference: 'STR-2026-0777' };
    expect((await graph.gateway.ok(APPLY, { as: asAisyah, variables: { input } })).applyForB40Aid).toMatchObject({ status: 'PENDING', declaredHouseholdIncomeSen: DECLARED });

    // The attack: drafts with thresholds chosen by binary search over RM 0 – RM 10,000.
    const answers = new Map<string, number[]>();
    let low = 0;
    let high = 1_000_000;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      const answer = await eligibility(hrdCorpOfficer, await incomeScheme(hrdCorpOfficer, middle));
      const key = JSON.stringify(answer);
      answers.set(key, [...(answers.get(key) ?? []), middle]);
      if (answer.eligible) high = middle;
      else low = middle;
    }
    expect(high).not.toBe(DECLARED);
    // Every threshold gets the same answer: the income HRD Corp was never told is, for it, not declared.
    expect([...answers.keys()].map((k) => JSON.parse(k) as Answer)).toEqual([
      { eligible: false, consentRequired: false, reasons: [expect.objectContaining({ code: 'INCOME_NOT_DECLARED' })] },
    ]);

    // Nor does asking about the other funder's own scheme tell HRD Corp on which side of its line she is.
    const onTheirs = await eligibility(hrdCorpOfficer, b40.id, courseId('SE1202'));
    expect(onTheirs.eligible).toBe(false);
    expect(onTheirs.reasons.map((r) => r.code)).toEqual(['PERSONAL_DATA_WITHHELD']);
    expect(onTheirs.reasons[0]!.message).toMatch(/household income/i);
  });

  it("still answers the funder it was declared to, and the learner herself", async () => {
    const line = await incomeScheme(b40Officer, DECLARED);
    expect(await eligibility(b40Officer, line)).toMatchObject({ eligible: true, reasons: [] });
    expect(await eligibility(b40Officer, await incomeScheme(b40Officer, DECLARED - 1))).toMatchObject({
      eligible: false, reasons: [expect.objectContaining({ code: 'HOUSEHOLD_INCOME_ABOVE_THRESHOLD' })],
    });
    const mine = await graph.gateway.ok(`query($s: ID!, $c: ID) { me { eligibility(schemeId: $s, courseId: $c) { eligible reasons { code } } } }`, {
      as: asAisyah, variables: { s: b40.id, c: courseId('SE1202') },
    });
    expect(mine.me.eligibility).toEqual({ eligible: true, reasons: [] });
  });
});

describe('a declaration made with a refused application', () => {
  it('is not used for eligibility once the funder rejected the application, and stays on the application', async () => {
    const line = await incomeScheme(b40Officer, 350_000);
    expect((await eligibility(b40Officer, line)).eligible).toBe(true);

    const input = { schemeId: b40.id, courseId: courseId('SE1202'), householdIncomeSen: 400_000, evidenceReference: 'STR-2026-0778' };
    const applied = (await graph.gateway.ok(APPLY, { as: asAisyah, variables: { input } })).applyForB40Aid;
    expect((await eligibility(b40Officer, line)).eligible).toBe(false);

    await graph.gateway.ok(DECIDE, { as: b40Officer, variables: { id: applied.id, reason: 'Evidence does not match the declared income.' } });
    // Back to what she declared with her application still standing.
    expect(await eligibility(b40Officer, line)).toMatchObject({ eligible: true, reasons: [] });
    const record = await graph.gateway.ok(`{ learner(id: "${aisyah.id}") { fundingApplications { status declaredHouseholdIncomeSen } } }`, { as: b40Officer });
    expect(record.learner.fundingApplications).toContainEqual({ status: 'REJECTED', declaredHouseholdIncomeSen: 400_000 });
  });

  it('is not kept at all when the rules refuse the application as it is made', async () => {
    const line = await incomeScheme(b40Officer, 350_000);
    expect((await eligibility(b40Officer, line)).eligible).toBe(true);
    const rich = { schemeId: b40.id, courseId: courseId('SE1301'), householdIncomeSen: 900_000, evidenceReference: 'LHDN-2025' };
    const refused = await graph.gateway.query(APPLY, { as: asAisyah, variables: { input: rich } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await eligibility(b40Officer, line)).eligible).toBe(true);
    expect(await graph.connection.query('select 1 from funding.income_declaration where monthly_income_sen = 900000')).toEqual([]);
  });
});
