import { ConsentScope } from '@tauliah/core';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';

export { ConsentScope };

export enum GranteeKind {
  EMPLOYER = 'EMPLOYER',
  FUNDER = 'FUNDER',
  PROVIDER = 'PROVIDER',
}
registerEnumType(GranteeKind, { name: 'GranteeKind', description: 'The kind of organisation a learner shares data with.' });

@ObjectType({ description: 'A learner\'s permission for one organisation to see named parts of their data, until it expires or is revoked.' })
export class ConsentGrant {
  @Field(() => ID)
  id!: string;

  @Field(() => GranteeKind)
  granteeKind!: GranteeKind;

  @Field(() => ID)
  granteeId!: string;

  @Field(() => [ConsentScope])
  scopes!: ConsentScope[];

  @Field(() => Date)
  grantedAt!: Date;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => Boolean, { description: 'Neither revoked nor expired.' })
  active!: boolean;
}

@InputType()
export class GrantConsentInput {
  @Field(() => GranteeKind)
  granteeKind!: GranteeKind;

  @Field(() => ID)
  granteeId!: string;

  @Field(() => [ConsentScope])
  scopes!: ConsentScope[];

  @Field(() => Date, { description: 'When the consent lapses; at most two years ahead.' })
  expiresAt!: Date;
}
