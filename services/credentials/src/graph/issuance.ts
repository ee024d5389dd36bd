import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Credential } from './credential.ts';

@InputType({
  description: "One credential to issue: who earned it on which course. Who may see it is the learner's choice: it is issued with the visibility the learner chose for new credentials (PRIVATE until they choose).",
})
export class IssueCredentialInput {
  @Field(() => ID)
  learnerId!: string;

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
