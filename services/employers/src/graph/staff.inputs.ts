import { rules, STAFF_KINDS, STAFF_ROLES } from '@tauliah/core';
import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { EmployerStaffKind, EmployerStaffRole } from './staff.ts';

/** A token's `sub` exactly as the identity provider writes it (OIDC: at most 255 ASCII characters). */
export const staffSubjectRule = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .regex(/^[\x21-\x7E]*$/, "must be the token's sub exactly: printable ASCII, no spaces");

export const employerIdArgument = rules.uuid('employer id').nullish();

@InputType({ description: 'A person or partner system to act for an employer.' })
export class EmployerStaffInput {
  @Field(() => String, { description: 'The `sub` of the token they sign in with, e.g. "staff:perisian:recruiter".' })
  subject!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Work email (for a system, whoever runs it).' })
  email!: string;

  @Field(() => EmployerStaffKind, { description: 'PERSON for EMPLOYER tokens, SYSTEM for PARTNER tokens.' })
  kind!: EmployerStaffKind;

  @Field(() => EmployerStaffRole)
  role!: EmployerStaffRole;
}

export const staffInputSchema = z.object({
  subject: staffSubjectRule,
  name: rules.nonEmpty(200),
  email: rules.email,
  kind: z.enum(STAFF_KINDS),
  role: z.enum(STAFF_ROLES),
});

export type StaffInputValues = z.infer<typeof staffInputSchema>;
