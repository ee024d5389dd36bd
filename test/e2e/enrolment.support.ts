import { personas, providers } from '@tauliah/demo-data';
import type { Who } from '@tauliah/testing';

/** Who enrols: the ODL's registrar and student records system (the demo personas), and the public university's. */
export const odlStaff: Who = 'PROVIDER_STAFF';
export const odlPartner: Who = 'PARTNER';
export const uasStaff: Who = { role: 'PROVIDER_STAFF', sub: 'staff:uas:registrar', providerId: providers.publicUniversity.id };
export const uasPartner: Who = { role: 'PARTNER', sub: 'system:uas-student-records', providerId: providers.publicUniversity.id };
export const ODL = personas.PROVIDER_STAFF.providerId!;
export const UAS = providers.publicUniversity.id;

export const ENROL = `mutation($input: EnrolLearnerInput!, $key: String) {
  enrolLearner(input: $input, idempotencyKey: $key) {
    outcome replayed
    learner { id fullName email dateOfBirth citizenship nationality }
    enrolment { id studentNumber status enrolledAt endedAt provider { id name } }
  }
}`;

export const ENROL_MANY = `mutation($input: [EnrolLearnerInput!]!, $key: String!) {
  enrolLearners(input: $input, idempotencyKey: $key) {
    idempotencyKey replayed enrolled linked failed
    results { index outcome learner { id } enrolment { id studentNumber } error { code message } }
  }
}`;

export const BY_NUMBER = `query($number: String!) { learnerByStudentNumber(studentNumber: $number) { id fullName dateOfBirth } }`;

let serial = 0;

/**
 * A new Malaysian student, unique per call: an NRIC whose first six digits
 * are the date of birth (born in 2000–2008, so 18 to 26 years old in 2026).
 */
export function newStudent(overrides: Record<string, unknown> = {}) {
  serial += 1;
  const year = 2000 + (serial % 9);
  const month = String((serial % 12) + 1).padStart(2, '0');
  const day = String((serial % 28) + 1).padStart(2, '0');
  const dateOfBirth = `${year}-${month}-${day}`;
  return {
    studentNumber: `S-${process.pid}-${serial}`,
    fullName: `Pelajar ${serial} binti Ahmad`,
    email: `pelajar${serial}@student.example.my`,
    dateOfBirth,
    citizenship: 'MALAYSIAN',
    nric: `${dateOfBirth.slice(2).replaceAll('-', '')}-14-${String(serial % 10_000).padStart(4, '0')}`,
    state: 'Selangor',
    ...overrides,
  };
}

/** A new non-citizen student, known by an Indonesian passport. */
export function newForeignStudent(overrides: Record<string, unknown> = {}) {
  const { nric: _nric, ...student } = newStudent();
  return { ...student, citizenship: 'NON_CITIZEN', passportNumber: `C${String(4_000_000 + serial)}`, nationality: 'IDN', ...overrides };
}

/** The student's NRIC with another date of birth of the same century, which no longer agrees with it. */
export const withOtherBirthday = <T extends { dateOfBirth: string }>(student: T): T => {
  const [year, month, day] = student.dateOfBirth.split('-');
  return { ...student, dateOfBirth: `${year}-${month}-${day === '01' ? '02' : '01'}` };
};
