import { allOf, buildFederatedSchema, defineService, organisationApprovedEvent, startEventConsumer, startOutboxRelay } from '@tauliah/core';
import { fileURLToPath } from 'node:url';
import { outbox, tables } from './db/schema.ts';
import { applyOrganisationApproved, ORGANISATION_APPROVED_CONSUMER } from './events/organisation-approved.ts';
import { ApplicationResolver } from './graph/application.resolver.ts';
import { CourseApprovalResolver } from './graph/course-approval.resolver.ts';
import { EmployerLevyResolver, LevyAccountResolver, LevyPaymentResolver } from './graph/levy.resolver.ts';
import { CourseFundingResolver } from './graph/course-funding.resolver.ts';
import { LearnerApplicationsResolver } from './graph/learner-applications.resolver.ts';
import { LearnerEligibilityResolver } from './graph/eligibility.resolver.ts';
import { Course, Employer, Learner } from './graph/entities.ts';
import { FunderResolver, funderReference } from './graph/funder.resolver.ts';
import { SchemeResolver, schemeReference } from './graph/scheme.resolver.ts';
import { FunderStaffAccountResolver, FunderStaffResolver } from './graph/staff.resolver.ts';
import { createLoaders } from './loaders.ts';
import { seed } from './seed.ts';
import { staffAccountsIn } from './staff/accounts.ts';

/**
 * Funding: funders (HRD Corp, B40 aid, and funding bodies that join through an approved application) and the
 * officers acting for them, their schemes, eligibility, course approvals, applications, budgets, and the levy
 * payments HRD Corp records into employers' levy accounts. Owns `Funder` and `Scheme`. Creates the funders the
 * providers service's organisation.approved events announce; publishes its decisions on applications, claims and
 * course approvals (its outbox).
 */
export const fundingService = defineService({
  name: 'funding',
  tables,
  migrationsFolder: fileURLToPath(new URL('./db/migrations', import.meta.url)),
  buildSchema: () =>
    buildFederatedSchema(
      {
        resolvers: [
          SchemeResolver,
          FunderResolver,
          FunderStaffResolver,
          FunderStaffAccountResolver,
          LearnerEligibilityResolver,
          LearnerApplicationsResolver,
          CourseFundingResolver,
          CourseApprovalResolver,
          ApplicationResolver,
          EmployerLevyResolver,
          LevyAccountResolver,
          LevyPaymentResolver,
        ],
        orphanedTypes: [Learner, Employer, Course],
      },
      { ...schemeReference, ...funderReference },
    ),
  createLoaders,
  seed,
  // The authority on who acts for a funder: checked here on every request, one statement.
  staffAccounts: staffAccountsIn,
  // Publishes funders' decisions (its outbox) and creates the funders the providers service approves.
  worker: ({ db, events, log }) =>
    allOf([
      startOutboxRelay({ db, outbox, transport: events, log }),
      startEventConsumer({
        transport: events,
        contract: organisationApprovedEvent,
        durable: ORGANISATION_APPROVED_CONSUMER,
        handle: (event) => applyOrganisationApproved(db, event, log),
        log,
      }),
    ]),
});
