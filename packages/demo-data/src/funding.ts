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

export interface DemoLevyAccount {
  employerId: string;
  balanceSen: number;
}

/** Levy balances of the HRD Corp-registered employers (the café is not registered). */
export const levyAccounts: DemoLevyAccount[] = [
  { employerId: employers.software.id, balanceSen: 4_800_000 },
  { employerId: employers.electronics.id, balanceSen: 31_250_000 },
];

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
