import { ConnectionType } from '@tauliah/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { OrganisationApplicationRow } from '../db/schema.ts';
import { ProviderKind } from './provider.ts';

export enum OrganisationKind {
  PROVIDER = 'PROVIDER',
  EMPLOYER = 'EMPLOYER',
  FUNDER = 'FUNDER',
}
registerEnumType(OrganisationKind, {
  name: 'OrganisationKind',
  description: 'What an organisation joins the platform as.',
  valuesConfig: {
    PROVIDER: { description: 'An institution that publishes micro-credential courses and issues credentials (MQA-registered and/or an HRD Corp training provider).' },
    EMPLOYER: { description: 'A company, by its SSM company number, that hires, endorses courses and claims HRD Corp grants.' },
    FUNDER: { description: 'A body that funds training: HRD Corp, an aid agency, a bursary scheme.' },
  },
});

/** The same size bands, and the same GraphQL enum, as the employers service's Employer.size. */
export enum EmployerSize {
  MICRO = 'MICRO',
  SMALL = 'SMALL',
  MEDIUM = 'MEDIUM',
  LARGE = 'LARGE',
}
registerEnumType(EmployerSize, { name: 'EmployerSize', description: 'Size band of a company (SME Corporation Malaysia definitions).' });

export enum OrganisationApplicationStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}
registerEnumType(OrganisationApplicationStatus, {
  name: 'OrganisationApplicationStatus',
  description: 'Where an application to join stands. A decision is final: a rejected organisation applies again with a new application.',
});

export enum OrganisationApplicationDecision {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
}
registerEnumType(OrganisationApplicationDecision, { name: 'OrganisationApplicationDecision' });

@ObjectType({ description: "An organisation's first administrator: made its first ADMIN staff account when it is approved." })
export class OrganisationAdministrator {
  @Field(() => String, { description: 'The `sub` of the token they sign in with.' })
  subject!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Work email.' })
  email!: string;
}

@ObjectType({
  description:
    'An organisation applying to join as a PROVIDER, EMPLOYER or FUNDER, and what a platform administrator decided. Only the applicant (the token subject that applied) and platform administrators can read it.',
})
export class OrganisationApplication {
  @Field(() => ID)
  id!: string;

  @Field(() => OrganisationKind)
  kind!: OrganisationKind;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Malaysian state or federal territory of its main office or campus.' })
  state!: string;

  @Field(() => String, { nullable: true })
  website!: string | null;

  @Field(() => ProviderKind, { nullable: true, description: 'PROVIDER: what kind of institution it is.' })
  providerKind!: ProviderKind | null;

  @Field(() => String, { nullable: true, description: 'PROVIDER: its registration with the Malaysian Qualifications Agency.' })
  mqaRegistration!: string | null;

  @Field(() => String, { nullable: true, description: 'PROVIDER: its HRD Corp training-provider number (Provider.hrdCorpRegistration once approved).' })
  hrdCorpTrainingProviderNumber!: string | null;

  @Field(() => String, { nullable: true, description: "EMPLOYER: its SSM company number; FUNDER: its registration (statutory body or company) number." })
  registrationNumber!: string | null;

  @Field(() => String, { nullable: true, description: 'EMPLOYER: its economic sector.' })
  sector!: string | null;

  @Field(() => EmployerSize, { nullable: true, description: 'EMPLOYER: its size band.' })
  size!: EmployerSize | null;

  @Field(() => Int, { nullable: true, description: 'EMPLOYER: how many people it employs.' })
  employeeCount!: number | null;

  @Field(() => String, { nullable: true, description: 'EMPLOYER: its HRD Corp employer registration number, when registered.' })
  hrdCorpEmployerNumber!: string | null;

  @Field(() => OrganisationAdministrator)
  administrator!: OrganisationAdministrator;

  @Field(() => String, { description: 'The `sub` of the token that applied.' })
  applicantSubject!: string;

  @Field(() => OrganisationApplicationStatus)
  status!: OrganisationApplicationStatus;

  @Field(() => String, { nullable: true, description: "The administrator's reason for the decision." })
  reason!: string | null;

  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Once APPROVED: the id of the organisation (a Provider here; an Employer or Funder, created by its own service moments after approval).',
  })
  organisationId!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

export const OrganisationApplicationConnection = ConnectionType('OrganisationApplication', OrganisationApplication);

export function toOrganisationApplication(row: OrganisationApplicationRow): OrganisationApplication {
  const { administratorSubject, administratorName, administratorEmail, ...rest } = row;
  return {
    ...rest,
    kind: row.kind as OrganisationKind,
    providerKind: row.providerKind as ProviderKind | null,
    size: row.size as EmployerSize | null,
    status: row.status as OrganisationApplicationStatus,
    administrator: { subject: administratorSubject, name: administratorName, email: administratorEmail },
  };
}
