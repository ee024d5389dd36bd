import { Forbidden, NotFound, parseInput, rules } from '@tauliah/core';
import type { Context, Transaction } from '../context.ts';
import { jobRoleSkill, type JobRoleRow } from '../db/schema.ts';
import type { JobRoleInputValues } from '../graph/job-role.inputs.ts';
import { employerActingFor, isStaffOf, seesJobRole } from '../policy.ts';

/** Writes a role's required skills (after the old list, if any, was deleted in the same transaction). */
export const writeSkills = (tx: Transaction, jobRoleId: string, skills: JobRoleInputValues['requiredSkills']) =>
  tx.insert(jobRoleSkill).values(skills.map((s) => ({ jobRoleId, skillCode: s.skillCode, minimumLevel: s.minimumLevel })));

/** A role the viewer's employer owns: NOT_FOUND if the viewer may not see it, FORBIDDEN if it may see but not change it. */
export async function ownRole({ viewer, loaders }: Pick<Context, 'viewer' | 'loaders'>, id: string): Promise<JobRoleRow> {
  employerActingFor(viewer); // a token acting for no employer is refused before any lookup
  const row = await loaders.jobRole.load(parseInput(rules.uuid('job role id'), id, 'id'));
  if (!row || !seesJobRole(viewer, row)) throw new NotFound('JobRole', id);
  if (!isStaffOf(viewer, row.employerId)) throw new Forbidden('Only the employer that owns a job role may change it.');
  return row;
}
