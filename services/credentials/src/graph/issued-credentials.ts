import { ConnectionType } from '@tauliah/core';
import { Field, ID, InputType } from 'type-graphql';
import { Credential, CredentialStatus } from './credential.ts';

@InputType({ description: 'Which of its credentials a provider lists; every field narrows the list, none of them lists everything it issued.' })
export class IssuedCredentialsFilter {
  @Field(() => ID, { nullable: true, description: 'Only credentials of this course.' })
  courseId?: string | null;

  @Field(() => [CredentialStatus], { nullable: true, description: 'Only credentials in one of these statuses as they read now (EXPIRED included).' })
  status?: CredentialStatus[] | null;

  @Field(() => Date, { nullable: true, description: 'Only credentials issued at or after this time.' })
  issuedAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only credentials issued before this time.' })
  issuedBefore?: Date | null;
}

export const IssuedCredentialConnection = ConnectionType('IssuedCredential', Credential);
