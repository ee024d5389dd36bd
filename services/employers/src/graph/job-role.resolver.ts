import { ConnectionType, pageSize, parseInput, rules } from '@tauliah/core';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import type { JobRoleRow } from '../db/schema.ts';
import { seesJobRole, visibleJobRole } from '../policy.ts';
import { Employer, employerBehind } from './employer.ts';
import { JobRoleFilter, jobRoleFilterSchema } from './job-role.inputs.ts';
import { JobRole, RequiredSkill } from './job-role.ts';
import { searchJobRoles } from './job-role.search.ts';

const JobRoleConnection = ConnectionType('JobRole', JobRole);

@Resolver(() => JobRole)
export class JobRoleResolver {
  @Query(() => JobRole, { description: 'One job role. A draft is NOT_FOUND except to its employer and administrators.' })
  async jobRole(@Arg('id', () => ID) id: string, @Ctx() { viewer, loaders }: Context): Promise<JobRole> {
    const row = await loaders.jobRole.load(parseInput(rules.uuid('job role id'), id, 'id'));
    return visibleJobRole(viewer, row, id);
  }

  @Query(() => JobRoleConnection, { description: 'Published job roles by title, a page at a time.' })
  async jobRoles(
    @Arg('filter', () => JobRoleFilter, { nullable: true }) filter: JobRoleFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
    @Ctx() { db }: Context,
  ) {
    const limit = pageSize(first);
    return searchJobRoles(db, parseInput(jobRoleFilterSchema, filter ?? {}, 'filter'), limit, after);
  }

  @FieldResolver(() => Employer)
  async employer(@Root() role: JobRoleRow, @Ctx() { loaders }: Context): Promise<Employer> {
    // Whoever may see a role may see its employer's profile: the role is the reason it is public.
    return employerBehind(role.employerId, loaders);
  }

  @FieldResolver(() => [RequiredSkill])
  async requiredSkills(@Root() role: JobRoleRow, @Ctx() { loaders }: Context): Promise<RequiredSkill[]> {
    const skills = await loaders.requiredSkills.load(role.id);
    return skills.map((s) => ({ skill: { code: s.skillCode }, minimumLevel: s.minimumLevel }));
  }
}

export const jobRoleReference = {
  JobRole: {
    __resolveReference: async ({ id }: { id: string }, { viewer, loaders }: Context) => {
      const row = await loaders.jobRole.load(id);
      return row && seesJobRole(viewer, row) ? row : null;
    },
  },
};
