import { actingEmployerId, Cacheable, Forbidden, NotFound, parseInput, requirePrincipal, rules } from '@tauliah/core';
import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import type { EmployerRow } from '../db/schema.ts';
import { seesEmployerProfile, seesJobRole } from '../policy.ts';
import { Employer, employerBehind, toEmployer } from './employer.ts';
import { JobRole } from './job-role.ts';

/** The employer if it exists and this viewer may see it (the public only sees employers behind a published job role). */
async function visibleEmployer(id: string, { viewer, loaders }: Context): Promise<Employer | null> {
  const row = await loaders.employer.load(id);
  if (!row) return null;
  const published = viewer.kind === 'principal' || (await loaders.publishedEmployer.load(id)) !== null;
  return seesEmployerProfile(viewer, published) ? toEmployer(row) : null;
}

@Resolver(() => Employer)
export class EmployerResolver {
  @Cacheable()
  @Query(() => Employer, { description: "An employer's public profile." })
  async employer(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<Employer> {
    const found = await visibleEmployer(parseInput(rules.uuid('employer id'), id, 'id'), context);
    if (!found) throw new NotFound('Employer', id);
    return found;
  }

  @Authorized('EMPLOYER', 'PARTNER')
  @Query(() => Employer, { description: 'The employer the signed-in staff member or partner system acts for.' })
  async myEmployer(@Ctx() { viewer, loaders }: Context): Promise<Employer> {
    const employerId = actingEmployerId(requirePrincipal(viewer));
    if (!employerId) throw new Forbidden('Only a partner system acting for an employer has one.');
    return employerBehind(employerId, loaders);
  }

  @Authorized('ADMIN')
  @Query(() => Employer, {
    nullable: true,
    description:
      'The employer with this SSM registration number, or null when none has it. For platform administrators: checked before approving an application to join as an employer.',
  })
  async employerByRegistrationNumber(@Arg('registrationNumber', () => String) registrationNumber: string, @Ctx() { loaders }: Context): Promise<Employer | null> {
    const row = await loaders.employerByRegistrationNumber.load(parseInput(rules.nonEmpty(100), registrationNumber, 'registrationNumber'));
    return row && toEmployer(row);
  }

  @FieldResolver(() => [JobRole], { description: 'Published job roles, by title; the employer\'s own staff and administrators also see drafts.' })
  async jobRoles(@Root() employer: EmployerRow, @Ctx() { viewer, loaders }: Context): Promise<JobRole[]> {
    const roles = await loaders.jobRolesOfEmployer.load(employer.id);
    return roles.filter((role) => seesJobRole(viewer, role));
  }
}

export const employerReference = {
  Employer: {
    __resolveReference: ({ id }: { id: string }, context: Context) => visibleEmployer(id, context),
  },
};
