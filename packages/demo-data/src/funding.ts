import { bdseCourses, btelEssentialCourses, btelFurtherCourses, courseId, providers } from './catalogue.ts';
import { demoId } from './ids.ts';
import { employers, funders, schemes } from './organisations.ts';
import { learnerByKey } from './people.ts';

export interface DemoCourseApproval {
  id: string;
  schemeId: string;
  courseId: string;
  providerId: string;
  status: 'PENDING' | 'APPROVED' | 'REJECTED';
  submittedBy: string;
  submittedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
}

const HRDC = schemes.hrdCorpMicroCredential.id;
const REGISTRAR = 'staff:utn:registrar';
const OFFICER = 'officer:hrdcorp';

/** HRD Corp approved the BDSE cloud and DevOps courses for its grant (faizal's employer trains on them). */
export const approvedHrdCorpCourses = ['SE2201', 'SE2202'] as const;

/**
 * HRD Corp's course approval queue: two approvals, one rejection, and the
 * whole BTEL programme (21 courses) still pending, enough to page through.
 */
export const courseApprovals: DemoCourseApproval[] = [
  ...approvedHrdCorpCourses.map((code, i) => ({
    id: demoId(`course-approval:hrdc:${code}`),
    schemeId: HRDC,
    courseId: courseId(code),
    providerId: providers.odl.id,
    status: 'APPROVED' as const,
    submittedBy: REGISTRAR,
    submittedAt: `2026-01-0${5 + i}T02:00:00.000Z`,
    decidedBy: OFFICER,
    decidedAt: `2026-01-2${i}T06:00:00.000Z`,
    reason: 'Meets the HRD Corp micro-credential criteria; fee within the published ceiling.',
  })),
  {
    id: demoId('course-approval:hrdc:SE2302'),
    schemeId: HRDC,
    courseId: courseId('SE2302'),
    providerId: providers.odl.id,
    status: 'REJECTED',
    submittedBy: REGISTRAR,
    submittedAt: '2026-01-07T02:00:00.000Z',
    decidedBy: OFFICER,
    decidedAt: '2026-01-22T06:00:00.000Z',
    reason: 'Project management is outside the technical skills the 2026 grant targets.',
  },
  ...[...btelEssentialCourses, ...btelFurtherCourses].map((course, i) => ({
    id: demoId(`course-approval:hrdc:${course.code}`),
    schemeId: HRDC,
    courseId: course.id,
    providerId: providers.odl.id,
    status: 'PENDING' as const,
    submittedBy: REGISTRAR,
    submittedAt: new Date(Date.UTC(2026, 2, 2, 2, i)).toISOString(),
    decidedBy: null,
    decidedAt: null,
    reason: null,
  })),
];

/** A course HRD Corp never approved, for tests: the first BDSE course. */
export const unapprovedHrdCorpCourse = bdseCourses[0]![0]!;

export interface DemoLevyPayment {
  id: string;
  employerId: string;
  /** The month paid for, YYYY-MM (Malaysian calendar). */
  month: string;
  amountSen: number;
  recordedBy: string;
  recordedAt: string;
}

export interface DemoLevyAccount {
  employerId: string;
  balanceSen: number;
}

/**
 * What each HRD Corp-registered demo employer pays a month: 1% of its monthly
 * wages (120 staff at about RM 4,000; 850 at about RM 3,700). The café is not
 * registered and pays nothing.
 */
const MONTHLY_LEVY_SEN: ReadonlyArray<[employerId: string, amountSen: number]> = [
  [employers.software.id, 480_000],
  [employers.electronics.id, 3_125_000],
];

/** How many months of levy the demo employers have paid: the complete months before now, the latest last month. */
export const DEMO_LEVY_MONTHS = 10;

const MALAYSIA_OFFSET_MS = 8 * 3_600_000;

/** The month `back` months before the current one in Malaysia (UTC+8), as YYYY-MM. */
function malaysianMonthBefore(now: Date, back: number): string {
  const local = new Date(now.getTime() + MALAYSIA_OFFSET_MS);
  const index = local.getUTCFullYear() * 12 + local.getUTCMonth() - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * HRD Corp's records of the registered demo employers' levy: one payment a
 * month for each of the DEMO_LEVY_MONTHS complete months before `now`, each
 * recorded on the 5th of the month after (09:00 in Malaysia), or now if that
 * is still ahead. Relative to the clock, so the demo employers always count
 * as levy payers (EMPLOYED_BY_LEVY_PAYER looks at the last months);
 * otherwise the same on every run.
 */
export function levyPaymentsBefore(now: Date): DemoLevyPayment[] {
  return MONTHLY_LEVY_SEN.flatMap(([employerId, amountSen]) =>
    Array.from({ length: DEMO_LEVY_MONTHS }, (_, i) => {
      const month = malaysianMonthBefore(now, DEMO_LEVY_MONTHS - i);
      const recorded = new Date(`${malaysianMonthBefore(now, DEMO_LEVY_MONTHS - i - 1)}-05T01:00:00.000Z`);
      return {
        id: demoId(`levy:${employerId}:${month}`),
        employerId,
        month,
        amountSen,
        recordedBy: OFFICER,
        recordedAt: (recorded < now ? recorded : now).toISOString(),
      };
    }),
  );
}

/** The demo levy payments, as of when the demo data was loaded. */
export const levyPayments: DemoLevyPayment[] = levyPaymentsBefore(new Date());

/** The registered employers' levy accounts: each balance is the sum of its payments (no grant drawn yet). */
export const levyAccounts: DemoLevyAccount[] = MONTHLY_LEVY_SEN.map(([employerId]) => ({
  employerId,
  balanceSen: levyPayments.filter((p) => p.employerId === employerId).reduce((sum, p) => sum + p.amountSen, 0),
}));

export interface DemoIncomeDeclaration {
  id: string;
  learnerId: string;
  /** The funder it was declared to: only that funder's eligibility checks read it. */
  funderId: string;
  monthlyIncomeSen: number;
  evidenceReference: string;
  declaredAt: string;
}

/** Aisyah's household earns RM 3,200 a month: inside B40 (threshold RM 4,850), declared to the B40 aid fund. */
export const incomeDeclarations: DemoIncomeDeclaration[] = [
  {
    id: demoId('income:aisyah'),
    learnerId: learnerByKey('aisyah').id,
    funderId: funders.b40.id,
    monthlyIncomeSen: 320_000,
    evidenceReference: 'LHDN-BE-2025-060314105522',
    declaredAt: '2026-01-15T00:00:00.000Z',
  },
];

/** HRD Corp's draft scheme for 2028, unpublished: seen only by HRD Corp staff and administrators. */
export const unpublishedScheme = {
  ...schemes.hrdCorpMicroCredential,
  id: demoId('scheme:hrdc-mc-2028-draft'),
  code: 'HRDC-MC-2028',
  name: 'HRD Corp Micro-credential Training Grant 2028',
  validFrom: '2028-01-01',
  validUntil: '2028-12-31',
  published: false,
} as const;
