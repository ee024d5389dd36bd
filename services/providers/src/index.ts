import { allOf, buildFederatedSchema, defineService, startOutboxRelay } from '@tauliah/core';
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
import { WebhookEndpointResolver } from './graph/webhook.resolver.ts';
import { WebhookDeliveryResolver } from './graph/webhook-delivery.resolver.ts';
import { ApelMApplicationResolver, ApelMEvidenceResolver } from './graph/apel-m-application.resolver.ts';
import { LearnerApelMApplicationsResolver, PathwayApelMApplicationsResolver } from './graph/apel-m-lists.resolver.ts';
import { apelMLoaders } from './apel-m/loaders.ts';
import { createLoaders } from './loaders.ts';
import { seed } from './seed.ts';
import { staffAccountsIn } from './staff/accounts.ts';
import { webhookLoaders } from './webhooks/loaders.ts';
import { providersSettings } from './webhooks/settings.ts';
import { startWebhookWorker } from './webhooks/worker.ts';

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
 *
 * Keeping the register of organisations of every kind, it also keeps their
 * webhook endpoints (`WebhookEndpoint`), whichever kind they are: partners'
 * systems hear of what concerns their organisation, signed as Standard
 * Webhooks specifies. Its worker consumes the events partners hear about
 * from every producer, queues a delivery per endpoint concerned, and
 * delivers them with retries (webhooks/).
 *
 * Owning pathways, it also keeps what a learner makes of one at its end:
 * their application for APEL.M entry to its target programme, with the
 * evidence their progress gave when they applied, and the provider's
 * decision (`ApelMApplication`, apel-m/); it adds the applications to
 * `Learner` (`Learner.apelMApplications`).
 */
export const providersService = defineService({
  name: 'providers',
  tables,
  settings: providersSettings,
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
          WebhookEndpointResolver,
          WebhookDeliveryResolver,
          ApelMApplicationResolver,
          ApelMEvidenceResolver,
          PathwayApelMApplicationsResolver,
          LearnerApelMApplicationsResolver,
        ],
      },
      { ...providerReference, ...courseReference, ...pathwayReference, ...skillReference },
    ),
  // The webhooks and APEL.M capabilities' loaders beside the service's own (webhooks/context.ts, apel-m/context.ts).
  createLoaders: (context) => ({ ...createLoaders(context), webhooks: webhookLoaders(context), apelM: apelMLoaders(context) }),
  seed,
  // The authority on who acts for a provider: checked here on every request, one statement.
  staffAccounts: staffAccountsIn,
  worker: (env) => allOf([startOutboxRelay({ db: env.db, outbox, transport: env.events, log: env.log }), startWebhookWorker(env)]),
});
export { providersSettings, type ProvidersConfig } from './webhooks/settings.ts';
