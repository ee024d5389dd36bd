import { rules } from '@tauliah/core';
import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { Citizenship, CredentialVisibility } from './learner.ts';

@InputType({ description: 'A new learner: by themselves (id = their token subject) or enrolled by a provider or partner.' })
export class RegisterLearnerInput {
  @Field(() => String)
  fullName!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  dateOfBirth!: string;

  @Field(() => Citizenship)
  citizenship!: Citizenship;

  @Field(() => String, { nullable: true, description: 'MyKad number (YYMMDD-PB-###G); stored only as a keyed hash and the last four digits.' })
  nric?: string | null;

  @Field(() => String, { nullable: true })
  state?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'A learner registering themselves: let employers find you by your state of residence in talent search (default false). While on, any employer searching talent can learn which state you live in, without your PROFILE consent. Only the learner decides this: providers, partners and administrators may not turn it on (the learner can, later, with updateMyProfile).',
  })
  shareStateInTalentSearch?: boolean | null;

  @Field(() => CredentialVisibility, {
    nullable: true,
    description:
      'A learner registering themselves: who may see credentials issued to you (default PRIVATE). Only the learner decides this: providers, partners and administrators may not set it (the learner can, later, with updateMyProfile).',
  })
  credentialVisibility?: CredentialVisibility | null;

  @Field(() => ID, { nullable: true, description: 'Providers and partners: a key of your choosing; retrying with it returns the learner created the first time.' })
  idempotencyKey?: string | null;
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
const NRIC = /^(\d{6})-?(\d{2})-?(\d{4})$/;

export const registerLearnerSchema = z
  .object({
    fullName: rules.nonEmpty(200),
    email: rules.email,
    phone: rules.phone.nullish(),
    dateOfBirth: rules.isoDate.refine((d) => {
      const age = (Date.now() - Date.parse(d)) / (365.25 * 86_400_000);
      return age >= 13 && age <= 120;
    }, 'must give an age between 13 and 120'),
    citizenship: z.nativeEnum(Citizenship),
    nric: z.string().trim().regex(NRIC, 'must be a MyKad number such as 060314-10-5522').nullish(),
    state: state.nullish(),
    shareStateInTalentSearch: z.boolean().nullish(),
    credentialVisibility: credentialVisibility.nullish(),
    idempotencyKey: z.string().min(1).max(200).nullish(),
  })
  .superRefine((input, ctx) => {
    if (input.citizenship !== Citizenship.NON_CITIZEN && !input.nric) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['nric'], message: 'is required for Malaysian citizens and permanent residents' });
    }
    const birth = input.nric ? NRIC.exec(input.nric)?.[1] : undefined;
    if (birth && birth !== input.dateOfBirth.slice(2).replaceAll('-', '')) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['nric'], message: 'does not match dateOfBirth (its first six digits are YYMMDD)' });
    }
  });

export const updateMyProfileSchema = z.object({
  fullName: rules.nonEmpty(200).optional(),
  email: rules.email.optional(),
  phone: rules.phone.nullable().optional(),
  state: state.optional(),
  shareStateInTalentSearch: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
  credentialVisibility: credentialVisibility.optional(),
});

export function nricDigits(nric: string): string {
  return nric.replace(/-/g, '');
}
