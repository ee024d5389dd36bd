import { bdse, courseById, courseId, credentials, demoId, employers, funders, learnerByKey, providers, type DemoLearner } from '@tauliah/demo-data';
import { codesOf, type GraphQLResponse, type Who } from '@tauliah/testing';
import { isDeepStrictEqual } from 'node:util';

/**
 * The viewers and the outcome words of the authorisation matrix
 * (authorization-matrix.test.ts), and the classifiers that turn an answer
 * through the gateway into one of those words.
 */

/** Who asks, relative to the learner the probe is about (see VIEWERS for who that is for each learner). */
export const COLUMNS = [
  'public',
  'learnerSelf',
  'learnerOther',
  'providerOwn',
  'providerOther',
  'providerPartner',
  'employerOwn',
  'employerOther',
  'employerPartner',
  'funderOwn',
  'funderOther',
  'admin',
] as const;
export type Column = (typeof COLUMNS)[number];

/**
 * - sees: answered in full, with the right values (the learner's own answer, for derived ones);
 * - partial: a derived answer computed from only the credentials the viewer may read;
 * - absent: answered, with the private item (a credential, a learner) left out;
 * - withheld: answered, but the private part is null with an error, or reported as not checkable (PERSONAL_DATA_WITHHELD);
 * - consentRequired: eligibility answered `consentRequired: true`, nothing evaluated;
 * - empty: an empty list, or a zero count;
 * - null: null without an error (fields made for batches);
 * - notFound: NOT_FOUND, worded exactly as for an id that does not exist;
 * - refused: UNAUTHENTICATED, FORBIDDEN or CONSENT_REQUIRED, and no data.
 * Anything else the classifiers see is reported in words (e.g. "error INTERNAL_SERVER_ERROR"), so it fails the row.
 */
export type Outcome = 'sees' | 'partial' | 'absent' | 'withheld' | 'consentRequired' | 'empty' | 'null' | 'notFound' | 'refused';

export const aisyah = learnerByKey('aisyah');
export const faizal = learnerByKey('faizal');
export const daniel = learnerByKey('daniel');
export const arjun = learnerByKey('arjun');
export type Subject = 'aisyah' | 'faizal';
export const SUBJECTS: Record<Subject, DemoLearner> = { aisyah, faizal };

export const self = (l: DemoLearner): Who => ({ role: 'LEARNER', sub: l.id });
export const odlStaff: Who = { role: 'PROVIDER_STAFF', sub: 'staff:odl:registrar', providerId: providers.odl.id };
export const odlPartner: Who = { role: 'PARTNER', sub: 'system:utn-student-records', providerId: providers.odl.id };
export const uasStaff: Who = { role: 'PROVIDER_STAFF', sub: 'staff:uas:registrar', providerId: providers.publicUniversity.id };
export const uasPartner: Who = { role: 'PARTNER', sub: 'system:uas-student-records', providerId: providers.publicUniversity.id };
// Demo staff accounts: an EMPLOYER or PARTNER token acts for an employer only while its subject is a staff account there.
export const perisianHr: Who = { role: 'EMPLOYER', sub: 'staff:perisian:hr', employerId: employers.software.id };
export const perisianSystem: Who = { role: 'PARTNER', sub: 'system:perisian-hr', employerId: employers.software.id };
export const elektronikHr: Who = { role: 'EMPLOYER', sub: 'staff:elektronik:hr', employerId: employers.electronics.id };
export const b40Officer: Who = { role: 'FUNDER', sub: 'officer:b40', funderId: funders.b40.id };
export const hrdCorpOfficer: Who = { role: 'FUNDER', sub: 'officer:hrdcorp', funderId: funders.hrdCorp.id };
export const admin: Who = 'ADMIN';

/**
 * Each column's viewer for each learner a probe is about:
 * - Aisyah: enrolled by the ODL, which issued her BDSE credentials; UAS issued her one (PRIVATE) credential (set up by
 *   the test); she consented to B40 (PROFILE, PERSONAL, ELIGIBILITY) and, in the test's set-up, to Perisian (PROFILE,
 *   CONTACT, PERSONAL: the last beyond what an employer may ever see); HRD Corp and Elektronik hold nothing of hers.
 * - Faizal: registered himself, enrolled nowhere; UAS issued his one credential (CS1010, EMPLOYERS); Perisian employs him
 *   and holds his consent (PROFILE, CONTACT, CREDENTIALS); HRD Corp holds PROFILE, PERSONAL, ELIGIBILITY; ODL, B40 and
 *   Elektronik hold nothing of his.
 */
export const VIEWERS: Record<Subject, Record<Column, Who | null>> = {
  aisyah: {
    public: null,
    learnerSelf: self(aisyah),
    learnerOther: self(daniel),
    providerOwn: odlStaff,
    providerOther: uasStaff,
    providerPartner: odlPartner,
    employerOwn: perisianHr,
    employerOther: elektronikHr,
    employerPartner: perisianSystem,
    funderOwn: b40Officer,
    funderOther: hrdCorpOfficer,
    admin,
  },
  faizal: {
    public: null,
    learnerSelf: self(faizal),
    learnerOther: self(daniel),
    providerOwn: uasStaff,
    providerOther: odlStaff,
    providerPartner: uasPartner,
    employerOwn: perisianHr,
    employerOther: elektronikHr,
    employerPartner: perisianSystem,
    funderOwn: hrdCorpOfficer,
    funderOther: b40Officer,
    admin,
  },
};

/** Aisyah's demo credentials by course code. */
export const aisyahCredential = (code: string) => demoId(`credential:aisyah:${code}`);

/** What no refusal, withholding or not-found may say about a learner: who they are and what they hold. */
export function secretsOf(learner: DemoLearner, extraTitles: string[] = []): string[] {
  const titles = credentials.filter((c) => c.learnerId === learner.id).map((c) => courseById.get(c.courseId)!.title);
  return [learner.fullName, learner.email, learner.nric, learner.nric.replace(/-/g, ''), learner.phone, learner.dateOfBirth, ...titles, ...extraTitles];
}

/** The secrets an answer's error messages give away. */
export const leaked = (response: GraphQLResponse, secrets: string[]): string[] =>
  secrets.filter((secret) => (response.errors ?? []).some((e) => e.message.toLowerCase().includes(secret.toLowerCase())));

const REFUSALS = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'CONSENT_REQUIRED']);

/** An answer with errors: refused, not found, or something the matrix does not expect (spelled out). */
export function errorOutcome(response: GraphQLResponse): string {
  const codes = codesOf(response);
  if (codes.length > 0 && codes.every((c) => REFUSALS.has(c))) return 'refused';
  if (codes.length > 0 && codes.every((c) => c === 'NOT_FOUND')) return 'notFound';
  return `error ${codes.join(',')} (HTTP ${response.status}): ${response.errors?.map((e) => e.message).join(' | ')}`;
}

export const dig = (data: any, path: string): any => path.split('.').reduce((value, key) => (value == null ? value : value[key]), data);

/** Whether a value is the one expected: equal to it, or passing it when it is a predicate. */
export function matches(value: unknown, expected: unknown): boolean {
  return typeof expected === 'function' ? Boolean((expected as (v: unknown) => boolean)(value)) : isDeepStrictEqual(value, expected);
}

export const same = isDeepStrictEqual;

/** A learner field: refused (an error, no value), null (no error, no value), or seen with the expected value. */
export function classifyField(response: GraphQLResponse, path: string, expected: unknown): string {
  const value = dig(response.data, path);
  if (value == null) return response.errors?.length ? errorOutcome(response) : 'null';
  if (response.errors?.length) return `value with errors: ${errorOutcome(response)}`;
  return matches(value, expected) ? 'sees' : `sees a wrong value ${JSON.stringify(value)}`;
}

export const BDSE_ID = bdse.id;
export const DS2001 = courseId('DS2001');
export const CS1010 = courseId('CS1010');
