import { Cacheable, Forbidden, NotFound } from '@tauliah/core';
import { Directive, Field, ID, Int, ObjectType, registerEnumType, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { Context } from '../context.ts';
import type { EmployerRow } from '../db/schema.ts';
import type { Loaders } from '../loaders.ts';
import { seesEmployerPrivateFacts } from '../policy.ts';

export enum EmployerSize {
  MICRO = 'MICRO',
  SMALL = 'SMALL',
  MEDIUM = 'MEDIUM',
  LARGE = 'LARGE',
}
registerEnumType(EmployerSize, { name: 'EmployerSize', description: 'Size band of a company (SME Corporation Malaysia definitions).' });

/** Guards a field that only the employer's own staff, funders and administrators may read. */
const PrivateFact = () =>
  UseMiddleware((async ({ root, context, info }, next) => {
    if (!seesEmployerPrivateFacts(context.viewer, (root as EmployerRow).id)) {
      throw new Forbidden(`Only the employer's own staff, funders and administrators may read ${info.fieldName}.`);
    }
    return next() as Promise<unknown>;
  }) satisfies MiddlewareFn<Context>);

@ObjectType({ description: 'A company that hires and trains people. The public sees the business facts of employers with published job roles.' })
@Directive('@key(fields: "id")')
@Cacheable()
export class Employer {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true, description: 'SSM registration number. Only for its own staff, funders and administrators.' })
  @PrivateFact()
  registrationNumber!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Economic sector (MSIC section), e.g. "Manufacturing".' })
  sector!: string;

  @Field(() => EmployerSize)
  size!: EmployerSize;

  @Field(() => Int, { nullable: true, description: 'Number of employees. Only for its own staff, funders and administrators.' })
  @PrivateFact()
  employeeCount!: number;

  @Field(() => String, { description: 'Malaysian state or federal territory of its head office.' })
  state!: string;

  @Field(() => Boolean, { description: 'Registered with HRD Corp and paying the training levy, so its staff may be trained on HRD Corp grants.' })
  hrdCorpRegistered!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "HRD Corp employer registration number, as given when the employer joined; null when none was given. Only for its own staff, funders and administrators.",
  })
  @PrivateFact()
  hrdCorpEmployerNumber!: string | null;
}

export const toEmployer = (row: EmployerRow): Employer => ({ ...row, size: row.size as EmployerSize });

/** The employer a visible job role, employment or token points to; the foreign key (or the token) says it exists. */
export async function employerBehind(employerId: string, loaders: Loaders): Promise<Employer> {
  const row = await loaders.employer.load(employerId);
  if (!row) throw new NotFound('Employer', employerId);
  return toEmployer(row);
}
