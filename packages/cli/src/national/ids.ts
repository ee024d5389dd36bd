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
};
export const nationalId = (kind: keyof typeof ID, n: number) => sequentialId(ID[kind], n);
