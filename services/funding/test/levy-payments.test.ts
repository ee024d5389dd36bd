import { approvedHrdCorpCourses, courseId, DEMO_LEVY_MONTHS, demoId, employers, funders, learnerByKey, levyPayments, schemes } from '@tauliah/demo-data';
import { codesOf } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentMonthInMalaysia, monthsBefore } from '../src/calendar.ts';

let graph: TestGraph;
const aisyah = learnerByKey('aisyah');
const asAisyah = { role: 'LEARNER', sub: aisyah.id } as const;
const hrdCorpAdmin = 'FUNDER' as const;
const hrdCorpOfficer = { role: 'FUNDER', sub: 'officer:hrdcorp:claims', funderId: funders.hrdCorp.id } as const;
const b40Officer = { role: 'FUNDER', sub: 'officer:b40', funderId: funders.b40.id } as const;
const cafeOwner = { role: 'EMPLOYER', sub: 'staff:kopi:owner', employerId: employers.cafe.id } as const;
const cafe = employers.cafe.id;
const thisMonth = currentMonthInMalaysia();
const monthsAgo = (n: number) => monthsBefore(thisMonth, n);

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const RECORD = `mutation($input: RecordLevyPaymentInput!, $key: String) {
  recordLevyPayment(input: $input, idempotencyKey: $key) { id month amountSen recordedBy recordedAt employer { id name } }
}`;
const LEVY = `query($id: ID!, $first: Int, $after: String) {
  employer(id: $id) { levyAccount { balanceSen lastPaidMonth payments(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id month amountSen recordedBy } } } } }
}`;
const HRDC_ELIGIBILITY = `query($scheme: ID!, $course: ID) { me { eligibility(schemeId: $scheme, courseId: $course) { eligible reasons { code message } } } }`;

const record = (as: unknown, input: Record<string, unknown>, key?: string) => graph.gateway.query(RECORD, { as: as as typeof hrdCorpAdmin, variables: { input, key } });
const entriesOf = async (employerId: string) =>
  (await graph.connection.query<{ n: number }>(`select count(*)::int as n from funding.levy_entry where employer_id = $1`, [employerId]))[0]!.n;
/** The balance as the ledger has it, and as the entries add up. */
async function ledger(employerId: string) {
  const [row] = await graph.connection.query<{ balance: string; paid: string; drawn: string }>(
    `select (select balance_sen from funding.levy_account where employer_id = $1) as balance,
            (select coalesce(sum(amount_sen), 0) from funding.levy_entry where employer_id = $1 and kind = 'LEVY_PAID') as paid,
            (select coalesce(sum(amount_sen), 0) from funding.levy_entry where employer_id = $1 and kind = 'GRANT_DRAWN') as drawn`,
    [employerId],
  );
  return { balance: Number(row!.balance), fromEntries: Number(row!.paid) - Number(row!.drawn) };
}
const hrdEligibilityOfAisyah = async () =>
  (await graph.gateway.ok(HRDC_ELIGIBILITY, { as: asAisyah, variables: { scheme: schemes.hrdCorpMicroCredential.id, course: courseId(approvedHrdCorpCourses[0]) } })).me.eligibility as {
    eligible: boolean;
    reasons: Array<{ code: string; message: string }>;
  };

describe('EMPLOYED_BY_LEVY_PAYER, from the payments HRD Corp records', () => {
  it('turns eligible once HRD Corp records a recent payment by her employer, and not for an old one', async () => {
    expect((await hrdEligibilityOfAisyah()).reasons).toEqual([
      { code: 'NOT_EMPLOYED_BY_LEVY_PAYER', message: 'Not currently employed (employment confirmed by the learner) by an employer that pays the HRD Corp levy.' },
    ]);

    // Aisyah takes a job at the café and confirms it (written as the employers service keeps it: its own tests cover recording).
    await graph.connection.query(
      `insert into employers.employment (id, learner_id, employer_id, job_title, since, confirmed_by_learner) values ($1, $2, $3, 'Barista', '2026-01-05', true)`,
      [demoId('employment:aisyah:cafe'), aisyah.id, cafe],
    );
    const missing = [{ code: 'NOT_EMPLOYED_BY_LEVY_PAYER', message: `No HRD Corp levy payment is recorded for the learner's current employer in the last 3 months (for ${monthsAgo(3)} or later).` }];
    expect((await hrdEligibilityOfAisyah()).reasons).toEqual(missing);

    // A payment from half a year ago does not make the café a levy payer now.
    expect(codesOf(await record(hrdCorpAdmin, { employerId: cafe, month: monthsAgo(6), amountSen: 30_000 }))).toEqual([]);
    expect((await hrdEligibilityOfAisyah()).reasons).toEqual(missing);

    expect(codesOf(await record(hrdCorpAdmin, { employerId: cafe, month: monthsAgo(1), amountSen: 150_000 }, 'kopi-levy-last-month'))).toEqual([]);
    expect(await hrdEligibilityOfAisyah()).toEqual({ eligible: true, reasons: [] });
  });

  it('keeps the demo employees eligible: their employers paid every month before now', async () => {
    const faizal = learnerByKey('faizal');
    const data = await graph.gateway.ok(HRDC_ELIGIBILITY, { as: { role: 'LEARNER', sub: faizal.id }, variables: { scheme: schemes.hrdCorpMicroCredential.id, course: courseId(approvedHrdCorpCourses[0]) } });
    expect(data.me.eligibility).toEqual({ eligible: true, reasons: [] });
  });
});

describe('recording a levy payment', () => {
  it('opens the levy account with the first payment, lists it and keeps the balance from the entries', async () => {
    const data = await graph.gateway.ok(LEVY, { as: cafeOwner, variables: { id: cafe } });
    expect(data.employer.levyAccount).toEqual({
      balanceSen: 180_000,
      lastPaidMonth: monthsAgo(1),
      payments: {
        totalCount: 2,
        pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
        edges: [
          { node: { id: expect.any(String), month: monthsAgo(1), amountSen: 150_000, recordedBy: 'officer:hrdcorp' } },
          { node: { id: expect.any(String), month: monthsAgo(6), amountSen: 30_000, recordedBy: 'officer:hrdcorp' } },
        ],
      },
    });
    expect(await ledger(cafe)).toEqual({ balance: 180_000, fromEntries: 180_000 });
  });

  it("answers the payment with the employer's name, for any HRD Corp officer, in whole sen beyond 32 bits", async () => {
    const response = await record(hrdCorpOfficer, { employerId: cafe, month: thisMonth, amountSen: 3_000_000_000 });
    expect(response.data?.recordLevyPayment).toEqual({
      id: expect.any(String), month: thisMonth, amountSen: 3_000_000_000, recordedBy: 'officer:hrdcorp:claims', recordedAt: expect.any(String),
      employer: { id: cafe, name: employers.cafe.name },
    });
    expect(await ledger(cafe)).toEqual({ balance: 3_000_180_000, fromEntries: 3_000_180_000 });
  });

  it('answers a retry with the same idempotencyKey with the payment it recorded, once', async () => {
    const input = { employerId: cafe, month: monthsAgo(2), amountSen: 140_000 };
    const first = (await record(hrdCorpAdmin, input, 'kopi-levy-2')).data!.recordLevyPayment;
    const before = await entriesOf(cafe);
    const retries = await Promise.all([record(hrdCorpAdmin, input, 'kopi-levy-2'), record(hrdCorpAdmin, input, 'kopi-levy-2')]);
    expect(retries.map((r) => r.data?.recordLevyPayment?.id)).toEqual([first.id, first.id]);
    expect(await entriesOf(cafe)).toBe(before);
    // The key names that payment: reusing it for another is refused.
    const reused = await record(hrdCorpAdmin, { ...input, amountSen: 141_000 }, 'kopi-levy-2');
    expect(codesOf(reused)).toEqual(['CONFLICT']);
    expect(reused.errors![0]!.message).toContain(first.id);
  });

  it('refuses a second payment for the same employer and month, naming the first, however it is sent', async () => {
    const before = await ledger(cafe);
    const [first] = await graph.connection.query<{ id: string }>(`select id from funding.levy_entry where employer_id = $1 and month = $2`, [cafe, `${monthsAgo(1)}-01`]);
    for (const key of [undefined, 'kopi-levy-last-month-again']) {
      const again = await record(hrdCorpOfficer, { employerId: cafe, month: monthsAgo(1), amountSen: 150_000 }, key);
      expect(codesOf(again)).toEqual(['CONFLICT']);
      expect(again.errors![0]!.message).toContain(`levy payment ${first!.id}`);
      expect(again.errors![0]!.extensions).toMatchObject({ reason: 'LEVY_ALREADY_RECORDED_FOR_MONTH', levyPaymentId: first!.id, month: monthsAgo(1) });
    }
    // Racing payments for one month: one is recorded, the others are refused, and the balance counts it once.
    const month = monthsAgo(4);
    const raced = await Promise.all(Array.from({ length: 5 }, (_, i) => record(hrdCorpAdmin, { employerId: cafe, month, amountSen: 100_000 + i }, `race-${i}`)));
    expect(raced.filter((r) => r.data?.recordLevyPayment).length).toBe(1);
    expect(raced.flatMap(codesOf).sort()).toEqual(Array(4).fill('CONFLICT'));
    const after = await ledger(cafe);
    expect(after.balance - before.balance).toBeGreaterThanOrEqual(100_000);
    expect(after.balance - before.balance).toBeLessThanOrEqual(100_004);
    expect(after.balance).toBe(after.fromEntries);
  });

  it.each([
    ['a month ahead', { month: monthsBefore(thisMonth, -1) }, 'input.month'],
    ['a month before the levy began', { month: '1992-12' }, 'input.month'],
    ['a month that is not one', { month: '2026-13' }, 'input.month'],
    ['a date instead of a month', { month: '2026-03-01' }, 'input.month'],
    ['no money', { amountSen: 0 }, 'input.amountSen'],
    ['negative money', { amountSen: -150_000 }, 'input.amountSen'],
    ['an employer id that is not a UUID', { employerId: 'kopi-digital' }, 'input.employerId'],
  ])('refuses %s as BAD_USER_INPUT, recording nothing', async (_what, change, field) => {
    const before = await ledger(cafe);
    const response = await record(hrdCorpAdmin, { employerId: cafe, month: monthsAgo(5), amountSen: 120_000, ...change });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect((response.errors![0]!.extensions!.problems as Array<{ field: string }>).map((p) => p.field)).toEqual([field]);
    expect(await ledger(cafe)).toEqual(before);
  });

  it('refuses sen with a fraction before anything runs', async () => {
    expect(codesOf(await record(hrdCorpAdmin, { employerId: cafe, month: monthsAgo(5), amountSen: 1200.5 }))).toEqual(['BAD_USER_INPUT']);
  });

  it('is refused to anyone but HRD Corp officers, leaving nothing behind', async () => {
    const input = { employerId: cafe, month: monthsAgo(5), amountSen: 120_000 };
    const before = await entriesOf(cafe);
    for (const who of [b40Officer, cafeOwner, 'EMPLOYER', 'PARTNER', 'LEARNER', 'PROVIDER_STAFF', 'ADMIN'] as const) {
      expect(codesOf(await record(who, input)), JSON.stringify(who)).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await record(undefined, input))).toEqual(['UNAUTHENTICATED']);
    expect(await entriesOf(cafe)).toBe(before);
  });

  it('is refused to an officer HRD Corp removed', async () => {
    const removed = { role: 'FUNDER', sub: 'officer:hrdcorp:levy', funderId: funders.hrdCorp.id } as const;
    await graph.gateway.ok(
      `mutation { addFunderStaff(input: { subject: "officer:hrdcorp:levy", name: "Levy Desk", email: "levy@hrdcorp.example.gov.my", kind: PERSON, role: STAFF }) { subject } }`,
      { as: hrdCorpAdmin },
    );
    expect(codesOf(await record(removed, { employerId: cafe, month: monthsAgo(7), amountSen: 120_000 }))).toEqual([]);
    await graph.gateway.ok(`mutation { removeFunderStaff(subject: "officer:hrdcorp:levy") { subject } }`, { as: hrdCorpAdmin });
    const before = await entriesOf(cafe);
    expect(codesOf(await record(removed, { employerId: cafe, month: monthsAgo(8), amountSen: 120_000 }))).toEqual(['FORBIDDEN']);
    expect(await entriesOf(cafe)).toBe(before);
  });

  it('records under an id no employer has, as documented, and the answer shows it', async () => {
    const typo = demoId('employer:kopi-typo');
    const response = await record(hrdCorpAdmin, { employerId: typo, month: monthsAgo(1), amountSen: 150_000 });
    expect(codesOf(response)).toEqual([]);
    expect(response.data?.recordLevyPayment).toMatchObject({ month: monthsAgo(1), employer: null });
    expect(await ledger(typo)).toEqual({ balance: 150_000, fromEntries: 150_000 });
  });
});

describe("a levy account's payments", () => {
  const electronics = employers.electronics.id;
  const electronicsAdmin = { role: 'EMPLOYER', sub: 'staff:elektronik:hr', employerId: electronics } as const;

  it('page newest month first, and the seeded balance is the sum of the seeded payments', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const data: Record<string, any> = await graph.gateway.ok(LEVY, { as: electronicsAdmin, variables: { id: electronics, first: 4, after } });
      const account = data.employer.levyAccount;
      expect(account.payments.totalCount).toBe(DEMO_LEVY_MONTHS);
      expect(account.lastPaidMonth).toBe(monthsAgo(1));
      seen.push(...account.payments.edges.map((e: { node: { month: string } }) => e.node.month));
      after = account.payments.pageInfo.hasNextPage ? account.payments.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: DEMO_LEVY_MONTHS }, (_, i) => monthsAgo(i + 1)));
    const seeded = levyPayments.filter((p) => p.employerId === electronics).reduce((sum, p) => sum + p.amountSen, 0);
    expect(await ledger(electronics)).toEqual({ balance: seeded, fromEntries: seeded });
  });

  it("are read by the employer's own staff, HRD Corp and administrators only", async () => {
    for (const who of [electronicsAdmin, hrdCorpAdmin, hrdCorpOfficer, 'ADMIN'] as const) {
      expect(codesOf(await graph.gateway.query(LEVY, { as: who, variables: { id: electronics, first: 1 } })), JSON.stringify(who)).toEqual([]);
    }
    for (const who of ['EMPLOYER', b40Officer, 'LEARNER', 'PROVIDER_STAFF'] as const) {
      expect(codesOf(await graph.gateway.query(LEVY, { as: who, variables: { id: electronics, first: 1 } })), JSON.stringify(who)).toEqual(['FORBIDDEN']);
    }
  });

  it('refuses a cursor from another list', async () => {
    expect(codesOf(await graph.gateway.query(LEVY, { as: electronicsAdmin, variables: { id: electronics, after: 'nope' } }))).toEqual(['BAD_USER_INPUT']);
    const foreign = Buffer.from(JSON.stringify(['Lim', 'x'])).toString('base64url');
    expect(codesOf(await graph.gateway.query(LEVY, { as: electronicsAdmin, variables: { id: electronics, after: foreign } }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('claims', () => {
  it("draw on the balance the payments made, and the balance stays the entries' sum", async () => {
    const before = await ledger(cafe);
    const claim = await graph.gateway.ok(
      `mutation($input: ClaimHrdCorpGrantInput!) { claimHrdCorpGrant(input: $input) { id amountSen } }`,
      { as: cafeOwner, variables: { input: { schemeId: schemes.hrdCorpMicroCredential.id, learnerId: aisyah.id, courseId: courseId(approvedHrdCorpCourses[0]) } } },
    );
    await graph.gateway.ok(`mutation($id: ID!) { decideApplication(id: $id, decision: APPROVE, reason: "Approved course; levy balance sufficient.") { status } }`, {
      as: hrdCorpAdmin,
      variables: { id: claim.claimHrdCorpGrant.id },
    });
    const after = await ledger(cafe);
    expect(after).toEqual({ balance: before.balance - claim.claimHrdCorpGrant.amountSen, fromEntries: before.balance - claim.claimHrdCorpGrant.amountSen });
    const account = await graph.gateway.ok(LEVY, { as: cafeOwner, variables: { id: cafe } });
    expect(account.employer.levyAccount.balanceSen).toBe(after.balance);
  });
});
