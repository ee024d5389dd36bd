import { Cacheable, ConnectionType, pageSize, parseInput, rules, selectsPath, selectsTotalCount } from '@tauliah/core';
import { and, eq } from 'drizzle-orm';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { jobRole, jobRoleSkill, type JobRoleRow } from '../db/schema.ts';
import { ownRole, writeSkills } from '../job-roles/editing.ts';
import { searchJobRoles } from '../job-roles/search.ts';
import { employerActingFor, seesJobRole, visibleJobRole } from '../policy.ts';
import { Employer, employerBehind } from './employer.ts';
import { assertSkillsExist } from '../graph-reads.ts';
import { JobRoleFilter, jobRoleFilterSchema, JobRoleInput, jobRoleInputSchema } from './job-role.inputs.ts';
import { JobRole, RequiredSkill } from './job-role.ts';

const JobRoleConnection = ConnectionType('JobRole', JobRole);

/** Job roles: published ones for anyone to browse, and their writing by the employer that owns them. */
@Resolver(() => JobRole)
export class JobRoleResolver {
  @Cacheable()
  @Query(() => JobRole, { description: 'One job role. A draft is NOT_FOUND except to its employer and administrators.' })
  async jobRole(@Arg('id', () => ID) id: string, @Ctx() { viewer, loaders }: Context): Promise<JobRole> {
    const row = await loaders.jobRole.load(parseInput(rules.uuid('job role id'), id, 'id'));
    return visibleJobRole(viewer, row, id);
  }

  @Cacheable()
  @Query(() => JobRoleConnection, { description: 'Published job roles by title, a page at a time.' })
  async jobRoles(
    @Arg('filter', () => JobRoleFilter, { nullable: true }) filter: JobRoleFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
    @Ctx() { db, loaders }: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const limit = pageSize(first);
    const read = { total: selectsTotalCount(info), requiredSkills: selectsPath(info, ['edges', 'node', 'requiredSkills']) };
    const { page, requiredSkills } = await searchJobRoles(db, parseInput(jobRoleFilterSchema, filter ?? {}, 'filter'), limit, after, read);
    // The page read its roles' required skills: their requiredSkills fields ask nothing more.
    for (const [roleId, skills] of requiredSkills) loaders.requiredSkills.prime(roleId, skills);
    return page;
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

  @Authorized('EMPLOYER', 'PARTNER')
  @Mutation(() => JobRole, { description: "Creates a draft job role for the caller's employer; skills must exist in the taxonomy." })
  async createJobRole(@Arg('input', () => JobRoleInput) input: JobRoleInput, @Ctx() context: Context): Promise<JobRoleRow> {
    const employerId = employerActingFor(context.viewer);
    const values = parseInput(jobRoleInputSchema, input, 'input');
    await assertSkillsExist(context.graph, values.requiredSkills.map((s) => s.skillCode));
    const { requiredSkills, ...role } = values;
    return context.db.transaction(async (tx) => {
      const [created] = await tx.insert(jobRole).values({ ...role, employerId }).returning();
      await writeSkills(tx, created!.id, requiredSkills);
      return created!;
    });
  }

  @Authorized('EMPLOYER', 'PARTNER')
  @Mutation(() => JobRole, { description: 'Rewrites a job role of your employer: its text and, replacing the old list, its required skills.' })
  async updateJobRole(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => JobRoleInput) input: JobRoleInput,
    @Ctx() context: Context,
  ): Promise<JobRoleRow> {
    const row = await ownRole(context, id);
    const values = parseInput(jobRoleInputSchema, input, 'input');
    await assertSkillsExist(context.graph, values.requiredSkills.map((s) => s.skillCode));
    const { requiredSkills, ...role } = values;
    return context.db.transaction(async (tx) => {
      const [updated] = await tx.update(jobRole).set(role).where(and(eq(jobRole.id, row.id), eq(jobRole.employerId, row.employerId))).returning();
      await tx.delete(jobRoleSkill).where(eq(jobRoleSkill.jobRoleId, row.id));
      await writeSkills(tx, row.id, requiredSkills);
      return updated!;
    });
  }

  @Authorized('EMPLOYER', 'PARTNER')
  @Mutation(() => JobRole, { description: 'Publishes a job role of your employer (anyone may then browse it), or takes it back to draft.' })
  async publishJobRole(
    @Arg('id', () => ID) id: string,
    @Arg('published', () => Boolean, { defaultValue: true }) published: boolean,
    @Ctx() context: Context,
  ): Promise<JobRoleRow> {
    const row = await ownRole(context, id);
    const [updated] = await context.db
      .update(jobRole)
      .set({ published })
      .where(and(eq(jobRole.id, row.id), eq(jobRole.employerId, row.employerId)))
      .returning();
    return updated!;
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
