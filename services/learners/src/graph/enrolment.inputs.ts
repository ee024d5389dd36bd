import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { checkIdentity } from '../identity/documents.ts';
import { PersonInput, personFields } from './learner.inputs.ts';

@InputType({
  description:
    'A student to enrol with your provider, as your student records know them. When the identity document and date of birth are those of a registered learner, that learner is enrolled (LINKED) and their profile stays as they keep it; otherwise a new learner is registered (ENROLLED).',
})
export class EnrolLearnerInput extends PersonInput {
  @Field(() => String, { description: 'Your own number for the student: letters, digits and . / _ -, up to 64; compared in upper case. Unique among your active enrolments.' })
  studentNumber!: string;
}

/** A provider's student number, as stored and looked up: trimmed, in upper case. */
export const studentNumberSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9./_-]{0,63}$/, 'must be 1 to 64 letters, digits and . / _ -, starting with a letter or digit');

export const enrolLearnerSchema = z.object({ studentNumber: studentNumberSchema, ...personFields }).superRefine(checkIdentity);
export type EnrolLearnerRow = z.infer<typeof enrolLearnerSchema>;

/** Rows one enrolLearners call may carry: a student records system's whole intake. */
export const MAX_ENROLMENTS_PER_REQUEST = 10_000;

export const idempotencyKeySchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
