import { allOf, buildFederatedSchema, defineService, learnerEnrolledEvent, learnerEnrolmentEndedEvent, learnerPreferencesEvent, learnerResidenceEvent, providerStandingEvent, skillRetiredEvent, startEventConsumer, startOutboxRelay } from '@tauliah/core';
import { fileURLToPath } from 'node:url';
import { credentialsSettings, type CredentialsConfig } from './config.ts';
import { outbox, tables } from './db/schema.ts';
import { applyResidence, RESIDENCE_CONSUMER } from './events/learner-residence.ts';
import { applyProviderStanding, PROVIDER_STANDING_CONSUMER } from './events/provider-standing.ts';
import { applyEnrolment, applyEnrolmentEnded, applyPreferences, ENROLMENT_CONSUMER, ENROLMENT_ENDED_CONSUMER, PREFERENCES_CONSUMER } from './events/learner-standing.ts';
import { applySkillRetired, SKILL_RETIRED_CONSUMER } from './events/skill-retired.ts';
import { awardConsumers } from './events/awards.ts';
import { CredentialResolver, credentialReference } from './graph/credential.resolver.ts';
import { CredentialAwardFieldResolver, CredentialAwardResolver } from './graph/credential-award.ts';
import { IssuanceResolver } from './graph/issuance.resolver.ts';
import { IssuedCredentialsResolver } from './graph/issued-credentials.resolver.ts';
import { LearnerCredentialsResolver } from './graph/learner.resolver.ts';
import { LearnerRecordResolver } from './graph/learner-record.resolver.ts';
import { ProviderIssuerResolver } from './graph/provider.resolver.ts';
import { VerificationResolver } from './graph/verification.resolver.ts';
import { CredentialShareLinkResolver } from './graph/share-link.resolver.ts';
import { TalentSearchResolver } from './graph/talent.resolver.ts';
import { JobRoleGapResolver } from './graph/gap.resolver.ts';
import { JobRole } from './graph/gap.ts';
import { progressResolvers } from './graph/progress/index.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import { credentialRoutes } from './routes.ts';
import { seed } from './seed.ts';

/**
 * Credentials: learners' achievements as signed Open Badges 3.0 credentials, who may see them, and their
 * verification. Owns `Credential`; adds `Learner.credentials`, the issuer fields of `Provider`, talent search
 * by verified skill and `JobRole.gapFor`. Keeps the state of residence each learner chose to share with talent
 * search, the visibility each learner chose for new credentials and the providers they are enrolled with,
 * from the learners service's events, and the skills retired in favour of others, from the providers service's.
 * Publishes each credential issued, revoked, suspended, reinstated or renewed (its outbox, relayed by its worker
 * beside the consumers). Issues pathways' exit awards on the pathway providers' behalf (awards/): from its own
 * credential events, the pathway definitions providers announce and the consents learners give providers.
 */
export const credentialsService = defineService<typeof tables, Loaders, CredentialsConfig>({
  name: 'credentials',
  tables,
  settings: credentialsSettings,
  migrationsFolder: fileURLToPath(new URL('./db/migrations', import.meta.url)),
  buildSchema: () =>
    buildFederatedSchema(
      {
        resolvers: [CredentialResolver, CredentialAwardFieldResolver, CredentialAwardResolver, IssuanceResolver, IssuedCredentialsResolver, VerificationResolver, CredentialShareLinkResolver, ProviderIssuerResolver, LearnerCredentialsResolver, LearnerRecordResolver, TalentSearchResolver, JobRoleGapResolver, ...progressResolvers],
        // Nothing here returns a JobRole; the gateway reaches gapFor through _entities.
        orphanedTypes: [JobRole],
      },
      credentialReference,
    ),
  createLoaders,
  seed,
  routes: ({ db, config }) => credentialRoutes(db, config),
  worker: ({ db, events, log, config }) =>
    allOf([
      startOutboxRelay({ db, outbox, transport: events, log }),
      startEventConsumer({ transport: events, contract: learnerResidenceEvent, durable: RESIDENCE_CONSUMER, handle: (event) => applyResidence(db, event), log }),
      startEventConsumer({ transport: events, contract: learnerPreferencesEvent, durable: PREFERENCES_CONSUMER, handle: (event) => applyPreferences(db, event), log }),
      startEventConsumer({ transport: events, contract: learnerEnrolledEvent, durable: ENROLMENT_CONSUMER, handle: (event) => applyEnrolment(db, event), log }),
      startEventConsumer({ transport: events, contract: learnerEnrolmentEndedEvent, durable: ENROLMENT_ENDED_CONSUMER, handle: (event) => applyEnrolmentEnded(db, event), log }),
      startEventConsumer({ transport: events, contract: providerStandingEvent, durable: PROVIDER_STANDING_CONSUMER, handle: (event) => applyProviderStanding(db, event), log }),
      startEventConsumer({
        transport: events,
        contract: skillRetiredEvent,
        durable: SKILL_RETIRED_CONSUMER,
        handle: async (event) => {
          const { applied, looping } = await applySkillRetired(db, event);
          // Bad data upstream, not a failure here: the looping codes count only as themselves until a later retirement mends the chain.
          if (applied && looping.length > 0) log.warn({ eventId: event.id, looping }, 'retired skills whose successors lead back to them count only as themselves');
        },
        log,
      }),
      ...awardConsumers({ db, config, events, log }),
    ]),
});
export { credentialsSettings, type CredentialsConfig } from './config.ts';
export { INSERT_TALENT_HOLDERS, INSERT_TALENT_PROOFS } from './talent/proofs.ts';
