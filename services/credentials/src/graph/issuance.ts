import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Credential } from './credential.ts';

@InputType({
  description:
    "One credential to issue: who earned it (by our learner id or by your own student number: exactly one) on which course. " +
    'A learner holds one credential per course: while one is ACTIVE or SUSPENDED and not replaced, another is refused (CONFLICT); renew it instead. ' +
    "Who may see it is the learner's choice: it is issued with the visibility the learner chose for new credentials (PRIVATE until they choose).",
})
export class IssueCredentialInput {
  @Field(() => ID, { nullable: true, description: 'The learner, by our id. Give this or studentNumber, not both.' })
  learnerId?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The learner, by your provider's own student number for them (an active enrolment with you), so your student records system never needs our ids. Kept on the credential for your reconciliation. Give this or learnerId, not both.",
  })
  studentNumber?: string | null;

  @Field(() => ID)
  courseId!: string;

  @Field(() => Date, { nullable: true, description: 'When it was earned (for past students); default now. Becomes validFrom.' })
  issuedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: "When it lapses; default issuedAt plus the course's validity period, or never." })
  expiresAt?: Date | null;
}

@ObjectType({ description: 'Why one item of a cohort was not issued.' })
export class CredentialIssueError {
  @Field(() => String, { description: 'BAD_USER_INPUT, NOT_FOUND, FORBIDDEN or CONFLICT.' })
  code!: string;

  @Field(() => String)
  message!: string;

  @Field(() => ID, { nullable: true, description: 'For CONFLICT over a credential the learner already holds for the course: that credential (renew it to replace it).' })
  credentialId!: string | null;
}

@ObjectType({ description: 'The outcome of one item of a cohort, in the order given: a credential or an error.' })
export class CredentialIssueResult {
  @Field(() => Int, { description: 'Position of the item in the input list, from 0.' })
  index!: number;

  @Field(() => Credential, { nullable: true })
  credential!: Credential | null;

  @Field(() => CredentialIssueError, { nullable: true })
  error!: CredentialIssueError | null;
}

@ObjectType({ description: 'A cohort issuance: what was issued and what was refused. Retrying with the same idempotency key returns this again.' })
export class CohortIssuance {
  @Field(() => String)
  idempotencyKey!: string;

  @Field(() => Int)
  issued!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => [CredentialIssueResult])
  results!: CredentialIssueResult[];
}
