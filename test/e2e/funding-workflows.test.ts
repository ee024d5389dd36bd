import { approvedHrdCorpCourses, courseId, employers, funders, learnerByKey, levyAccounts, providers, schemes } from '@tauliah/demo-data';
import { codesOf } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let graph: TestGraph;
const aisyah = learnerByKey('aisyah');
const faizal = learnerByKey('faizal');
const asAisyah = { role: 'LEARNER', sub: aisyah.id } as const;
const b40Officer = { role: 'FUNDER', sub: 'officer:b40', funderId: funders.b40.id } as const;
const hrdCorpOfficer = 'FUNDER' as const;
const registrar = 'PROVIDER_STAFF' as const;
const b40 = schemes.b40Bursary;
const hrdCorp = schemes.hrdCorpMicroCredential;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

interface Page<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ node: T }>;
}

const QUEUE = `query($filter: CourseApprovalFilter, $first: Int, $after: String) {
  courseApprovals(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status course { code } decision { decidedBy reason } } } }
}`;

describe('the course approval queue', () => {
  it("pages through HRD Corp's 21 pending courses oldest first", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const data: { courseApprovals: Page<{ course: { code: string } }> } = await graph.gateway.ok(QUEUE, { as: hrdCorpOfficer, variables: { filter: { status: 'PENDING' }, first: 8, after } });
      const page = data.courseApprovals;
      expect(page.totalCount).toBe(21);
      seen.push(...page.edges.map((e) => e.node.course.code));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen.slice(0, 3)).toEqual(['EE1101', 'EE1102', 'EE1103']);
    expect(new Set(seen).size).toBe(21);
  });

  it('filters by status and shows who decided, and why', async () => {
    const data = await graph.gateway.ok(QUEUE, { as: hrdCorpOfficer, variables: { filter: { status: 'REJECTED' } } });
    expect(data.courseApprovals.edges).toEqual([
      { node: expect.objectContaining({ status: 'REJECTED', course: { code: 'SE2302' }, decision: { decidedBy: 'officer:hrdcorp', reason: expect.stringContaining('outside the technical skills') } }) },
    ]);
  });

  it('filters by when a course was submitted, from the first instant up to the second, and refuses a range that ends before it starts', async () => {
    // The 21 pending courses were submitted a minute apart from 02:00 on 2 March 2026: 02:05 up to 02:10 holds five of them.
    const filter = { status: 'PENDING', submittedFrom: '2026-03-02T02:05:00.000Z', submittedBefore: '2026-03-02T02:10:00.000Z' };
    const ranged = (await graph.gateway.ok(QUEUE, { as: hrdCorpOfficer, variables: { filter } })).courseApprovals;
    expect(ranged.totalCount).toBe(5);
    expect(ranged.edges).toHaveLength(5);
    const open = (await graph.gateway.ok(QUEUE, { as: hrdCorpOfficer, variables: { filter: { status: 'PENDING', submittedFrom: '2026-03-02T02:05:00.000Z' } } })).courseApprovals;
    expect(open.totalCount).toBe(16);
    for (const backwards of [{ submittedFrom: filter.submittedBefore, submittedBefore: filter.submittedFrom }, { submittedFrom: filter.submittedFrom, submittedBefore: filter.submittedFrom }]) {
      const refused = await graph.gateway.query(QUEUE, { as: hrdCorpOfficer, variables: { filter: backwards } });
      expect(codesOf(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors![0]!.message).toMatch(/submittedBefore must be later than submittedFrom/);
    }
  });

  it("shows a funder only its own schemes' queue and refuses learners", async () => {
    expect((await graph.gateway.ok(QUEUE, { as: b40Officer })).courseApprovals.totalCount).toBe(0);
    expect(codesOf(await graph.gateway.query(QUEUE, { as: 'LEARNER' }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(QUEUE, { as: hrdCorpOfficer, variables: { after: 'not-a-cursor' } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('takes a submission from the provider, once per idempotency key, and lets HRD Corp approve it with a reason', async () => {
    const SUBMIT = `mutation($scheme: ID!, $course: ID!) { submitCourseForScheme(schemeId: $scheme, courseId: $course, idempotencyKey: "utn-2026-se1101") { id status providerId } }`;
    const variables = { scheme: hrdCorp.id, course: courseId('SE1101') };
    const first = (await graph.gateway.ok(SUBMIT, { as: registrar, variables })).submitCourseForScheme;
    expect(first).toMatchObject({ status: 'PENDING', providerId: providers.odl.id });
    expect((await graph.gateway.ok(SUBMIT, { as: registrar, variables })).submitCourseForScheme.id).toBe(first.id);

    const DECIDE = `mutation($id: ID!, $decision: Decision!) { decideCourseApproval(id: $id, decision: $decision, reason: "Fee and outcomes meet the criteria.") { status decision { decidedBy decidedAt reason } } }`;
    expect(codesOf(await graph.gateway.query(DECIDE, { as: b40Officer, variables: { id: first.id, decision: 'APPROVE' } }))).toEqual(['FORBIDDEN']);
    const decided = (await graph.gateway.ok(DECIDE, { as: hrdCorpOfficer, variables: { id: first.id, decision: 'APPROVE' } })).decideCourseApproval;
    expect(decided).toMatchObject({ status: 'APPROVED', decision: { decidedBy: 'officer:hrdcorp', reason: 'Fee and outcomes meet the criteria.' } });
    // A decided record is never changed: a contrary decision is refused, the same one is a harmless retry.
    expect(codesOf(await graph.gateway.query(DECIDE, { as: hrdCorpOfficer, variables: { id: first.id, decision: 'REJECT' } }))).toEqual(['CONFLICT']);
    expect((await graph.gateway.ok(DECIDE, { as: hrdCorpOfficer, variables: { id: first.id, decision: 'APPROVE' } })).decideCourseApproval.status).toBe('APPROVED');

    const options = await graph.gateway.ok(
      `query($course: ID!, $learner: ID!) { course(id: $course) { fundingOptions(learnerId: $learner) { scheme { code } eligibility { eligible coveredSen coPaymentSen } } } }`,
      { as: { role: 'LEARNER', sub: faizal.id }, variables: { course: courseId('SE1101'), learner: faizal.id } },
    );
    expect(options.course.fundingOptions).toEqual([
      { scheme: { code: 'B40-MC-2026' }, eligibility: { eligible: false, coveredSen: 0, coPaymentSen: 120_000 } },
      { scheme: { code: 'HRDC-MC-2026' }, eligibility: { eligible: true, coveredSen: 120_000, coPaymentSen: 0 } },
    ]);
  });

  it("refuses a provider submitting another provider's course, and unknown or malformed ids", async () => {
    const SUBMIT = `mutation($scheme: ID!, $course: ID!) { submitCourseForScheme(schemeId: $scheme, courseId: $course) { id } }`;
    const other = await graph.gateway.query(SUBMIT, { as: registrar, variables: { scheme: hrdCorp.id, course: courseId('AKT-PCB') } });
    expect(codesOf(other), JSON.stringify(other.errors)).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(SUBMIT, { as: registrar, variables: { scheme: courseId('AKT-PCB'), course: courseId('SE1102') } }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await graph.gateway.query(SUBMIT, { as: registrar, variables: { scheme: 'HRDC-MC-2026', course: courseId('SE1102') } }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await graph.gateway.query(SUBMIT, { as: registrar, variables: { scheme: hrdCorp.id, course: courseId('EE1101') } }))).toEqual(['CONFLICT']);
  });
});

const APPLY = `mutation($input: ApplyForB40AidInput!) { applyForB40Aid(input: $input) { id status amountSen declaredHouseholdIncomeSen } }`;
const DECIDE = `mutation($id: ID!, $decision: Decision!, $reason: String!) { decideApplication(id: $id, decision: $decision, reason: $reason) { status amountSen decision { decidedBy reason } } }`;

describe('a B40 application', () => {
  let applicationId = '';

  it('is made by the learner with her declared income and evidence, and approved by her funder, committing budget', async () => {
    const input = { schemeId: b40.id, courseId: courseId('SE1201'), householdIncomeSen: 310_000, evidenceReference: 'STR-2026-0042', idempotencyKey: 'aisyah-se1201' };
    const applied = (await graph.gateway.ok(APPLY, { as: asAisyah, variables: { input } })).applyForB40Aid;
    expect(applied).toMatchObject({ status: 'PENDING', amountSen: 108_000, declaredHouseholdIncomeSen: 310_000 });
    expect((await graph.gateway.ok(APPLY, { as: asAisyah, variables: { input } })).applyForB40Aid.id).toBe(applied.id);
    applicationId = applied.id;

    const refused = await graph.gateway.query(DECIDE, { as: hrdCorpOfficer, variables: { id: applied.id, decision: 'APPROVE', reason: 'x' } });
    expect(codesOf(refused)).toEqual(['FORBIDDEN']);
    const approved = (await graph.gateway.ok(DECIDE, { as: b40Officer, variables: { id: applied.id, decision: 'APPROVE', reason: 'Household income verified against STR.' } })).decideApplication;
    expect(approved).toEqual({ status: 'APPROVED', amountSen: 108_000, decision: { decidedBy: 'officer:b40', reason: 'Household income verified against STR.' } });
    const scheme = await graph.gateway.ok(`{ scheme(id: "${b40.id}") { committedSen remainingSen } }`);
    expect(scheme.scheme).toEqual({ committedSen: 108_000, remainingSen: b40.budgetSen - 108_000 });
  });

  it('makes the learner ineligible for the same course again', async () => {
    const data = await graph.gateway.ok(`{ me { eligibility(schemeId: "${b40.id}", courseId: "${courseId('SE1201')}") { eligible reasons { code } } } }`, { as: asAisyah });
    expect(data.me.eligibility).toEqual({ eligible: false, reasons: [{ code: 'ALREADY_FUNDED_FOR_COURSE' }] });
    const again = { schemeId: b40.id, courseId: courseId('SE1201'), householdIncomeSen: 310_000, evidenceReference: 'STR-2026-0042' };
    expect(codesOf(await graph.gateway.query(APPLY, { as: asAisyah, variables: { input: again } }))).toEqual(['CONFLICT']);
  });

  it('is listed under the learner for herself and her funder, and for nobody else', async () => {
    const MINE = `{ learner(id: "${aisyah.id}") { fundingApplications { kind status amountSen scheme { code } } } }`;
    const expected = [{ kind: 'B40_AID', status: 'APPROVED', amountSen: 108_000, scheme: { code: 'B40-MC-2026' } }];
    expect((await graph.gateway.ok(MINE, { as: asAisyah })).learner.fundingApplications).toEqual(expected);
    expect((await graph.gateway.ok(MINE, { as: b40Officer })).learner.fundingApplications).toEqual(expected);
    expect((await graph.gateway.ok(MINE, { as: hrdCorpOfficer })).learner.fundingApplications).toEqual([]);
    expect((await graph.gateway.ok(MINE, { as: 'EMPLOYER' })).learner.fundingApplications).toEqual([]);
  });

  it('records disbursements against the commitment, never more than it', async () => {
    const PAY = `mutation($id: ID!, $sen: Int!) { recordDisbursement(applicationId: $id, amountSen: $sen) { id } }`;
    await graph.gateway.ok(PAY, { as: b40Officer, variables: { id: applicationId, sen: 100_000 } });
    expect(codesOf(await graph.gateway.query(PAY, { as: b40Officer, variables: { id: applicationId, sen: 8_001 } }))).toEqual(['CONFLICT']);
    expect(codesOf(await graph.gateway.query(PAY, { as: b40Officer, variables: { id: applicationId, sen: -5 } }))).toEqual(['BAD_USER_INPUT']);
    const ledger = await graph.connection.query(`select kind, amount_sen from funding.budget_entry where application_id = $1 order by recorded_at`, [applicationId]);
    expect(ledger).toEqual([{ kind: 'COMMITMENT', amount_sen: 108_000 }, { kind: 'DISBURSEMENT', amount_sen: 100_000 }]);
  });

  it('refuses negative income, an empty evidence reference and an unknown scheme', async () => {
    const bad = await graph.gateway.query(APPLY, { as: asAisyah, variables: { input: { schemeId: b40.id, courseId: courseId('SE1202'), householdIncomeSen: -1, evidenceReference: ' ' } } });
    expect(codesOf(bad)).toEqual(['BAD_USER_INPUT']);
    expect((bad.errors![0]!.extensions!.problems as Array<{ field: string }>).map((p) => p.field)).toEqual(['input.householdIncomeSen', 'input.evidenceReference']);
    const unknown = { schemeId: courseId('SE1202'), courseId: courseId('SE1202'), householdIncomeSen: 1, evidenceReference: 'STR' };
    expect(codesOf(await graph.gateway.query(APPLY, { as: asAisyah, variables: { input: unknown } }))).toEqual(['NOT_FOUND']);
  });

  it('is refused, with the reasons, when the declared income is above the B40 line', async () => {
    const rich = { schemeId: b40.id, courseId: courseId('SE1202'), householdIncomeSen: 900_000, evidenceReference: 'LHDN-2025' };
    const response = await graph.gateway.query(APPLY, { as: asAisyah, variables: { input: rich } });
    expect(codesOf(response)).toEqual(['CONFLICT']);
    expect(response.errors![0]!.extensions!.reasons).toEqual([expect.objectContaining({ code: 'HOUSEHOLD_INCOME_ABOVE_THRESHOLD' })]);
  });
});

describe('an HRD Corp claim', () => {
  it("is made by the employer for its employee and, once approved, draws on the employer's levy account", async () => {
    const CLAIM = `mutation($input: ClaimHrdCorpGrantInput!) { claimHrdCorpGrant(input: $input) { id kind amountSen employer { id } } }`;
    const input = { schemeId: hrdCorp.id, learnerId: faizal.id, courseId: courseId(approvedHrdCorpCourses[1]), idempotencyKey: 'perisian-claim-1' };
    const claim = (await graph.gateway.ok(CLAIM, { as: 'EMPLOYER', variables: { input } })).claimHrdCorpGrant;
    expect(claim).toMatchObject({ kind: 'HRD_CORP_CLAIM', amountSen: 120_000, employer: { id: employers.software.id } });
    const notMine = { ...input, learnerId: learnerByKey('priya').id, idempotencyKey: 'perisian-claim-2' };
    expect(codesOf(await graph.gateway.query(CLAIM, { as: 'EMPLOYER', variables: { input: notMine } }))).toEqual(['FORBIDDEN']);

    await graph.gateway.ok(DECIDE, { as: hrdCorpOfficer, variables: { id: claim.id, decision: 'APPROVE', reason: 'Approved course, levy balance sufficient.' } });
    const LEVY = `{ employer(id: "${employers.software.id}") { levyAccount { balanceSen } } }`;
    const opening = levyAccounts.find((a) => a.employerId === employers.software.id)!.balanceSen;
    expect((await graph.gateway.ok(LEVY, { as: 'EMPLOYER' })).employer.levyAccount).toEqual({ balanceSen: opening - 120_000 });
    expect((await graph.gateway.ok(LEVY, { as: hrdCorpOfficer })).employer.levyAccount).toEqual({ balanceSen: opening - 120_000 });
    expect(codesOf(await graph.gateway.query(LEVY, { as: b40Officer }))).toEqual(['FORBIDDEN']);
  });

  it('leaves no second scheme able to fund the same course for the same learner, whatever was pending', async () => {
    const course = courseId(approvedHrdCorpCourses[1]);
    const [pending] = await graph.connection.query<{ id: string }>(
      `insert into funding.application (scheme_id, kind, learner_id, course_id, amount_sen, submitted_by, declared_household_income_sen, evidence_reference)
       values ($1, 'B40_AID', $2, $3, 50000, 'test:earlier-paper-form', 300000, 'paper') returning id`,
      [b40.id, faizal.id, course],
    );
    const before = (await graph.gateway.ok(`{ scheme(id: "${b40.id}") { committedSen } }`)).scheme.committedSen;
    const response = await graph.gateway.query(DECIDE, { as: b40Officer, variables: { id: pending!.id, decision: 'APPROVE', reason: 'Paper form.' } });
    expect(codesOf(response)).toEqual(['CONFLICT']);
    expect((await graph.gateway.ok(`{ scheme(id: "${b40.id}") { committedSen } }`)).scheme.committedSen).toBe(before);
  });
});

describe('scheme rules', () => {
  const RULES = `mutation($id: ID!, $rules: JSON!) { updateSchemeRules(schemeId: $id, rules: $rules) { rules { kind description } } }`;

  it('are refused when saved if malformed or of an unknown kind, listing every problem', async () => {
    const response = await graph.gateway.query(RULES, {
      as: b40Officer,
      variables: { id: b40.id, rules: [{ kind: 'LIVES_IN_SELANGOR' }, { kind: 'HOUSEHOLD_INCOME_AT_MOST', thresholdSen: -485000 }] },
    });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect((response.errors![0]!.extensions!.problems as Array<{ field: string }>).map((p) => p.field)).toEqual(['rules.0.kind', 'rules.1.thresholdSen']);
  });

  it("are edited by the funder's own staff only, and take effect at once", async () => {
    const rules = [{ kind: 'HOUSEHOLD_INCOME_AT_MOST', thresholdSen: 500_000 }];
    expect(codesOf(await graph.gateway.query(RULES, { as: hrdCorpOfficer, variables: { id: b40.id, rules } }))).toEqual(['FORBIDDEN']);
    const saved = await graph.gateway.ok(RULES, { as: b40Officer, variables: { id: b40.id, rules } });
    expect(saved.updateSchemeRules.rules).toEqual([{ kind: 'HOUSEHOLD_INCOME_AT_MOST', description: 'Household income at most RM 5,000.00 a month' }]);
  });

  it('refuses a new scheme with negative money', async () => {
    const response = await graph.gateway.query(
      `mutation($input: DefineSchemeInput!) { defineScheme(input: $input) { id } }`,
      {
        as: b40Officer,
        variables: {
          input: { code: 'B40-NEG', name: 'Negative', description: 'x', kind: 'B40_AID', budgetSen: -1, perLearnerCapSen: -2, coPaymentPercent: 10, validFrom: '2027-01-01', validUntil: '2027-12-31', rules: [] },
        },
      },
    );
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect((response.errors![0]!.extensions!.problems as Array<{ field: string }>).map((p) => p.field)).toEqual(['schemes.0.budgetSen', 'schemes.0.perLearnerCapSen']);
  });
  it('carries a national budget beyond 32 bits (RM 50 million) exactly', async () => {
    const input = { code: 'B40-NATIONAL', name: 'National bursary', description: 'A national-scale budget.', kind: 'B40_AID', budgetSen: 5_000_000_000, perLearnerCapSen: 250_000, coPaymentPercent: 10, validFrom: '2027-01-01', validUntil: '2027-12-31', rules: [] };
    const data = await graph.gateway.ok(
      `mutation($input: DefineSchemeInput!) { defineScheme(input: $input) { budgetSen committedSen remainingSen } }`,
      { as: b40Officer, variables: { input } },
    );
    expect(data.defineScheme).toEqual({ budgetSen: 5_000_000_000, committedSen: 0, remainingSen: 5_000_000_000 });
  });
});
