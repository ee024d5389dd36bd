import { Forbidden, NotFound, parseInput, rules } from '@tauliah/core';
import { and, eq } from 'drizzle-orm';
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Context, Transaction } from '../context.ts';
import { jobRole, jobRoleSkill, type JobRoleRow } from '../db/schema.ts';
import { employerActingFor, isStaffOf, seesJobRole } from '../policy.ts';
import { assertSkillsExist } from './graph-reads.ts';
import { JobRoleInput, jobRoleInputSchema, type JobRoleInputValues } from './job-role.inputs.ts';
import { JobRole } from './job-role.ts';

const writeSkills = (tx: Transaction, jobRoleId: string, skills: JobRoleInputValues['requiredSkills']) =>
  tx.insert(jobRoleSkill).values(skills.map((s) => ({ jobRoleId, skillCode: s.skillCode, minimumLevel: s.minimumLevel })));

/** A role the viewer's employer owns: NOT_FOUND if the viewer may not see it, FORBIDDEN if it may see but not change it. */
async function ownRole({ viewer, loaders }: Context, id: string): Promise<JobRoleRow> {
  const employerId = employerActingFor(viewer);
  const row = await loaders.jobRole.load(parseInput(rules.uuid('job role id'), id, 'id'));
  if (!row || !seesJobRole(viewer, row)) throw new NotFound('JobRole', id);
  if (!isStaffOf(viewer, row.employerId)) throw new Forbidden('Only the employer that owns a job role may change it.');
  return row;
}

@Resolver(() => JobRole)
export class JobRoleManagementResolver {
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
