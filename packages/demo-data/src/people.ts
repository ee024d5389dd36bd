import { bdseCourses, btelEssentialCourses, btelFurtherCourses, courseByCode, providers, type DemoCourse } from './catalogue.ts';
import { demoId } from './ids.ts';
import { employers, funders } from './organisations.ts';

export type Citizenship = 'MALAYSIAN' | 'PERMANENT_RESIDENT' | 'NON_CITIZEN';
export type Visibility = 'PRIVATE' | 'EMPLOYERS' | 'PUBLIC';

export interface DemoLearner {
  id: string;
  key: string;
  fullName: string;
  email: string;
  phone: string;
  dateOfBirth: string;
  citizenship: Citizenship;
  /** Only ever stored hashed; shown here because the demo set is fictional. */
  nric: string;
  state: string;
  /** The learner's choice to be found by their state in talent search (off unless they turned it on). */
  shareStateInTalentSearch: boolean;
  registeredByProviderId: string | null;
}

export interface DemoCredential {
  id: string;
  learnerId: string;
  courseId: string;
  providerId: string;
  issuedAt: string;
  expiresAt: string | null;
  visibility: Visibility;
}

export interface DemoConsent {
  id: string;
  learnerId: string;
  granteeKind: 'EMPLOYER' | 'FUNDER' | 'PROVIDER';
  granteeId: string;
  scopes: Array<'PROFILE' | 'CONTACT' | 'PERSONAL' | 'CREDENTIALS' | 'ELIGIBILITY'>;
  grantedAt: string;
  expiresAt: string;
}

export interface DemoEmployment {
  id: string;
  learnerId: string;
  employerId: string;
  jobTitle: string;
  since: string;
  confirmedByLearner: boolean;
}

interface Person {
  key: string;
  fullName: string;
  dateOfBirth: string;
  nric: string;
  state: string;
  citizenship?: Citizenship;
  enrolled?: boolean;
  /** The courses this learner has completed, in order. */
  completed: DemoCourse[];
  visibility?: Visibility;
  /** Lets employers find them by state in talent search; most learners with credentials employers see chose to. */
  sharesState?: boolean;
}

const bdseStages = (stages: number, extra = 0): DemoCourse[] => [
  ...bdseCourses.slice(0, stages).flat(),
  ...(bdseCourses[stages] ?? []).slice(0, extra),
];
const btelCourses = (count: number): DemoCourse[] => [...btelEssentialCourses, ...btelFurtherCourses].slice(0, count);
const code = (c: string): DemoCourse => courseByCode.get(c)!;

const people: Person[] = [
  // BDSE learners, one at every stage.
  { key: 'aisyah', fullName: 'Aisyah binti Rahman', dateOfBirth: '2006-03-14', nric: '060314-10-5522', state: 'Selangor', sharesState: true, completed: bdseStages(3, 1) },
  { key: 'daniel', fullName: 'Daniel Lim Wei Jie', dateOfBirth: '2009-02-01', nric: '090201-14-6011', state: 'Kuala Lumpur', completed: [] },
  { key: 'nurul', fullName: 'Nurul Huda binti Ismail', dateOfBirth: '2007-07-22', nric: '070722-03-5148', state: 'Kelantan', sharesState: true, completed: bdseStages(1) },
  { key: 'arjun', fullName: 'Arjun a/l Subramaniam', dateOfBirth: '2006-11-05', nric: '061105-08-6233', state: 'Perak', completed: bdseStages(2), visibility: 'PRIVATE' },
  { key: 'meiling', fullName: 'Tan Mei Ling', dateOfBirth: '2005-01-30', nric: '050130-07-5290', state: 'Pulau Pinang', sharesState: true, completed: bdseStages(4, 1) },
  { key: 'siti', fullName: 'Siti Aminah binti Yusof', dateOfBirth: '2004-09-18', nric: '040918-01-5086', state: 'Johor', sharesState: true, completed: bdseStages(5) },
  { key: 'hafiz', fullName: 'Muhammad Hafiz bin Osman', dateOfBirth: '2004-04-02', nric: '040402-11-5377', state: 'Terengganu', sharesState: true, completed: bdseStages(6) },
  { key: 'grace', fullName: 'Grace Jenny anak Linggi', dateOfBirth: '2003-12-12', nric: '031212-13-5642', state: 'Sarawak', sharesState: true, completed: bdseStages(7), visibility: 'PUBLIC' },
  // BTEL learners, one at every stage.
  { key: 'farah', fullName: 'Farah binti Azman', dateOfBirth: '2008-05-09', nric: '080509-06-5324', state: 'Pahang', completed: [] },
  { key: 'kumar', fullName: 'Kumar a/l Raju', dateOfBirth: '2007-08-15', nric: '070815-02-5197', state: 'Kedah', sharesState: true, completed: btelCourses(4) },
  { key: 'karhoe', fullName: 'Wong Kar Hoe', dateOfBirth: '2007-10-03', nric: '071003-07-5431', state: 'Pulau Pinang', sharesState: true, completed: btelCourses(7) },
  { key: 'zainab', fullName: 'Zainab binti Abdullah', dateOfBirth: '2005-06-27', nric: '050627-12-5258', state: 'Sabah', sharesState: true, completed: btelCourses(20) },
  { key: 'ravi', fullName: 'Ravi a/l Chandran', dateOfBirth: '2004-02-14', nric: '040214-10-5871', state: 'Selangor', sharesState: true, completed: btelCourses(21) },
  // Working adults reskilling. Priya shows employers her credentials but not where she lives.
  { key: 'faizal', fullName: 'Ahmad Faizal bin Kamal', dateOfBirth: '1990-08-21', nric: '900821-10-5913', state: 'Selangor', enrolled: false, sharesState: true, completed: [code('CS1010')] },
  { key: 'priya', fullName: 'Priya a/p Nair', dateOfBirth: '1988-03-08', nric: '880308-07-5664', state: 'Pulau Pinang', enrolled: false, completed: [code('AKT-FA'), code('AKT-PCB')] },
  { key: 'james', fullName: 'James Tan Boon Huat', dateOfBirth: '1995-01-17', nric: '950117-14-5555', state: 'Kuala Lumpur', citizenship: 'PERMANENT_RESIDENT', enrolled: false, completed: [] },
];

export const learners: DemoLearner[] = people.map((p) => ({
  id: demoId(`learner:${p.key}`),
  key: p.key,
  fullName: p.fullName,
  email: `${p.key}@learner.example.my`,
  phone: `+6012${String(1_000_000 + people.indexOf(p) * 7_919).slice(0, 7)}`,
  dateOfBirth: p.dateOfBirth,
  citizenship: p.citizenship ?? 'MALAYSIAN',
  nric: p.nric,
  state: p.state,
  shareStateInTalentSearch: p.sharesState ?? false,
  registeredByProviderId: p.enrolled === false ? null : providers.odl.id,
}));

export const learnerByKey = (key: string): DemoLearner => {
  const found = learners.find((l) => l.key === key);
  if (!found) throw new Error(`no demo learner ${key}`);
  return found;
};

/** Each completed course gives a credential, a month apart, from February 2025. */
const firstIssue = Date.UTC(2025, 1, 3);
const DAY = 86_400_000;

export const credentials: DemoCredential[] = people.flatMap((p) =>
  p.completed.map((course, i) => {
    const issued = new Date(firstIssue + i * 30 * DAY);
    // The first-aid certificate is older and has lapsed: it lasts three years.
    if (course.validityMonths) issued.setUTCFullYear(2022, 10, 7);
    const expires = course.validityMonths ? new Date(issued) : null;
    expires?.setUTCMonth(expires.getUTCMonth() + course.validityMonths!);
    return {
      id: demoId(`credential:${p.key}:${course.code}`),
      learnerId: demoId(`learner:${p.key}`),
      courseId: course.id,
      providerId: course.providerId,
      issuedAt: issued.toISOString(),
      expiresAt: expires ? expires.toISOString() : null,
      visibility: p.visibility ?? 'EMPLOYERS',
    };
  }),
);

export const consents: DemoConsent[] = [
  {
    id: demoId('consent:aisyah:hrdcorp'),
    learnerId: learnerByKey('aisyah').id,
    granteeKind: 'FUNDER',
    granteeId: funders.b40.id,
    scopes: ['PROFILE', 'PERSONAL', 'ELIGIBILITY'],
    grantedAt: '2026-01-15T00:00:00.000Z',
    expiresAt: '2027-01-15T00:00:00.000Z',
  },
  {
    id: demoId('consent:faizal:software'),
    learnerId: learnerByKey('faizal').id,
    granteeKind: 'EMPLOYER',
    granteeId: employers.software.id,
    scopes: ['PROFILE', 'CONTACT', 'CREDENTIALS'],
    grantedAt: '2026-02-01T00:00:00.000Z',
    expiresAt: '2027-02-01T00:00:00.000Z',
  },
  {
    id: demoId('consent:faizal:hrdcorp'),
    learnerId: learnerByKey('faizal').id,
    granteeKind: 'FUNDER',
    granteeId: funders.hrdCorp.id,
    scopes: ['PROFILE', 'PERSONAL', 'ELIGIBILITY'],
    grantedAt: '2026-02-01T00:00:00.000Z',
    expiresAt: '2027-02-01T00:00:00.000Z',
  },
];

export const employments: DemoEmployment[] = [
  {
    id: demoId('employment:faizal'),
    learnerId: learnerByKey('faizal').id,
    employerId: employers.software.id,
    jobTitle: 'Support Engineer',
    since: '2019-06-01',
    confirmedByLearner: true,
  },
  {
    id: demoId('employment:priya'),
    learnerId: learnerByKey('priya').id,
    employerId: employers.electronics.id,
    jobTitle: 'Production Operator',
    since: '2012-01-09',
    confirmedByLearner: true,
  },
];
