import { personas } from '@tauliah/demo-data';
import { createHash } from 'node:crypto';
import { post, type Answer } from './load.ts';

/** The demo learner's name, owned by the learners service. */
export const LEARNER_NAME = 'Aisyah binti Rahman';

/** A learner's own page: the name from learners, the credentials from credentials. */
export const ME_WITH_CREDENTIALS = '{ me { fullName credentials { title } } }';

/** The public catalogue: providers alone answers it. */
export const CATALOGUE = '{ courses(first: 3) { totalCount edges { node { code title } } } }';

/** The owner's data is there (the learner's name), whatever happened to the rest. */
export const keepsOwnerData = (answer: Answer): boolean => answer.body?.data?.me?.fullName === LEARNER_NAME;

/** The whole page: the name and the credentials, and no error. */
export const isWholePage = (answer: Answer): boolean =>
  answer.codes.length === 0 && keepsOwnerData(answer) && Array.isArray(answer.body?.data?.me?.credentials) && answer.body.data.me.credentials.length > 0;

export const isWholeCatalogue = (answer: Answer): boolean => answer.codes.length === 0 && typeof answer.body?.data?.courses?.totalCount === 'number';

const ENROL = `mutation Enrol($input: EnrolLearnerInput!, $key: String) {
  enrolLearner(input: $input, idempotencyKey: $key) { replayed learner { id } }
}`;

/** A partner system's enrolment, the write a partner retries with its key. `run` keeps students apart across runs. */
export function enrolment(run: string, key: string) {
  return {
    studentNumber: `${run}-${key}`,
    fullName: `Pelajar ${key}`,
    email: `${run}.${key}@faults.example.my`,
    dateOfBirth: '2001-02-03',
    citizenship: 'NON_CITIZEN',
    passportNumber: createHash('sha256').update(`${run}-${key}`).digest('hex').slice(0, 12).toUpperCase(),
    nationality: 'IDN',
    state: 'Selangor',
  };
}

/** The demo partner (a university's student records) enrols one learner under the idempotency key `${run}-${key}`. */
export function enrolLearner(url: string, token: string, run: string, key: string): Promise<Answer> {
  return post(url, { query: ENROL, variables: { input: enrolment(run, key), key: `${run}-${key}` } }, { token, label: key });
}

/** The learner id an enrolment answer acknowledged, if it did. */
export const acknowledgedId = (answer: Answer): string | undefined =>
  answer.codes.length === 0 ? (answer.body?.data?.enrolLearner?.learner?.id as string | undefined) : undefined;

/** Who enrols: the demo partner, acting for the demo provider. */
export const ENROLLING_PROVIDER = personas.PARTNER.providerId!;
