import { todayInMalaysia } from '@tauliah/core';
import { funders, funderStaff, schemes as demoSchemes, type DemoScheme } from '@tauliah/demo-data';
import type { NationalDataSet } from './dataset.ts';
import { levyPaymentsOf, malaysianMonthBefore } from './employment.ts';
import { nationalId, nationalNumber } from './ids.ts';
import { Random } from './random.ts';

/*
 * Proportions of the national funding data. They are assumptions about the synthetic set, not published statistics;
 * their basis is the set's own shape and what DOMAIN.md states.
 * - Claims: HRD Corp claims are made by levy-paying employers for their own employees. One in ten of the learners
 *   employed now (confirmed) by an employer that paid its levy in the last quarter has one (about 24,500 at scale 1):
 *   every national learner holds micro-credentials someone paid for, and a levy payer claims from what it paid in.
 * - B40 applications: B40 is by definition the bottom 40% of households, so four in ten of the learners the bursaries
 *   are open to (citizens aged 17 to 35) come from B40 households; one in five of those applies, 8% of the open
 *   learners (about 34,000 at scale 1). A learner with a claim does not also apply.
 * - Decisions on both: 70% approved, 10% rejected, 20% still pending (the pending ones submitted in the last two
 *   months). An approval that would overdraw the employer's levy balance or the scheme's budget is rejected instead,
 *   as approving it through the graph would be refused.
 * - Course approvals: HRD Corp's queue at its 2022 size (13,224 pending, 11,493 approved; DOMAIN.md), scaled like the
 *   rest, over the courses of the providers registered with HRD Corp, one record per scheme and course. The approved
 *   ones were submitted over the three years before the load and decided 1–6 weeks later; the pending backlog over
 *   the last two years.
 */
const CLAIM_RATE = 0.1;
const B40_APPLICATION_RATE = 0.4 * 0.2;
const PENDING = 0.2;
const REJECTED = 0.1;
/** Approved applications decided more than this long ago have been paid out in full (a DISBURSEMENT). */
const PAID_AFTER_DAYS = 30;
/** The eligibility rule's default: a payment for one of the last three months makes a levy payer (funding's rules.ts). */
const LEVY_PAID_WITHIN_MONTHS = 3;

const DAY = 86_400_000;
const HRD_CORP_THEMES = ['Manufacturing', 'Digital Economy', 'Construction', 'Logistics', 'Healthcare', 'Hospitality', 'Financial Services', 'Electrical and Electronics', 'Agriculture', 'Oil and Gas', 'Retail', 'Automotive'];
const B40_FIELDS = ['Digital Skills', 'Technical and Vocational', 'Healthcare Support', 'Creative Industries', 'Agrotechnology', 'Tourism', 'Early Childhood', 'Green Jobs', 'Entrepreneurship', 'Languages', 'Caregiving', 'Maritime'];

type Status = 'PENDING' | 'APPROVED' | 'REJECTED';

/** A scheme as the demo's are, with what its approved applications commit of its budget, as the budget ledger keeps it. */
export interface NationalScheme extends Omit<DemoScheme, 'rules'> {
  rules: ReadonlyArray<Record<string, unknown>>;
  committedSen: number;
}

interface Decided {
  id: string;
  schemeId: string;
  courseId: string;
  status: Status;
  submittedBy: string;
  submittedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
}

export interface NationalCourseApproval extends Decided {
  providerId: string;
}

export interface NationalApplication extends Decided {
  kind: 'B40_AID' | 'HRD_CORP_CLAIM';
  learnerId: string;
  employerId: string | null;
  declaredHouseholdIncomeSen: number | null;
  evidenceReference: string | null;
  amountSen: number;
}

const officerOf = (funderId: string) => funderStaff.find((s) => s.organisationId === funderId && s.role === 'ADMIN')!.subject;
const providerAdmin = (providerId: string) => `staff:national:provider:${nationalNumber(providerId)}:admin`;
const employerAdmin = (employerId: string) => `staff:national:${nationalNumber(employerId)}:admin`;

/** What a scheme pays towards a fee, as funding's eligibility computes it: the fee less the co-payment, rounded down, capped per learner. */
const coveredSen = (scheme: NationalScheme, feeSen: number) => Math.min(Math.floor((feeSen * (100 - scheme.coPaymentPercent)) / 100), scheme.perLearnerCapSen);

/** Whole years between a YYYY-MM-DD birth date and a day, counting a birthday only once reached. */
function ageOn(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/**
 * The national funding data, as of `now`: the demo funders' national schemes (HRD Corp's grants and the B40 fund's
 * bursaries, with the demo schemes' rules), HRD Corp's course approval queue, the employers' claims and the B40
 * learners' applications with their decisions, and what follows from those decisions (budget commitments and
 * payments, grants drawn from levy accounts, income declared with the applications). Deterministic for a `now`.
 */
export function nationalFunding(data: NationalDataSet, now: Date) {
  const { sizes, seed } = data;
  const today = todayInMalaysia(now);
  const year = Number(today.slice(0, 4));
  const at = (ms: number) => new Date(Math.min(ms, now.getTime())).toISOString();
  const random = new Random(seed + 20);
  const between = (from: number, to: number) => from + Math.floor(random.next() * Math.max(0, to - from));

  // Open from three years back (the oldest submissions) to the end of next year, so eligibility finds them open today.
  const scheme = (kind: NationalScheme['kind'], k: number): NationalScheme => {
    const hrd = kind === 'HRD_CORP_GRANT';
    const model = hrd ? demoSchemes.hrdCorpMicroCredential : demoSchemes.b40Bursary;
    const theme = (hrd ? HRD_CORP_THEMES : B40_FIELDS)[(k - 1) % 12]!;
    return {
      id: nationalId('scheme', hrd ? k : sizes.hrdCorpSchemes + k),
      funderId: model.funderId,
      code: `${hrd ? 'HRDC-MC' : 'B40-MC'}-N${String(k).padStart(2, '0')}`,
      name: hrd ? `HRD Corp Micro-credential Grant: ${theme}` : `B40 Micro-credential Bursary: ${theme}`,
      description: `${model.description} National scheme for ${theme.toLowerCase()}.`,
      kind,
      budgetSen: hrd ? 2_000_000_000 : 1_000_000_000,
      perLearnerCapSen: model.perLearnerCapSen,
      coPaymentPercent: model.coPaymentPercent,
      validFrom: `${year - 3}-01-01`,
      validUntil: `${year + 1}-12-31`,
      published: true,
      rules: model.rules,
      committedSen: 0,
    };
  };
  const hrdSchemes = Array.from({ length: sizes.hrdCorpSchemes }, (_, i) => scheme('HRD_CORP_GRANT', i + 1));
  const b40Schemes = Array.from({ length: sizes.b40Schemes }, (_, i) => scheme('B40_AID', i + 1));
  const schemeById = new Map([...hrdSchemes, ...b40Schemes].map((s) => [s.id, s]));

  // HRD Corp's queue: courses of the providers registered with it, one record per scheme and course.
  const offers = [...data.courseOffers()];
  const feeOf = new Map(offers.map((o) => [o.course.id, o.feeSen]));
  const registered = new Set([...data.providers()].filter((p) => p.hrdCorpRegistered).map((p) => p.id));
  const approvable = offers.filter((o) => registered.has(o.course.providerId));
  const queued = sizes.approvedCourseApprovals + sizes.pendingCourseApprovals;
  if (queued > approvable.length * hrdSchemes.length * 0.9) throw new Error(`${queued} course approvals do not fit ${approvable.length} courses of ${hrdSchemes.length} schemes.`);
  const hrdOfficer = officerOf(funders.hrdCorp.id);
  const b40Officer = officerOf(funders.b40.id);
  const pairs = new Set<string>();
  const courseApprovals: NationalCourseApproval[] = [];
  for (let k = 0; k < queued; k++) {
    let offer = random.pick(approvable);
    let chosen = random.pick(hrdSchemes);
    while (pairs.has(`${chosen.id}|${offer.course.id}`)) [offer, chosen] = [random.pick(approvable), random.pick(hrdSchemes)];
    pairs.add(`${chosen.id}|${offer.course.id}`);
    const approved = k < sizes.approvedCourseApprovals;
    const submitted = approved ? between(now.getTime() - 3 * 365 * DAY, now.getTime() - 60 * DAY) : between(now.getTime() - 2 * 365 * DAY, now.getTime());
    const decided = approved ? submitted + random.int(7, 45) * DAY + random.int(0, 8 * 3_600_000) : null;
    courseApprovals.push({
      id: nationalId('courseApproval', k + 1),
      schemeId: chosen.id,
      courseId: offer.course.id,
      providerId: offer.course.providerId,
      status: approved ? 'APPROVED' : 'PENDING',
      submittedBy: providerAdmin(offer.course.providerId),
      submittedAt: at(submitted),
      decidedBy: approved ? hrdOfficer : null,
      decidedAt: decided === null ? null : at(decided),
      reason: approved ? 'Meets the HRD Corp micro-credential criteria; fee within the published ceiling.' : null,
    });
  }
  const approvedCourses = courseApprovals.filter((a) => a.status === 'APPROVED');

  // Levy: what each registered employer paid in, and whether it paid in the last quarter.
  const since = malaysianMonthBefore(now, LEVY_PAID_WITHIN_MONTHS);
  const levy = new Map<string, { balanceSen: number; paying: boolean }>();
  for (const employer of data.employers()) {
    const payments = levyPaymentsOf(employer, seed, now);
    if (payments.length) levy.set(employer.id, { balanceSen: payments.reduce((sum, p) => sum + p.amountSen, 0), paying: payments.at(-1)!.month >= since });
  }

  const applications: NationalApplication[] = [];
  /** A decision as the funder would make it: approval commits the scheme's budget and, for a claim, draws the levy. */
  const decide = (values: Omit<NationalApplication, 'id' | 'status' | 'submittedAt' | 'decidedBy' | 'decidedAt' | 'reason'>, earliest: number, officer: string) => {
    const roll = random.next();
    const status: Status = roll < PENDING ? 'PENDING' : roll < PENDING + REJECTED ? 'REJECTED' : 'APPROVED';
    const submitted = status === 'PENDING' ? between(Math.max(earliest, now.getTime() - 60 * DAY), now.getTime()) : between(earliest, now.getTime() - 15 * DAY);
    const decided = status === 'PENDING' ? null : submitted + random.int(1, 14) * DAY;
    const chosen = schemeById.get(values.schemeId)!;
    const account = values.employerId ? levy.get(values.employerId)! : null;
    let reason = status === 'REJECTED' ? (values.employerId ? 'The training records do not match the claim.' : 'The income evidence could not be verified.') : null;
    let final = status;
    if (status === 'APPROVED') {
      if (chosen.committedSen + values.amountSen > chosen.budgetSen) [final, reason] = ['REJECTED', "The scheme's remaining budget cannot cover this application."];
      else if (account && account.balanceSen < values.amountSen) [final, reason] = ['REJECTED', "The employer's levy balance cannot cover this claim."];
      else {
        chosen.committedSen += values.amountSen;
        if (account) account.balanceSen -= values.amountSen;
        reason = values.employerId ? 'Approved: an approved course for a current employee of a levy payer.' : 'Approved: household income within the B40 threshold.';
      }
    }
    applications.push({
      ...values,
      id: nationalId('application', applications.length + 1),
      status: final,
      submittedAt: at(submitted),
      decidedBy: decided === null ? null : officer,
      decidedAt: decided === null ? null : at(decided),
      reason,
    });
  };

  // Claims, for current employees of levy payers, on a course approved for an HRD Corp scheme, after its approval.
  const claimants = new Set<string>();
  for (const employment of data.employments()) {
    if (employment.until !== null || !levy.get(employment.employerId)?.paying || random.next() >= CLAIM_RATE) continue;
    const approval = random.pick(approvedCourses);
    claimants.add(employment.learnerId);
    decide(
      {
        schemeId: approval.schemeId,
        kind: 'HRD_CORP_CLAIM',
        learnerId: employment.learnerId,
        courseId: approval.courseId,
        employerId: employment.employerId,
        declaredHouseholdIncomeSen: null,
        evidenceReference: null,
        amountSen: coveredSen(schemeById.get(approval.schemeId)!, feeOf.get(approval.courseId)!),
        submittedBy: employerAdmin(employment.employerId),
      },
      // Claimed once the course was approved for the scheme: from an hour after.
      Date.parse(approval.decidedAt!) + 3_600_000,
      hrdOfficer,
    );
  }

  // B40 applications, by citizens aged 17–35 for courses at MQF levels 3–4 (the bursaries' rules), declaring an income within the line.
  const threshold = (demoSchemes.b40Bursary.rules.find((r) => r.kind === 'HOUSEHOLD_INCOME_AT_MOST') as { thresholdSen: number }).thresholdSen;
  const b40Offers = offers.filter((o) => o.course.mqfLevel !== null && o.course.mqfLevel >= 3 && o.course.mqfLevel <= 4);
  for (const learner of data.learners()) {
    if (claimants.has(learner.id) || learner.citizenship !== 'MALAYSIAN') continue;
    const age = ageOn(learner.dateOfBirth, today);
    if (age < 17 || age > 35 || random.next() >= B40_APPLICATION_RATE) continue;
    const offer = random.pick(b40Offers);
    const chosen = random.pick(b40Schemes);
    const income = random.int(800, Math.floor(threshold / 100)) * 100;
    decide(
      {
        schemeId: chosen.id,
        kind: 'B40_AID',
        learnerId: learner.id,
        courseId: offer.course.id,
        employerId: null,
        declaredHouseholdIncomeSen: income,
        evidenceReference: `LHDN-BE-${year - 1}-N${nationalNumber(learner.id)}`,
        amountSen: coveredSen(chosen, offer.feeSen),
        submittedBy: learner.id,
      },
      now.getTime() - 365 * DAY,
      b40Officer,
    );
  }

  const paidBefore = now.getTime() - PAID_AFTER_DAYS * DAY;
  return {
    schemes: [...hrdSchemes, ...b40Schemes],
    courseApprovals,
    applications,
    *schemeRows() {
      for (const s of this.schemes) {
        yield [s.id, s.funderId, s.code, s.name, s.description, s.kind, s.budgetSen, s.perLearnerCapSen, s.coPaymentPercent, s.validFrom, s.validUntil, s.published, JSON.stringify(s.rules), s.committedSen, now.toISOString()];
      }
    },
    *courseApprovalRows() {
      for (const a of courseApprovals) yield [a.id, a.schemeId, a.courseId, a.providerId, a.status, a.submittedBy, a.submittedAt, a.decidedBy, a.decidedAt, a.reason];
    },
    *applicationRows() {
      for (const a of applications) {
        yield [a.id, a.schemeId, a.kind, a.learnerId, a.courseId, a.employerId, a.declaredHouseholdIncomeSen, a.evidenceReference, a.amountSen, a.status, a.submittedBy, a.submittedAt, a.decidedBy, a.decidedAt, a.reason];
      }
    },
    /** The income each B40 applicant declared with the application, to the scheme's funder. */
    *incomeDeclarationRows() {
      let id = 0;
      for (const a of applications) {
        if (a.declaredHouseholdIncomeSen === null) continue;
        yield [nationalId('incomeDeclaration', ++id), a.learnerId, schemeById.get(a.schemeId)!.funderId, a.id, a.declaredHouseholdIncomeSen, a.evidenceReference, a.submittedAt];
      }
    },
    /** Each approval's commitment, and its payment in full once a month has passed since. */
    *budgetEntryRows() {
      let id = 0;
      for (const a of applications) {
        if (a.status !== 'APPROVED') continue;
        yield [nationalId('budgetEntry', ++id), a.schemeId, a.id, 'COMMITMENT', a.amountSen, a.decidedBy, a.decidedAt];
        const decided = Date.parse(a.decidedAt!);
        if (decided < paidBefore) yield [nationalId('budgetEntry', ++id), a.schemeId, a.id, 'DISBURSEMENT', a.amountSen, a.decidedBy, at(decided + PAID_AFTER_DAYS * DAY)];
      }
    },
    /** The grants approved claims drew from their employers' levy accounts. */
    *levyGrantRows() {
      let id = 0;
      for (const a of applications) {
        if (a.status === 'APPROVED' && a.employerId) yield [nationalId('levyGrant', ++id), a.employerId, a.id, 'GRANT_DRAWN', a.amountSen, a.decidedAt];
      }
    },
  };
}
