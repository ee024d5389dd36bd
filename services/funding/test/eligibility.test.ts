import { courseId, demoId, employers, funders, schemes } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageOn, evaluate, split, type EligibilityInputs } from '../src/eligibility/evaluate.ts';
import { fundingService } from '../src/index.ts';

let graph: TestSubgraph<typeof fundingService.tables>;
beforeAll(async () => {
  graph = await startTestSubgraph(fundingService);
});
afterAll(() => graph?.stop());

const b40Officer = { role: 'FUNDER', sub: 'officer:b40', funderId: funders.b40.id } as const;
const b40Row = () => ({ ...schemes.b40Bursary, committedSen: 0, createdAt: new Date() }) as Parameters<typeof evaluate>[0];
const consenting: EligibilityInputs = {
  consentedToEligibility: true,
  dateOfBirth: '2006-03-14',
  citizenship: 'MALAYSIAN',
  employer: null,
  monthlyIncomeSen: 320_000,
  course: { id: courseId('SE1101'), feeSen: 120_000, mqfLevel: 4 },
  courseApproved: false,
  alreadyFunded: false,
};

describe('the rules, evaluated', () => {
  it('counts age in whole years, a birthday counting only once reached', () => {
    expect(ageOn('2006-03-14', '2026-03-13')).toBe(19);
    expect(ageOn('2006-03-14', '2026-03-14')).toBe(20);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
  });

  it('splits a fee into covered and co-payment in whole sen, capped per learner', () => {
    expect(split({ coPaymentPercent: 10, perLearnerCapSen: 250_000 }, 120_001)).toEqual({ coveredSen: 108_000, coPaymentSen: 12_001 });
    expect(split({ coPaymentPercent: 0, perLearnerCapSen: 250_000 }, 400_000)).toEqual({ coveredSen: 250_000, coPaymentSen: 150_000 });
  });

  it('lists every failed rule with its code', () => {
    const result = evaluate(b40Row(), { ...consenting, dateOfBirth: '1980-01-01', citizenship: 'NON_CITIZEN', monthlyIncomeSen: 485_001, course: { ...consenting.course!, mqfLevel: 6 }, alreadyFunded: true }, '2026-06-01');
    expect(result.reasons.map((r) => r.code)).toEqual([
      'AGE_OUT_OF_RANGE', 'CITIZENSHIP_NOT_ALLOWED', 'HOUSEHOLD_INCOME_ABOVE_THRESHOLD', 'COURSE_MQF_LEVEL_OUT_OF_RANGE', 'ALREADY_FUNDED_FOR_COURSE',
    ]);
    expect(result).toMatchObject({ eligible: false, coveredSen: 0, coPaymentSen: 120_000 });
  });

  it('treats income exactly at the threshold as within B40, and an undeclared income as a reason', () => {
    expect(evaluate(b40Row(), { ...consenting, monthlyIncomeSen: 485_000 }, '2026-06-01').eligible).toBe(true);
    expect(evaluate(b40Row(), { ...consenting, monthlyIncomeSen: null }, '2026-06-01').reasons.map((r) => r.code)).toEqual(['INCOME_NOT_DECLARED']);
  });

  it('says the scheme is not open outside its window, and asks for a course when a rule needs one', () => {
    const result = evaluate(b40Row(), { ...consenting, course: null }, '2027-01-01');
    expect(result.reasons.map((r) => r.code)).toEqual(['SCHEME_NOT_OPEN', 'COURSE_REQUIRED']);
    expect(result).toMatchObject({ coveredSen: null, coPaymentSen: null });
  });

  describe('EMPLOYED_BY_LEVY_PAYER, from the levy HRD Corp recorded', () => {
    const hrdRow = (rules: Array<Record<string, unknown>> = [{ kind: 'EMPLOYED_BY_LEVY_PAYER' }]) =>
      ({ ...schemes.hrdCorpMicroCredential, rules, committedSen: 0, createdAt: new Date() }) as Parameters<typeof evaluate>[0];
    const employedBy = (lastLevyPaidMonth: string | null): EligibilityInputs => ({ ...consenting, employer: { lastLevyPaidMonth }, course: null });
    const levyReasons = (inputs: EligibilityInputs, rules?: Array<Record<string, unknown>>) =>
      evaluate(hrdRow(rules), inputs, '2026-06-10').reasons.filter((r) => r.code === 'NOT_EMPLOYED_BY_LEVY_PAYER').map((r) => r.message);

    it('counts an employer with a payment for one of the last three complete months, or paid ahead for this one', () => {
      for (const month of ['2026-03', '2026-05', '2026-06']) expect(levyReasons(employedBy(`${month}-01`))).toEqual([]);
    });

    it('says what is missing when the last payment is older, or there is none', () => {
      const missing = ["No HRD Corp levy payment is recorded for the learner's current employer in the last 3 months (for 2026-03 or later)."];
      expect(levyReasons(employedBy('2026-02-01'))).toEqual(missing);
      expect(levyReasons(employedBy(null))).toEqual(missing);
    });

    it('tells a learner with no confirmed current employment apart', () => {
      expect(levyReasons({ ...consenting, employer: null, course: null })).toEqual([
        'Not currently employed (employment confirmed by the learner) by an employer that pays the HRD Corp levy.',
      ]);
    });

    it("takes the scheme's own window when it names one", () => {
      const lastMonthOnly = [{ kind: 'EMPLOYED_BY_LEVY_PAYER', paidWithinMonths: 1 }];
      expect(levyReasons(employedBy('2026-05-01'), lastMonthOnly)).toEqual([]);
      expect(levyReasons(employedBy('2026-04-01'), lastMonthOnly)).toEqual([
        "No HRD Corp levy payment is recorded for the learner's current employer in the last month (for 2026-05 or later).",
      ]);
    });
  });

  it('evaluates nothing without consent', () => {
    expect(evaluate(b40Row(), { ...consenting, consentedToEligibility: false }, '2026-06-01')).toMatchObject({
      eligible: false, consentRequired: true, reasons: [{ code: 'CONSENT_REQUIRED' }], coveredSen: null,
    });
  });
});

const ENTITIES = `query($r: [_Any!]!, $scheme: ID!) { _entities(representations: $r) { ... on Learner { eligibility(schemeId: $scheme) { eligible consentRequired reasons { code } } } } }`;
const representation = (i: number, employed: boolean) => ({
  __typename: 'Learner',
  id: demoId(`learner:bulk:${i}`),
  eligibilityInputs: { dateOfBirth: '2005-05-01', citizenship: 'MALAYSIAN' },
  consentedScopes: ['PERSONAL', 'ELIGIBILITY'],
  eligibilityEmployer: employed ? { id: employers.software.id } : null,
});

describe('eligibility for many learners', () => {
  async function statementsFor(count: number) {
    const { statements, result: data } = await graph.statementsDuring(() =>
      graph.client.ok(ENTITIES, { as: b40Officer, variables: { scheme: schemes.b40Bursary.id, r: Array.from({ length: count }, (_, i) => representation(i, i % 2 === 0)) } }),
    );
    return { statements, answers: data._entities };
  }

  it('evaluates 10 or 2,000 learners in the same number of SQL statements', async () => {
    const small = await statementsFor(10);
    const large = await statementsFor(2_000);
    expect(large.answers).toHaveLength(2_000);
    expect(large.answers[0].eligibility.reasons.map((r: { code: string }) => r.code)).toEqual(['INCOME_NOT_DECLARED', 'COURSE_REQUIRED']);
    // The officer's staff account, the scheme, then the income declarations of the whole batch.
    expect([small.statements, large.statements]).toEqual([3, 3]);
  });

  it("checks 10 or 2,000 learners' employers against HRD Corp's levy records in the same number of SQL statements", async () => {
    const employees = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ ...representation(i, true), eligibilityEmployer: { id: i === 0 ? employers.software.id : demoId(`employer:bulk:${i}`) } }));
    const ask = (count: number) =>
      graph.statementsDuring(() => graph.client.ok(ENTITIES, { as: 'FUNDER', variables: { scheme: schemes.hrdCorpMicroCredential.id, r: employees(count) } }));
    const small = await ask(10);
    const large = await ask(2_000);
    const reasons = (large.result._entities as Array<{ eligibility: { reasons: Array<{ code: string }> } }>).map((e) => e.eligibility.reasons.map((r) => r.code));
    // The software company pays its levy every month; nobody recorded any for the 1,999 others.
    expect(reasons[0]).toEqual(['COURSE_REQUIRED']);
    expect(reasons.slice(1).every((codes) => codes.join() === 'NOT_EMPLOYED_BY_LEVY_PAYER,COURSE_REQUIRED')).toBe(true);
    // The officer's staff account, the scheme, then the last paid month of every employer in the batch.
    expect([small.statements, large.statements]).toEqual([3, 3]);
  });

  it("reads no income declared to another funder: its rule is withheld alike for every learner, declared or not", async () => {
    const { statements, result } = await graph.statementsDuring(() =>
      graph.client.ok(ENTITIES, { as: 'FUNDER', variables: { scheme: schemes.b40Bursary.id, r: [representation(1, true), representation(2, false)] } }),
    );
    expect(result._entities.map((e: { eligibility: { reasons: Array<{ code: string }> } }) => e.eligibility.reasons.map((r) => r.code))).toEqual([
      ['PERSONAL_DATA_WITHHELD', 'COURSE_REQUIRED'],
      ['PERSONAL_DATA_WITHHELD', 'COURSE_REQUIRED'],
    ]);
    // The officer's staff account and the scheme only: nobody's declarations are even read.
    expect(statements).toBe(2);
  });

  it('answers NOT_FOUND for an unknown scheme and BAD_USER_INPUT for a malformed one', async () => {
    const r = [representation(1, true)];
    expect(codesOf(await graph.client.query(ENTITIES, { as: 'FUNDER', variables: { r, scheme: demoId('scheme:none') } }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await graph.client.query(ENTITIES, { as: 'FUNDER', variables: { r, scheme: 'HRDC' } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('needs a signed-in viewer, and refuses representations from anyone but the gateway', async () => {
    const variables = { r: [representation(1, true)], scheme: schemes.hrdCorpMicroCredential.id };
    expect(codesOf(await graph.client.query(ENTITIES, { variables }))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await graph.direct.query(ENTITIES, { as: 'FUNDER', variables }))).toEqual(['FORBIDDEN']);
  });

  it('checks the employer rule from the employment the representation carries, and asks for a course', async () => {
    const data = await graph.client.ok(ENTITIES, { as: 'FUNDER', variables: { r: [representation(1, true), representation(2, false)], scheme: schemes.hrdCorpMicroCredential.id } });
    expect(data._entities.map((e: { eligibility: { reasons: Array<{ code: string }> } }) => e.eligibility.reasons.map((r) => r.code))).toEqual([
      ['COURSE_REQUIRED'],
      ['NOT_EMPLOYED_BY_LEVY_PAYER', 'COURSE_REQUIRED'],
    ]);
  });
});
