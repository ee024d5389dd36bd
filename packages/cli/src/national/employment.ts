import { MALAYSIAN_STATES } from '@tauliah/core';
import { nationalId } from './ids.ts';
import { Random } from './random.ts';

/** The synthetic national employers: their work and HRD Corp's levy records follow from these. */
export interface NationalEmployer {
  id: string;
  n: number;
  registrationNumber: string;
  name: string;
  sector: string;
  size: string;
  employeeCount: number;
  state: string;
  hrdCorpRegistered: boolean;
}

const SECTORS = ['Manufacturing', 'Information and communication', 'Wholesale and retail trade', 'Construction', 'Financial services', 'Health', 'Education', 'Transport and logistics'];
const SIZES: Array<[string, number, number]> = [['MICRO', 1, 4], ['SMALL', 5, 74], ['MEDIUM', 75, 200], ['LARGE', 201, 5000]];
const JOB_TITLES = ['Production Operator', 'Technician', 'Software Developer', 'Accounts Executive', 'Logistics Coordinator', 'Sales Executive', 'Staff Nurse', 'Site Supervisor', 'Customer Service Officer', 'Data Analyst'];

/** Learners with a job they confirmed, learners whose earlier job ended, and of those how many have none now. */
const EMPLOYED = 0.45;
const EARLIER_JOB = 0.2;
const BETWEEN_JOBS = 0.3;
/** Registered employers that stopped paying the levy half a year ago: their staff are not HRD Corp-eligible. */
const LAPSED = 0.05;
/** Months of levy HRD Corp recorded for each registered employer: the complete months before the load. */
export const LEVY_MONTHS = 12;
const LAPSED_FOR_MONTHS = 6;

/** Every employer, the same on each pass: 10 or more employees must register with HRD Corp; a third of the smaller ones chose to. */
export function* nationalEmployers(count: number, seed: number): Generator<NationalEmployer> {
  const random = new Random(seed + 4);
  for (let n = 1; n <= count; n++) {
    const [size, min, max] = random.pick(SIZES);
    yield {
      id: nationalId('employer', n),
      n,
      registrationNumber: `2020${String(n).padStart(8, '0')}`,
      name: `Syarikat Nasional ${n} Sdn Bhd`,
      sector: random.pick(SECTORS),
      size,
      employeeCount: random.int(min, max),
      state: random.pick(MALAYSIAN_STATES),
      hrdCorpRegistered: min >= 10 || random.next() < 0.3,
    };
  }
}

export interface NationalEmployment {
  id: string;
  learnerId: string;
  employerId: string;
  jobTitle: string;
  since: string;
  until: string | null;
}

/**
 * The employment the learners confirmed: 45% of the adults have a job now or
 * had one, a fifth of those an earlier job that ended (and three in ten of
 * those are between jobs). A learner has at most one current employment, as
 * the employers service allows.
 */
export function* employmentsOf(learners: Iterable<{ id: string; dateOfBirth: string }>, employers: number, seed: number): Generator<NationalEmployment> {
  const random = new Random(seed + 11);
  let id = 0;
  const job = (learnerId: string, since: string, until: string | null): NationalEmployment => ({
    id: nationalId('employment', ++id),
    learnerId,
    employerId: nationalId('employer', random.int(1, employers)),
    jobTitle: random.pick(JOB_TITLES),
    since,
    until,
  });
  for (const learner of learners) {
    const employed = random.next() < EMPLOYED;
    const adult = Number(learner.dateOfBirth.slice(0, 4)) + 18;
    // Drawn for every learner, so one learner's draws never shift another's.
    const [earlier, between, firstYear, month] = [random.next() < EARLIER_JOB, random.next() < BETWEEN_JOBS, random.int(Math.min(adult, 2024), 2024), random.int(1, 12)];
    if (!employed || adult > 2024) continue;
    const start = `${firstYear}-${String(month).padStart(2, '0')}-01`;
    if (!earlier) {
      yield job(learner.id, start, null);
      continue;
    }
    const endYear = Math.min(firstYear + random.int(1, 3), 2025);
    const ended = `${endYear}-${String(month).padStart(2, '0')}-15`;
    yield job(learner.id, start, ended);
    if (!between) yield job(learner.id, `${endYear}-${String(month).padStart(2, '0')}-16`, null);
  }
}

export interface NationalLevyPayment {
  month: string;
  amountSen: number;
  recordedAt: string;
}

const MALAYSIA_OFFSET_MS = 8 * 3_600_000;

/** The month `back` months before `now`'s month in Malaysia (UTC+8), as YYYY-MM. */
export function malaysianMonthBefore(now: Date, back: number): string {
  const local = new Date(now.getTime() + MALAYSIA_OFFSET_MS);
  const index = local.getUTCFullYear() * 12 + local.getUTCMonth() - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * HRD Corp's monthly levy records of a registered employer: 1% of its wage
 * bill (0.5% under 10 employees, who registered by choice) for each of the
 * LEVY_MONTHS complete months before `now`, recorded on the 5th of the month
 * after (or now, if that is still ahead); one in twenty stopped paying half a
 * year ago. Relative to the clock, so national employees stay eligible for
 * HRD Corp grants whenever the set is loaded; otherwise the same on every run.
 */
export function levyPaymentsOf(employer: NationalEmployer, seed: number, now: Date): NationalLevyPayment[] {
  if (!employer.hrdCorpRegistered) return [];
  const random = new Random(seed + 12 + employer.n * 7919);
  const wageSen = random.int(1_800, 6_500) * 100;
  const ratePerMille = employer.employeeCount >= 10 ? 10 : 5;
  const lapsed = random.next() < LAPSED;
  const payments: NationalLevyPayment[] = [];
  for (let back = LEVY_MONTHS; back >= (lapsed ? LAPSED_FOR_MONTHS + 1 : 1); back--) {
    // The wage bill moves a little month to month (overtime, leavers).
    const amountSen = Math.max(1, Math.round((employer.employeeCount * wageSen * ratePerMille * random.int(97, 103)) / 100_000));
    const recorded = new Date(`${malaysianMonthBefore(now, back - 1)}-05T01:00:00.000Z`);
    payments.push({ month: malaysianMonthBefore(now, back), amountSen, recordedAt: (recorded < now ? recorded : now).toISOString() });
  }
  return payments;
}
