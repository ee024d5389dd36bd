import type { Database } from '@tauliah/core';
import { employers, employerStaff, employments, jobRoles } from '@tauliah/demo-data';
import { employer, employment, jobRole, jobRoleSkill, staffAccount, type tables } from './db/schema.ts';

/** The demo employers, their staff accounts, their job roles (one a draft) with required skills, and the learners they employ. */
export async function seed(db: Database<typeof tables>): Promise<void> {
  await db.insert(employer).values(Object.values(employers).map((e) => ({ ...e })));
  await db.insert(staffAccount).values(employerStaff.map((s) => ({ ...s, addedAt: new Date(s.addedAt) })));
  await db.insert(jobRole).values(jobRoles.map(({ requiredSkills: _skills, ...role }) => role));
  await db
    .insert(jobRoleSkill)
    .values(jobRoles.flatMap((role) => role.requiredSkills.map((s) => ({ jobRoleId: role.id, skillCode: s.skillCode, minimumLevel: s.minimumLevel }))));
  await db.insert(employment).values(employments.map((e) => ({ ...e, until: null })));
}
