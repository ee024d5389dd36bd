import { rules } from '@tauliah/core';
import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { checkIdentity, identityFields, MAX_AGE, MIN_AGE } from '../identity/documents.ts';
import { Citizenship, CredentialVisibility } from './learner.ts';

export const NRIC_DESCRIPTION =
  'Malaysian citizens and permanent residents: the MyKad or MyPR number (YYMMDD-PB-###G), whose first six digits must be the date of birth. Stored only as a keyed hash, with its last four digits encrypted.';
export const PASSPORT_DESCRIPTION = 'Non-citizens: the passport number as printed. Stored only as a keyed hash, never in clear.';
export const NATIONALITY_DESCRIPTION = 'Non-citizens: the state that issued the passport, as its ISO 3166-1 alpha-3 code printed in the passport (IDN, PHL, GBR).';

/** The person a registration or an enrolment names: the same fields, checked by the same rules (personFields). Only its subclasses are in the schema. */
@InputType()
export class PersonInput {
  @Field(() => String)
  fullName!: string;

  @Field(() => String, { description: 'An e-mail address to reach them at. Two learners may share one.' })
  email!: string;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => String, { description: `YYYY-MM-DD; an age of ${MIN_AGE} to ${MAX_AGE}.` })
  dateOfBirth!: string;

  @Field(() => Citizenship)
  citizenship!: Citizenship;

  @Field(() => String, { nullable: true, description: NRIC_DESCRIPTION })
  nric?: string | null;

  @Field(() => String, { nullable: true, description: PASSPORT_DESCRIPTION })
  passportNumber?: string | null;

  @Field(() => String, { nullable: true, description: NATIONALITY_DESCRIPTION })
  nationality?: string | null;

  @Field(() => String, { nullable: true })
  state?: string | null;
}

@InputType({ description: 'A learner registering themselves (their id is their token subject). Providers enrol their students with enrolLearner.' })
export class RegisterLearnerInput extends PersonInput {
  @Field(() => Boolean, {
    nullable: true,
    description:
      'Let employers find you by your state of residence in talent search (default false). While on, any employer searching talent can learn which state you live in, without your PROFILE consent. Only you decide this; change it later with updateMyProfile.',
  })
  shareStateInTalentSearch?: boolean | null;

  @Field(() => CredentialVisibility, {
    nullable: true,
    description: 'Who may see credentials issued to you (default PRIVATE). Only you decide this; change it later with updateMyProfile.',
  })
  credentialVisibility?: CredentialVisibility | null;
}

@InputType()
export class UpdateMyProfileInput {
  @Field(() => String, { nullable: true })
  fullName?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Pass null to remove.' })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  state?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'true lets employers find you by your state of residence in talent search (talentSearch(state:)); false stops it. While on, any employer searching talent can learn which state you live in, without your PROFILE consent; your name, contact details and other fields still need your consent. Takes effect in talent search within moments.',
  })
  shareStateInTalentSearch?: boolean | null;

  @Field(() => CredentialVisibility, {
    nullable: true,
    description:
      'Who may see credentials issued to you from now on: PRIVATE (nobody but you, the issuer and administrators), EMPLOYERS, or PUBLIC (anyone, and talent search). Credentials already issued keep their own visibility. Takes effect for issuance within moments.',
  })
  credentialVisibility?: CredentialVisibility | null;
}

const credentialVisibility = z.nativeEnum(CredentialVisibility, { errorMap: () => ({ message: `must be one of ${Object.values(CredentialVisibility).join(', ')}` }) });

const state = rules.malaysianState;

/** A person as a registration or an enrolment describes them; ages between MIN_AGE and MAX_AGE (identity/documents.ts). */
export const personFields = {
  fullName: rules.nonEmpty(200),
  email: rules.email,
  phone: rules.phone.nullish(),
  ...identityFields,
  state: state.nullish(),
};

export const registerLearnerSchema = z
  .object({
    ...personFields,
    shareStateInTalentSearch: z.boolean().nullish(),
    credentialVisibility: credentialVisibility.nullish(),
  })
  .superRefine(checkIdentity);

export const updateMyProfileSchema = z.object({
  fullName: rules.nonEmpty(200).optional(),
  email: rules.email.optional(),
  phone: rules.phone.nullable().optional(),
  state: state.optional(),
  shareStateInTalentSearch: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
  credentialVisibility: credentialVisibility.optional(),
});
