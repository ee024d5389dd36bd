import { buildFederatedSchema, defineService, startOutboxRelay } from '@tauliah/core';
import { fileURLToPath } from 'node:url';
import { outbox, tables } from './db/schema.ts';
// type-graphql lists Query and Mutation fields in the order these modules load: reordering them reorders the schema.
import { CourseResolver, courseReference } from './graph/course.resolver.ts';
import { PathwayResolver, PathwayStageResolver, pathwayReference } from './graph/pathway.resolver.ts';
import { ProviderResolver, providerReference } from './graph/provider.resolver.ts';
import { CreditRecognitionResolver } from './graph/recognition.resolver.ts';
import { SkillResolver, skillReference } from './graph/skill.resolver.ts';
import { ProviderStaffAccountResolver, ProviderStaffResolver } from './graph/staff.resolver.ts';
import { ProviderStandingResolver } from './graph/standing.resolver.ts';
import { OrganisationApplicationResolver } from './graph/application.resolver.ts';
import { createLoaders } from './loaders.ts';
import { seed } from './seed.ts';
import { staffAccountsIn } from './staff/accounts.ts';

/**
 * Providers: the issuers and their standing, the staff accounts acting for
 * them, their micro-credential courses, stackable pathways and the skills
 * taxonomy. Owns `Provider`, `Course`, `Pathway`, `Skill`.
 *
 * It also keeps the register of organisations applying to join the platform
 * (`OrganisationApplication`), of every kind: an approved PROVIDER it creates
 * itself; an approved EMPLOYER or FUNDER it announces (organisation.approved)
 * to the employers or funding service, which creates it. Its outbox carries
 * that, provider.standing and skill.retired, published by its relay.
 */
export const providersService = defineService({
  name: 'providers',
  tables,
  migrationsFolder: fileURLToPath(new URL('./db/migrations', import.meta.url)),
  buildSchema: () =>
    buildFederatedSchema(
      {
        resolvers: [
          ProviderResolver,
          ProviderStaffResolver,
          ProviderStaffAccountResolver,
          CourseResolver,
          PathwayResolver,
          PathwayStageResolver,
          CreditRecognitionResolver,
          SkillResolver,
          ProviderStandingResolver,
          OrganisationApplicationResolver,
        ],
      },
      { ...providerReference, ...courseReference, ...pathwayReference, ...skillReference },
    ),
  createLoaders,
  seed,
  // The authority on who acts for a provider: checked here on every request, one statement.
  staffAccounts: staffAccountsIn,
  worker: ({ db, events, log }) => startOutboxRelay({ db, outbox, transport: events, log }),
});
