import { buildFederatedSchema, defineService } from '@tauliah/core';
import { fileURLToPath } from 'node:url';
import { tables } from './db/schema.ts';
// type-graphql lists Query and Mutation fields in the order these modules load: reordering them reorders the schema.
import { EligibilityEmployerResolver } from './graph/eligibility-employer.resolver.ts';
import { EmployerResolver, employerReference } from './graph/employer.resolver.ts';
import { Learner } from './graph/employment.ts';
import { EmploymentResolver, LearnerEmploymentResolver } from './graph/employment.resolver.ts';
import { JobRoleResolver, jobRoleReference } from './graph/job-role.resolver.ts';
import { CourseEndorsementResolver } from './graph/endorsement.resolver.ts';
import { EmployerStaffAccountResolver, EmployerStaffResolver } from './graph/staff.resolver.ts';
import { createLoaders } from './loaders.ts';
import { seed } from './seed.ts';
import { staffAccountsIn } from './staff/accounts.ts';

/** Employers: companies, the staff accounts acting for them, their job roles and required skills, who works where, and the courses they endorse. Owns `Employer` and `JobRole`; adds `Course.endorsements`. */
export const employersService = defineService({
  name: 'employers',
  tables,
  migrationsFolder: fileURLToPath(new URL('./db/migrations', import.meta.url)),
  buildSchema: () =>
    buildFederatedSchema(
      {
        resolvers: [
          EmployerResolver,
          EmployerStaffResolver,
          EmployerStaffAccountResolver,
          JobRoleResolver,
          CourseEndorsementResolver,
          LearnerEmploymentResolver,
          EmploymentResolver,
          EligibilityEmployerResolver,
        ],
        // Nothing here returns a Learner; the gateway reaches it through _entities.
        orphanedTypes: [Learner],
      },
      { ...employerReference, ...jobRoleReference },
    ),
  createLoaders,
  seed,
  // The authority on who acts for an employer: checked here on every request, one statement.
  staffAccounts: staffAccountsIn,
});
