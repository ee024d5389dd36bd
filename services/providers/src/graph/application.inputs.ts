import { MAX_INTEGER, rules, staffSubjectRule } from '@tauliah/core';
import { Field, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import { EmployerSize, OrganisationKind } from './application.ts';
import { ProviderKind } from './provider.ts';

@InputType({ description: "The organisation's first administrator: made its first ADMIN staff account on approval." })
export class OrganisationAdministratorInput {
  @Field(() => String, { description: 'The `sub` of the token they sign in with, exactly as their identity provider writes it.' })
  subject!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Work email.' })
  email!: string;
}

@InputType({
  description:
    'An organisation applying to join. Kind-specific fields are given for their kind only: PROVIDER gives providerKind and mqaRegistration and/or hrdCorpTrainingProviderNumber; EMPLOYER gives registrationNumber (SSM), sector, size, employeeCount and optionally hrdCorpEmployerNumber; FUNDER gives registrationNumber.',
})
export class ApplyToJoinInput {
  @Field(() => OrganisationKind)
  kind!: OrganisationKind;

  @Field(() => String, { description: 'Its registered name.' })
  name!: string;

  @Field(() => String, { description: 'Malaysian state or federal territory of its main office or campus, e.g. "Selangor".' })
  state!: string;

  @Field(() => String, { nullable: true, description: 'An http(s) address.' })
  website?: string | null;

  @Field(() => ProviderKind, { nullable: true, description: 'PROVIDER only, required.' })
  providerKind?: ProviderKind | null;

  @Field(() => String, { nullable: true, description: 'PROVIDER only: its MQA registration. A PROVIDER gives this, hrdCorpTrainingProviderNumber, or both.' })
  mqaRegistration?: string | null;

  @Field(() => String, { nullable: true, description: 'PROVIDER only: its HRD Corp training-provider number.' })
  hrdCorpTrainingProviderNumber?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'EMPLOYER: its SSM company number (12 digits, optionally followed by the old number in brackets, e.g. "201901012345 (1321456-K)"); FUNDER: its registration number.',
  })
  registrationNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'EMPLOYER only, required: its economic sector, e.g. "Manufacturing".' })
  sector?: string | null;

  @Field(() => EmployerSize, { nullable: true, description: 'EMPLOYER only, required.' })
  size?: EmployerSize | null;

  @Field(() => Int, { nullable: true, description: 'EMPLOYER only, required.' })
  employeeCount?: number | null;

  @Field(() => String, { nullable: true, description: 'EMPLOYER only: its HRD Corp employer registration number, when registered.' })
  hrdCorpEmployerNumber?: string | null;

  @Field(() => OrganisationAdministratorInput)
  administrator!: OrganisationAdministratorInput;
}

/** Registration numbers as regulators print them: compared in upper case with single spaces. */
const registration = (example: string) =>
  z
    .string()
    .transform((value) => value.trim().replace(/\s+/g, ' ').toUpperCase())
    .pipe(
      z
        .string()
        .min(1, 'must not be empty')
        .max(50, 'must be at most 50 characters')
        .regex(/^[A-Z0-9][A-Z0-9 ()./-]*$/, `must be a registration number such as ${example} (letters, digits, spaces and ( ) . / -)`),
    );

/** SSM has given every company a 12-digit number since 2019; the old number may follow in brackets. */
const SSM_NUMBER = /^\d{12}( \([A-Z0-9-]+\))?$/;

/** The fields of one kind, and which of them it must give. */
const KIND_FIELDS = {
  PROVIDER: { allowed: ['providerKind', 'mqaRegistration', 'hrdCorpTrainingProviderNumber'], required: ['providerKind'] },
  EMPLOYER: { allowed: ['registrationNumber', 'sector', 'size', 'employeeCount', 'hrdCorpEmployerNumber'], required: ['registrationNumber', 'sector', 'size', 'employeeCount'] },
  FUNDER: { allowed: ['registrationNumber'], required: ['registrationNumber'] },
} as const satisfies Record<OrganisationKind, { allowed: readonly string[]; required: readonly string[] }>;

const KIND_SPECIFIC = [...new Set(Object.values(KIND_FIELDS).flatMap((k) => k.allowed))];

export const applyToJoinSchema = z
  .object({
    kind: z.nativeEnum(OrganisationKind),
    name: rules.nonEmpty(200),
    state: rules.malaysianState,
    website: z
      .string()
      .trim()
      .max(200, 'must be at most 200 characters')
      .url('must be an http(s) address')
      .refine((url) => /^https?:\/\//i.test(url), 'must be an http(s) address')
      .nullish(),
    providerKind: z.nativeEnum(ProviderKind).nullish(),
    mqaRegistration: registration('MQA-DU041').nullish(),
    hrdCorpTrainingProviderNumber: registration('HRDC-TP-100231').nullish(),
    registrationNumber: registration('201901012345 (1321456-K)').nullish(),
    sector: rules.nonEmpty(100).nullish(),
    size: z.nativeEnum(EmployerSize).nullish(),
    employeeCount: z.number().int('must be a whole number').min(0, 'must not be negative').max(MAX_INTEGER).nullish(),
    hrdCorpEmployerNumber: registration('HRDC-E-123456').nullish(),
    administrator: z.object({ subject: staffSubjectRule, name: rules.nonEmpty(200), email: rules.email }),
  })
  .superRefine((input, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    const fields = KIND_FIELDS[input.kind];
    const given = input as Record<string, unknown>;
    for (const field of KIND_SPECIFIC) {
      if (given[field] != null && !(fields.allowed as readonly string[]).includes(field)) {
        problem(field, `is not for a ${input.kind} application: leave it out`);
      }
    }
    for (const field of fields.required) {
      if (given[field] == null) problem(field, `is required for a ${input.kind} application`);
    }
    if (input.kind === OrganisationKind.PROVIDER && input.mqaRegistration == null && input.hrdCorpTrainingProviderNumber == null) {
      problem('mqaRegistration', 'or hrdCorpTrainingProviderNumber is required for a PROVIDER application: give its MQA registration, its HRD Corp training-provider number, or both');
    }
    if (input.kind === OrganisationKind.EMPLOYER && input.registrationNumber != null && !SSM_NUMBER.test(input.registrationNumber)) {
      problem('registrationNumber', 'must be an SSM company number: 12 digits, optionally followed by the old number in brackets, e.g. 201901012345 (1321456-K)');
    }
  });

export type ValidApplication = z.infer<typeof applyToJoinSchema>;

export const idempotencyKeySchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
export const decisionReason = rules.nonEmpty(1000);
