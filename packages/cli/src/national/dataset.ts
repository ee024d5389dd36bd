import { MALAYSIAN_STATES } from '@tauliah/core';
import { skills as demoSkills } from '@tauliah/demo-data';
import { hashNric, hashPassport, sealNricLast4 } from '@tauliah/learners';
import { stateForTalentSearch } from '@tauliah/learners/residence';
import { copyArray } from './copy.ts';
import { employmentsOf, levyPaymentsOf, nationalEmployers, type NationalEmployer } from './employment.ts';
import { nationalId } from './ids.ts';
import { Random } from './random.ts';

/** Sizes of the synthetic national data set (DOMAIN.md "Reference numbers"); `scale` shrinks it for tests. */
export interface NationalSizes {
  providers: number;
  courses: number;
  skills: number;
  employers: number;
  jobRoles: number;
  learners: number;
  credentialsPerLearner: number;
  /** Funding (funding.ts): each funder's schemes, and HRD Corp's course approval queue (its 2022 backlog and approvals, DOMAIN.md). */
  hrdCorpSchemes: number;
  b40Schemes: number;
  pendingCourseApprovals: number;
  approvedCourseApprovals: number;
}

export const NATIONAL: NationalSizes = {
  providers: 500,
  courses: 25_000,
  skills: 300,
  employers: 50_000,
  jobRoles: 20_000,
  learners: 1_000_000,
  credentialsPerLearner: 5,
  hrdCorpSchemes: 12,
  b40Schemes: 12,
  pendingCourseApprovals: 13_224,
  approvedCourseApprovals: 11_493,
};

export function scaled(scale: number): NationalSizes {
  const of = (n: number, min: number) => Math.max(min, Math.round(n * scale));
  return {
    providers: of(NATIONAL.providers, 5),
    courses: of(NATIONAL.courses, 50),
    skills: Math.max(demoSkills.length + 10, Math.round(NATIONAL.skills * Math.min(1, scale * 10))),
    employers: of(NATIONAL.employers, 10),
    jobRoles: of(NATIONAL.jobRoles, 10),
    learners: of(NATIONAL.learners, 100),
    credentialsPerLearner: NATIONAL.credentialsPerLearner,
    hrdCorpSchemes: of(NATIONAL.hrdCorpSchemes, 2),
    b40Schemes: of(NATIONAL.b40Schemes, 2),
    pendingCourseApprovals: of(NATIONAL.pendingCourseApprovals, 1),
    approvedCourseApprovals: of(NATIONAL.approvedCourseApprovals, 1),
  };
}

export { nationalId };

export type NationalDataSet = ReturnType<typeof nationalDataSet>;

const PROVIDER_KINDS = ['PUBLIC_UNIVERSITY', 'PRIVATE_UNIVERSITY', 'TRAINING_PROVIDER', 'INDUSTRY_ACADEMY', 'ODL_UNIVERSITY'] as const;
const DELIVERY = ['ONLINE', 'IN_PERSON', 'BLENDED'] as const;
const TOPICS = ['Data', 'Cloud', 'Network', 'Welding', 'Safety', 'Accounting', 'Logistics', 'Design', 'Marketing', 'Nursing', 'Robotics', 'Electrical', 'Software', 'Mechatronics', 'Hospitality'];
const LEVELS = ['Foundations of', 'Applied', 'Advanced', 'Practical', 'Professional'];
/** Every synthetic learner lets employers find them by state, so the talent search state filter has data at scale. */
const SHARES_STATE = true;
const GIVEN = ['Aisyah', 'Ahmad', 'Siti', 'Muhammad', 'Nurul', 'Wei Jie', 'Mei Ling', 'Arjun', 'Priya', 'Kumar', 'Farah', 'Hafiz', 'Grace', 'Daniel', 'Zainab'];
const FAMILY = ['binti Rahman', 'bin Osman', 'Tan', 'Lim', 'a/l Raju', 'a/p Nair', 'anak Linggi', 'binti Yusof', 'Wong', 'bin Kamal'];
const NATIONALITIES = ['IDN', 'BGD', 'NPL', 'PHL', 'MMR', 'IND', 'CHN', 'VNM'];
/** Learners enrolled with a second provider besides their first, and enrolments that have ended. */
const SECOND_ENROLMENT = 0.2;
const ENDED = 0.03;

/** The learners service's keys, under which the national learners' NRICs and passports are stored as real ones are. */
export interface IdentityKeys {
  PII_HASH_KEY: string;
  PII_ENCRYPTION_KEY: string;
}

/**
 * The synthetic NRIC of learner n: the date of birth as YYMMDD (as every NRIC
 * begins), then n in the last six digits, so no two learners share one and
 * an enrolment by NRIC and date of birth finds the learner as it would a real one.
 */
export function nationalNric(n: number, dateOfBirth: string): string {
  const serial = String(n % 1_000_000).padStart(6, '0');
  return `${dateOfBirth.slice(2).replaceAll('-', '')}-${serial.slice(0, 2)}-${serial.slice(2)}`;
}

/** The synthetic passport number of learner n (a non-citizen). */
export const nationalPassport = (n: number): string => `N${String(n).padStart(8, '0')}`;

export interface SkillRow { code: string; name: string }
export interface CourseRow { id: string; providerId: string; title: string; credits: number | null; mqfLevel: number | null; skills: string[]; validityMonths: number | null }
export interface NationalProvider { id: string; n: number; kind: string; state: string; hrdCorpRegistered: boolean; inGoodStanding: boolean }
export interface CourseOffer { course: CourseRow; notionalHours: number; feeSen: number; deliveryMode: string }

/** The whole data set as row generators, in the order tables must be loaded. */
export function nationalDataSet(sizes: NationalSizes, seed = 20_260_101) {
  const skills: SkillRow[] = [
    ...demoSkills.map((s) => ({ code: s.code, name: s.name })),
    ...Array.from({ length: sizes.skills - demoSkills.length }, (_, i) => ({
      code: `SK-${String(i + 1).padStart(4, '0')}`,
      name: `${TOPICS[i % TOPICS.length]} skill ${i + 1}`,
    })),
  ];

  const courseRandom = new Random(seed + 2);
  const courses: CourseRow[] = Array.from({ length: sizes.courses }, (_, i) => {
    const creditBearing = courseRandom.next() < 0.8;
    const credits = creditBearing ? courseRandom.int(1, 6) : null;
    const count = courseRandom.int(1, 3);
    const courseSkills = new Set<string>();
    while (courseSkills.size < count) courseSkills.add(courseRandom.pickSkewed(skills, 1.6).code);
    return {
      id: nationalId('course', i + 1),
      providerId: nationalId('provider', (i % sizes.providers) + 1),
      title: `${courseRandom.pick(LEVELS)} ${courseRandom.pick(TOPICS)} ${i + 1}`,
      credits,
      mqfLevel: creditBearing ? courseRandom.int(3, 6) : null,
      skills: [...courseSkills],
      validityMonths: courseRandom.next() < 0.1 ? 36 : null,
    };
  });

  return {
    sizes,
    seed,
    skills,
    courses,
    /** The providers; six in ten are training providers registered with HRD Corp. Each pass replays the same ones. */
    *providers(): Generator<NationalProvider> {
      const random = new Random(seed + 1);
      for (let n = 1; n <= sizes.providers; n++) {
        const kind = random.pick(PROVIDER_KINDS);
        const state = random.pick(MALAYSIAN_STATES);
        const hrdCorpRegistered = random.next() < 0.6;
        yield { id: nationalId('provider', n), n, kind, state, hrdCorpRegistered, inGoodStanding: random.next() > 0.01 };
      }
    },
    *providerRows() {
      for (const p of this.providers()) {
        const { n, kind } = p;
        yield [p.id, `national-${n}`, `Institut Nasional ${n}`, kind, p.state, `https://p${n}.example.edu.my`, kind.includes('UNIVERSITY') ? `MQA-N${n}` : null, p.hrdCorpRegistered ? `HRDC-TP-N${n}` : null, p.inGoodStanding];
      }
    },
    *skillRows() {
      for (const s of skills.slice(demoSkills.length)) yield [s.code, s.name, `${s.name}: generated for the national benchmark.`];
    },
    /** Each course with its notional hours, fee (RM 200–3,000) and delivery mode; each pass replays the same ones. */
    *courseOffers(): Generator<CourseOffer> {
      const random = new Random(seed + 3);
      for (const c of courses) {
        const notionalHours = c.credits ? c.credits * 40 : random.int(8, 60);
        const feeSen = random.int(200, 3000) * 100;
        yield { course: c, notionalHours, feeSen, deliveryMode: random.pick(DELIVERY) };
      }
    },
    *courseRows() {
      let i = 0;
      for (const { course: c, notionalHours, feeSen, deliveryMode } of this.courseOffers()) {
        i += 1;
        yield [c.id, c.providerId, `N${String(i).padStart(5, '0')}`, c.title, `${c.title}: an assessed micro-credential.`, c.credits, notionalHours, c.mqfLevel, copyArray([`Apply ${c.title.toLowerCase()} at work.`]), feeSen, deliveryMode, c.credits ? 'MQA_ACCREDITED' : 'NOT_CREDIT_BEARING', 'Practical assessment', c.validityMonths, 'PUBLISHED', '2025-01-01T00:00:00Z'];
      }
    },
    *courseSkillRows() {
      for (const c of courses) for (const [position, code] of c.skills.entries()) yield [c.id, code, position];
    },
    /** The employers; each pass replays the same ones (employment.ts). */
    employers: (): Generator<NationalEmployer> => nationalEmployers(sizes.employers, seed),
    *employerRows() {
      for (const e of this.employers()) yield [e.id, e.registrationNumber, e.name, e.sector, e.size, e.employeeCount, e.state, e.hrdCorpRegistered];
    },
    /** The employment learners confirmed, some of it ended (employment.ts). */
    employments() {
      return employmentsOf(this.learners(), sizes.employers, seed);
    },
    *employmentRows() {
      for (const e of this.employments()) yield [e.id, e.learnerId, e.employerId, e.jobTitle, e.since, e.until, true];
    },
    /** HRD Corp's monthly levy records of each registered employer, the months before `now` (employment.ts). */
    *levyPayments(now: Date) {
      let id = 0;
      for (const employer of this.employers()) {
        for (const payment of levyPaymentsOf(employer, seed, now)) yield { id: nationalId('levyEntry', ++id), employerId: employer.id, ...payment };
      }
    },
    /** Each registered employer's levy account, its balance the sum of its payments (no grant drawn yet). */
    *levyAccountRows(now: Date) {
      for (const employer of this.employers()) {
        const payments = levyPaymentsOf(employer, seed, now);
        if (payments.length > 0) yield [employer.id, payments.reduce((sum, p) => sum + p.amountSen, 0), payments.at(-1)!.recordedAt];
      }
    },
    *levyEntryRows(now: Date) {
      for (const p of this.levyPayments(now)) yield [p.id, p.employerId, 'LEVY_PAID', p.amountSen, `${p.month}-01`, 'seed:national', p.recordedAt];
    },
    /** One ADMIN staff account per employer, so every employer can manage its own staff from the start. */
    *staffAccountRows() {
      const random = new Random(seed + 9);
      for (let n = 1; n <= sizes.employers; n++) {
        yield [nationalId('employer', n), `staff:national:${n}:admin`, `${random.pick(GIVEN)} ${random.pick(FAMILY)}`, `admin@n${n}.employer.example.my`, 'PERSON', 'ADMIN', 'seed:national', '2025-01-01T00:00:00Z'];
      }
    },
    /** One ADMIN staff account per provider, so every provider can manage its own staff from the start. */
    *providerStaffAccountRows() {
      const random = new Random(seed + 10);
      for (let n = 1; n <= sizes.providers; n++) {
        yield [nationalId('provider', n), `staff:national:provider:${n}:admin`, `${random.pick(GIVEN)} ${random.pick(FAMILY)}`, `admin@p${n}.example.edu.my`, 'PERSON', 'ADMIN', 'seed:national', '2025-01-01T00:00:00Z'];
      }
    },
    *jobRoleRows() {
      const random = new Random(seed + 5);
      for (let n = 1; n <= sizes.jobRoles; n++) {
        yield [nationalId('jobRole', n), nationalId('employer', random.int(1, sizes.employers)), `${random.pick(TOPICS)} ${random.pick(['Technician', 'Engineer', 'Analyst', 'Officer'])}`, 'MASCO 3000', 'Generated for the national benchmark.', random.next() < 0.9];
      }
    },
    *jobRoleSkillRows() {
      const random = new Random(seed + 6);
      for (let n = 1; n <= sizes.jobRoles; n++) {
        const wanted = new Set<string>();
        const count = random.int(2, 5);
        while (wanted.size < count) wanted.add(random.pickSkewed(skills, 1.6).code);
        for (const code of wanted) yield [nationalId('jobRole', n), code, random.int(3, 5)];
      }
    },
    /** The synthetic learners; each pass replays the same ones. */
    /** The synthetic learners; each pass replays the same ones. Citizens carry an NRIC, the others a passport (nationalNric, nationalPassport). */
    *learners() {
      const random = new Random(seed + 7);
      for (let n = 1; n <= sizes.learners; n++) {
        const year = random.int(1970, 2008);
        const dateOfBirth = `${year}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
        const citizen = random.next() < 0.93;
        const fullName = `${random.pick(GIVEN)} ${random.pick(FAMILY)}`;
        const state = random.pick(MALAYSIAN_STATES);
        yield {
          id: nationalId('learner', n),
          fullName,
          email: `n${n}@learner.example.my`,
          dateOfBirth,
          citizenship: citizen ? 'MALAYSIAN' : 'NON_CITIZEN',
          nric: citizen ? nationalNric(n, dateOfBirth) : null,
          passportNumber: citizen ? null : nationalPassport(n),
          nationality: citizen ? null : NATIONALITIES[n % NATIONALITIES.length]!,
          state,
          shareStateInTalentSearch: SHARES_STATE,
        };
      }
    },
    /** The learner rows as the learners service stores them: the NRIC and passport only hashed, the NRIC's last four digits sealed. */
    *learnerRows(keys: IdentityKeys) {
      for (const l of this.learners()) {
        const digits = l.nric?.replaceAll('-', '') ?? null;
        yield [
          l.id,
          l.fullName,
          l.email,
          l.dateOfBirth,
          l.citizenship,
          digits && hashNric(digits, keys.PII_HASH_KEY),
          digits && sealNricLast4(digits.slice(-4), l.id, keys.PII_ENCRYPTION_KEY),
          l.passportNumber && hashPassport(l.nationality!, l.passportNumber, keys.PII_HASH_KEY),
          l.nationality,
          l.state,
          l.shareStateInTalentSearch,
          'seed:national',
        ];
      }
    },
    /**
     * Each learner's enrolments: every one with a first provider, one in five
     * with a second as well (learners move between institutions), each under
     * that provider's student number; about 3% of them have ended.
     */
    *enrolments() {
      const random = new Random(seed + 10);
      let id = 0;
      for (let n = 1; n <= sizes.learners; n++) {
        const first = random.int(1, sizes.providers);
        const second = random.next() < SECOND_ENROLMENT && sizes.providers > 1 ? ((first + random.int(0, sizes.providers - 2)) % sizes.providers) + 1 : null;
        for (const [k, provider] of [first, second].entries()) {
          if (provider === null) continue;
          const year = random.int(2019, 2025);
          const ended = random.next() < ENDED;
          id += 1;
          yield {
            id: nationalId('enrolment', id),
            learnerId: nationalId('learner', n),
            providerId: nationalId('provider', provider),
            studentNumber: `${k === 0 ? 'A' : 'B'}${year % 100}-${String(n).padStart(7, '0')}`,
            status: ended ? 'ENDED' : 'ACTIVE',
            enrolledAt: `${year}-0${random.int(1, 9)}-01T00:00:00Z`,
            endedAt: ended ? '2026-01-15T00:00:00Z' : null,
          };
        }
      }
    },
    *enrolmentRows() {
      for (const e of this.enrolments()) {
        yield [e.id, e.learnerId, e.providerId, e.studentNumber, e.status, e.enrolledAt, 'seed:national', e.endedAt, e.endedAt && 'seed:national'];
      }
    },
    /** What credentials knows of the active enrolments from events, as if it had applied them (version 0). */
    *enrolmentCopyRows() {
      for (const e of this.enrolments()) if (e.status === 'ACTIVE') yield [e.learnerId, e.providerId];
    },
    /**
     * What credentials knows of each learner from events, as the learners
     * service would have announced it: the state they share with talent
     * search, at version 0 (any later event replaces it).
     */
    *residenceRows() {
      for (const l of this.learners()) yield [l.id, stateForTalentSearch(l), 0];
    },
    /** Each learner holds 1–9 credentials (5 on average), skewed towards popular courses. */
    *credentials() {
      const random = new Random(seed + 8);
      const now = Date.UTC(2026, 10, 1);
      let id = 0;
      for (let n = 1; n <= sizes.learners; n++) {
        const count = Math.min(random.int(1, sizes.credentialsPerLearner * 2 - 1), courses.length);
        // A learner holds one credential per course (credentials' credential_one_per_course_idx): a course drawn again is drawn anew.
        const held = new Set<string>();
        for (let k = 0; k < count; k++) {
          let course = random.pickSkewed(courses);
          while (held.has(course.id)) course = random.pickSkewed(courses);
          held.add(course.id);
          const issued = new Date(now - random.int(1, 5 * 365) * 86_400_000);
          const expires = course.validityMonths ? new Date(issued.getTime() + course.validityMonths * 30 * 86_400_000) : null;
          const roll = random.next();
          id += 1;
          yield {
            id: nationalId('credential', id),
            holderId: nationalId('learner', n),
            course,
            issuedAt: issued.toISOString(),
            expiresAt: expires?.toISOString() ?? null,
            status: roll < 0.02 ? 'REVOKED' : roll < 0.03 ? 'SUSPENDED' : 'ACTIVE',
            visibility: random.next() < 0.7 ? 'EMPLOYERS' : random.next() < 0.85 ? 'PRIVATE' : 'PUBLIC',
          };
        }
      }
    },
  };
}
