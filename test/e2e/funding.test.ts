import { approvedHrdCorpCourses, courseId, demoId, funders, learnerByKey, schemes, unapprovedHrdCorpCourse } from '@tauliah/demo-data';
import { codesOf } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let graph: TestGraph;
const aisyah = learnerByKey('aisyah');
const faizal = learnerByKey('faizal');
const asAisyah = { role: 'LEARNER', sub: aisyah.id } as const;
const asFaizal = { role: 'LEARNER', sub: faizal.id } as const;
const b40Officer = { role: 'FUNDER', sub: 'officer:b40', funderId: funders.b40.id } as const;
const hrdCorpOfficer = 'FUNDER' as const;
const b40 = schemes.b40Bursary;
const hrdCorp = schemes.hrdCorpMicroCredential;
const approvedCourse = courseId(approvedHrdCorpCourses[0]);

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const ELIGIBILITY = `query($ids: [ID!]!, $scheme: ID!, $course: ID) {
  learners(ids: $ids) { id eligibility(schemeId: $scheme, courseId: $course) { eligible consentRequired reasons { code message } coveredSen coPaymentSen } }
}`;
const MY_ELIGIBILITY = `query($scheme: ID!, $course: ID) {
  me { eligibility(schemeId: $scheme, courseId: $course) { eligible reasons { code } coveredSen coPaymentSen } }
}`;
const codes = (e: { reasons: Array<{ code: string }> }) => e.reasons.map((r) => r.code);

describe('a B40 school leaver', () => {
  it('is eligible for the B40 bursary, which covers 90% of the fee, as her consented funder sees it', async () => {
    const data = await graph.gateway.ok(ELIGIBILITY, { as: b40Officer, variables: { ids: [aisyah.id], scheme: b40.id, course: courseId('SE1101') } });
    expect(data.learners[0].eligibility).toEqual({ eligible: true, consentRequired: false, reasons: [], coveredSen: 108_000, coPaymentSen: 12_000 });
  });

  it('is not eligible for HRD Corp, which funds employees of levy payers only', async () => {
    const data = await graph.gateway.ok(MY_ELIGIBILITY, { as: asAisyah, variables: { scheme: hrdCorp.id, course: approvedCourse } });
    expect(data.me.eligibility).toEqual({ eligible: false, reasons: [{ code: 'NOT_EMPLOYED_BY_LEVY_PAYER' }], coveredSen: 0, coPaymentSen: 120_000 });
    const b40Answer = await graph.gateway.ok(MY_ELIGIBILITY, { as: asAisyah, variables: { scheme: b40.id, course: courseId('SE1101') } });
    expect(b40Answer.me.eligibility.eligible).toBe(true);
  });
});

describe('an employee of a levy-paying employer', () => {
  it('is eligible for HRD Corp on an approved course, fully covered', async () => {
    const data = await graph.gateway.ok(ELIGIBILITY, { as: hrdCorpOfficer, variables: { ids: [faizal.id], scheme: hrdCorp.id, course: approvedCourse } });
    expect(data.learners[0].eligibility).toEqual({ eligible: true, consentRequired: false, reasons: [], coveredSen: 120_000, coPaymentSen: 0 });
  });

  it('is not eligible on a course HRD Corp has not approved', async () => {
    const data = await graph.gateway.ok(ELIGIBILITY, { as: hrdCorpOfficer, variables: { ids: [faizal.id], scheme: hrdCorp.id, course: unapprovedHrdCorpCourse.id } });
    expect(codes(data.learners[0].eligibility)).toEqual(['COURSE_NOT_APPROVED']);
    expect(data.learners[0].eligibility.reasons[0].message).toBe('The course is not approved for this scheme.');
  });
});

describe('consent', () => {
  it('answers CONSENT_REQUIRED, never the data, for learners who did not consent to this funder', async () => {
    const response = await graph.gateway.query(ELIGIBILITY, { as: hrdCorpOfficer, variables: { ids: [aisyah.id, faizal.id], scheme: hrdCorp.id, course: approvedCourse } });
    const data = response.data!;
    expect(data.learners[0].eligibility).toEqual({
      eligible: false, consentRequired: true, coveredSen: null, coPaymentSen: null,
      reasons: [{ code: 'CONSENT_REQUIRED', message: expect.stringContaining('ELIGIBILITY consent') }],
    });
    expect(data.learners[1].eligibility.eligible).toBe(true);
    // The learners service withheld the personal facts as null, so a batch answer carries no error per learner.
    expect(response.errors).toBeUndefined();
  });

  it('names the rules it could not check when the learner consented to eligibility but not to personal data', async () => {
    const grant = await graph.gateway.ok(
      `mutation($funder: ID!) { grantConsent(input: { granteeKind: FUNDER, granteeId: $funder, scopes: [ELIGIBILITY], expiresAt: "2027-06-01T00:00:00Z" }) { id } }`,
      { as: asAisyah, variables: { funder: funders.hrdCorp.id } },
    );
    expect(grant.grantConsent.id).toBeTruthy();
    const response = await graph.gateway.query(ELIGIBILITY, { as: hrdCorpOfficer, variables: { ids: [aisyah.id], scheme: b40.id, course: courseId('SE1101') } });
    // Age and citizenship, and the household income she declared to the B40 fund, which HRD Corp never reads.
    expect(codes(response.data!.learners[0].eligibility)).toEqual(['PERSONAL_DATA_WITHHELD', 'PERSONAL_DATA_WITHHELD', 'PERSONAL_DATA_WITHHELD']);
    expect(codesOf(response)).toEqual([]);
  });

  it('turns the answer into CONSENT_REQUIRED once the learner revokes consent', async () => {
    const revoked = await graph.gateway.ok(`mutation($id: ID!) { revokeConsent(id: $id) { active } }`, {
      as: asFaizal,
      variables: { id: demoId('consent:faizal:hrdcorp') },
    });
    expect(revoked.revokeConsent.active).toBe(false);
    const response = await graph.gateway.query(ELIGIBILITY, { as: hrdCorpOfficer, variables: { ids: [faizal.id], scheme: hrdCorp.id, course: approvedCourse } });
    expect(response.data!.learners[0].eligibility).toEqual({
      eligible: false, consentRequired: true, coveredSen: null, coPaymentSen: null,
      reasons: [{ code: 'CONSENT_REQUIRED', message: expect.any(String) }],
    });
  });
});

describe('the budget', () => {
  it('commits exactly 10 of 50 concurrent approvals against a budget for 10', async () => {
    const [{ id: schemeId }] = await graph.connection.query<{ id: string }>(
      `insert into funding.scheme (funder_id, code, name, description, kind, budget_sen, per_learner_cap_sen, co_payment_percent, valid_from, valid_until, published, rules)
       values ($1, 'B40-RUSH-2026', 'Rush bursary', 'Ten places.', 'B40_AID', 500000, 50000, 0, '2026-01-01', '2026-12-31', true, '[]') returning id`,
      [funders.b40.id],
    ) as [{ id: string }];
    const applications = await graph.connection.query<{ id: string }>(
      `insert into funding.application (scheme_id, kind, learner_id, course_id, declared_household_income_sen, evidence_reference, amount_sen, submitted_by)
       select $1, 'B40_AID', gen_random_uuid(), $2, 300000, 'STR-' || n, 50000, 'test:applicant-' || n from generate_series(1, 50) n returning id`,
      [schemeId, courseId('SE1101')],
    );
    const DECIDE = `mutation($id: ID!) { decideApplication(id: $id, decision: APPROVE, reason: "Meets the B40 criteria.") { status } }`;
    const answers = await Promise.all(applications.map(({ id }) => graph.gateway.query(DECIDE, { as: b40Officer, variables: { id } })));
    const approved = answers.filter((a) => a.data?.decideApplication?.status === 'APPROVED');
    expect(approved).toHaveLength(10);
    expect(answers.flatMap(codesOf).sort()).toEqual(Array(40).fill('CONFLICT'));
    const scheme = await graph.gateway.ok(`query($id: ID!) { scheme(id: $id) { committedSen remainingSen } }`, { variables: { id: schemeId } });
    expect(scheme.scheme).toEqual({ committedSen: 500_000, remainingSen: 0 });
    // The ledger holds one commitment per approval, and the refused ones left nothing behind.
    const ledger = await graph.connection.query<{ entries: number; sen: number; pending: number }>(
      `select (select count(*)::int from funding.budget_entry where scheme_id = $1 and kind = 'COMMITMENT') entries,
              (select sum(amount_sen)::int from funding.budget_entry where scheme_id = $1) sen,
              (select count(*)::int from funding.application where scheme_id = $1 and status = 'PENDING') pending`,
      [schemeId],
    );
    expect(ledger).toEqual([{ entries: 10, sen: 500_000, pending: 40 }]);
  });
});

describe('bad questions', () => {
  it('answers NOT_FOUND for an unknown scheme or course, keeping the learners', async () => {
    const unknownScheme = await graph.gateway.query(ELIGIBILITY, { as: b40Officer, variables: { ids: [aisyah.id], scheme: demoId('scheme:none') } });
    expect(unknownScheme.data?.learners).toEqual([{ id: aisyah.id, eligibility: null }]);
    expect(codesOf(unknownScheme)).toEqual(['NOT_FOUND']);
    const unknownCourse = await graph.gateway.query(ELIGIBILITY, { as: b40Officer, variables: { ids: [aisyah.id], scheme: b40.id, course: demoId('course:none') } });
    expect(codesOf(unknownCourse)).toEqual(['NOT_FOUND']);
    const malformed = await graph.gateway.query(ELIGIBILITY, { as: b40Officer, variables: { ids: [aisyah.id], scheme: 'B40-MC-2026' } });
    expect(codesOf(malformed)).toEqual(['BAD_USER_INPUT']);
  });
});
