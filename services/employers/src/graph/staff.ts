import type { StaffKind, StaffRole } from '@tauliah/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { StaffAccountRow } from '../db/schema.ts';
import { Employer } from './employer.ts';

export enum EmployerStaffRole {
  ADMIN = 'ADMIN',
  STAFF = 'STAFF',
}
registerEnumType(EmployerStaffRole, {
  name: 'EmployerStaffRole',
  description: 'What a staff account may do for its employer.',
  valuesConfig: {
    ADMIN: { description: 'Acts for the employer and adds, changes and removes its staff accounts. An employer always keeps at least one.' },
    STAFF: { description: 'Acts for the employer (job roles, endorsements, talent search) but does not manage staff.' },
  },
});

export enum EmployerStaffKind {
  PERSON = 'PERSON',
  SYSTEM = 'SYSTEM',
}
registerEnumType(EmployerStaffKind, {
  name: 'EmployerStaffKind',
  description: 'Who signs in with the account.',
  valuesConfig: {
    PERSON: { description: 'A person, with a token of role EMPLOYER.' },
    SYSTEM: { description: 'A partner system (an HR system, say), with a token of role PARTNER.' },
  },
});

@ObjectType({
  description:
    'A person or partner system acting for an employer. A token with an employerId acts for that employer only while its sub has a staff account there.',
})
export class EmployerStaffAccount {
  @Field(() => Employer)
  employer!: Employer;

  @Field(() => String, { description: 'The `sub` of the token the person or system signs in with.' })
  subject!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Work email (for a system, whoever runs it).' })
  email!: string;

  @Field(() => EmployerStaffKind)
  kind!: StaffKind;

  @Field(() => EmployerStaffRole)
  role!: StaffRole;

  @Field(() => String, { description: 'The subject of whoever added the account.' })
  addedBy!: string;

  @Field(() => Date)
  addedAt!: Date;
}

/** A row as the GraphQL type; `employer` is resolved from the row's employerId. */
export type StaffAccountNode = Omit<EmployerStaffAccount, 'employer'> & { employerId: string };

export const toStaffAccount = (row: StaffAccountRow): StaffAccountNode => ({ ...row, kind: row.kind as StaffKind, role: row.role as StaffRole });
