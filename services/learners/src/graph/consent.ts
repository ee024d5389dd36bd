import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';

export enum GranteeKind {
  EMPLOYER = 'EMPLOYER',
  FUNDER = 'FUNDER',
  PROVIDER = 'PROVIDER',
}
registerEnumType(GranteeKind, { name: 'GranteeKind', description: 'The kind of organisation a learner shares data with.' });

export enum ConsentScope {
  PROFILE = 'PROFILE',
  CONTACT = 'CONTACT',
  PERSONAL = 'PERSONAL',
  CREDENTIALS = 'CREDENTIALS',
  ELIGIBILITY = 'ELIGIBILITY',
}
registerEnumType(ConsentScope, {
  name: 'ConsentScope',
  description: 'What a consent covers.',
  valuesConfig: {
    PROFILE: { description: 'Name and state.' },
    CONTACT: { description: 'Email and phone.' },
    PERSONAL: { description: 'Date of birth and citizenship; never shown to employers.' },
    CREDENTIALS: { description: 'Credentials, including private ones.' },
    ELIGIBILITY: { description: 'Funding eligibility checks that use the learner\'s data.' },
  },
});

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
