import { buildFederatedSchema, defineService, organisationApprovedEvent, startEventConsumer } from '@tauliah/core';
import { fileURLToPath } from 'node:url';
import { tables } from './db/schema.ts';
import { applyOrganisationApproved, ORGANISATION_APPROVED_CONSUMER } from './events/organisation-approved.ts';
// type-graphql lists Query and Mutation fields in the order these modules load: reordering them reorders the schema.
import { EligibilityEmployerResolver } from './graph/eligibility-employer.resolver.ts';
import { EmployerResolver, employerReference } from './graph/employer.resolver.ts';
import { EmployerEmploymentResolver } from './graph/employer-employment.resolver.ts';
import { EmploymentResolver, LearnerEmploymentResolver } from './graph/employment.resolver.ts';
import { EmploymentRecordResolver } from './graph/employment-record.resolver.ts';
import { JobRoleResolver, jobRoleReference } from './graph/job-role.resolver.ts';
import { CourseEndorsementResolver } from './graph/endorsement.resolver.ts';
import { EmployerStaffAccountResolver, EmployerStaffResolver } from './graph/staff.resolver.ts';
import { createLoaders } from './loaders.ts';
import { seed } from './seed.ts';
import { staffAccountsIn } from './staff/accounts.ts';

/**
 * Employers: companies, the staff accounts acting for them, their job roles and required skills, who works where
 * (recorded by the employer, confirmed by the learner), and the courses they endorse. Owns `Employer` and `JobRole`;
 * adds `Course.endorsements` and `Learner.employment`. Creates the employers whose applications to join a platform
 * administrator approved, from the providers service's events.
 */
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
          EmployerEmploymentResolver,
          JobRoleResolver,
          CourseEndorsementResolver,
          LearnerEmploymentResolver,
          EmploymentResolver,
          EmploymentRecordResolver,
          EligibilityEmployerResolver,
        ],
      },
      { ...employerReference, ...jobRoleReference },
    ),
  createLoaders,
  seed,
  // The authority on who acts for an employer: checked here on every request, one statement.
  staffAccounts: staffAccountsIn,
  worker: ({ db, events, log }) =>
    startEventConsumer({
      transport: events,
      contract: organisationApprovedEvent,
      durable: ORGANISATION_APPROVED_CONSUMER,
      handle: (event) => applyOrganisationApproved(db, event, log),
      log,
    }),
});
