import { sequentialId } from './random.ts';

// Entity prefixes keep generated ids apart from each other and from the demo set.
const ID = {
  provider: 0x7a000001,
  course: 0x7a000002,
  employer: 0x7a000003,
  jobRole: 0x7a000004,
  learner: 0x7a000005,
  credential: 0x7a000006,
  enrolment: 0x7a000007,
  employment: 0x7a000008,
  levyEntry: 0x7a000009,
  scheme: 0x7a00000a,
  courseApproval: 0x7a00000b,
  application: 0x7a00000c,
  incomeDeclaration: 0x7a00000d,
  budgetEntry: 0x7a00000e,
  levyGrant: 0x7a00000f,
};
/** The sequence number of a national id: the employer, provider or learner number n that nationalId was given. */
export const nationalNumber = (id: string): number => Number.parseInt(id.slice(-12), 16);
export const nationalId = (kind: keyof typeof ID, n: number) => sequentialId(ID[kind], n);
