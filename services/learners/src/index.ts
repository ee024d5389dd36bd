import { allOf, buildFederatedSchema, credentialIssuedEvent, credentialRenewedEvent, credentialRevokedEvent, defineService, startEventConsumer, startOutboxRelay } from '@tauliah/core';
import { credentials as demoCredentials } from '@tauliah/demo-data';
import { fileURLToPath } from 'node:url';
import { learnersSettings, type LearnersConfig } from './config.ts';
import { outbox, tables } from './db/schema.ts';
import { ConsentResolver } from './graph/consent.resolver.ts';
import { ContactRequestResolver, LearnerContactRequestsResolver } from './graph/contact-request.resolver.ts';
import { EligibilityInputsResolver } from './graph/eligibility-inputs.resolver.ts';
import { InterestsResolver } from './graph/interests.resolver.ts';
import { RecommendationResolver } from './graph/recommendation.resolver.ts';
import { EnrolmentResolver, EnrolmentRowResultResolver, LearnerEnrolmentsResolver } from './graph/enrolment.resolver.ts';
import { LearnerResolver, learnerReference } from './graph/learner.resolver.ts';
import { TalentHeadlineResolver } from './graph/talent-headline.resolver.ts';
import { applyCredentialIssued, applyCredentialRenewed, applyCredentialRevoked, ISSUED_CONSUMER, RENEWED_CONSUMER, REVOKED_CONSUMER } from './guidance/ledger.ts';
import { fileCredentials } from './guidance/rebuild.ts';
import { sealClearNrics } from './identity/nric.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import { seed } from './seed.ts';

export { learnersSettings, type LearnersConfig } from './config.ts';
/** The learners' rule for what talent search may know of a learner's state, for the seeders that file residences as its events would. */
export { stateForTalentSearch } from './residence/announce.ts';
/** Identity documents as the learners service stores them, for the seeders that load learners in bulk (the national data set). */
export { hashPassport } from './identity/documents.ts';
export { hashNric, sealNricLast4 } from './identity/nric.ts';
/** The guidance's course counts rebuilt from its credential ledger: for bulk loads (the national data set) and operators. */
export { fileCredentials, rebuildGuidance, REBUILD_GUIDANCE, type LedgerEntry } from './guidance/rebuild.ts';

/**
 * Learners: profiles, identity, enrolments with providers, consent, talent headlines, employers' contact
 * requests, interests and course recommendations. Owns `Learner`; publishes learners' changes other services
 * keep (its outbox); keeps which courses learners went on to complete after which, from the credentials
 * service's events (guidance/ledger.ts).
 */
export const learnersService = defineService<typeof tables, Loaders, LearnersConfig>({
  name: 'learners',
  tables,
  settings: learnersSettings,
  migrationsFolder: fileURLToPath(new URL('./db/migrations', import.meta.url)),
  buildSchema: () =>
    buildFederatedSchema(
      {
        resolvers: [
          LearnerResolver,
          ConsentResolver,
          EligibilityInputsResolver,
          EnrolmentResolver,
          EnrolmentRowResultResolver,
          LearnerEnrolmentsResolver,
          TalentHeadlineResolver,
          InterestsResolver,
          RecommendationResolver,
          ContactRequestResolver,
          LearnerContactRequestsResolver,
        ],
      },
      learnerReference,
    ),
  createLoaders,
  // The demo credentials were issued without events: the guidance files them itself, as their events would have.
  seed: async (db, config) => {
    await seed(db, config);
    await fileCredentials(
      db,
      demoCredentials.map((c) => ({ credentialId: c.id, learnerId: c.learnerId, courseId: c.courseId, status: 'HELD', achievedAt: new Date(c.issuedAt) })),
    );
  },
  // Before relaying, it seals NRIC digits an older release kept in clear (identity/nric.ts).
  worker: async ({ db, events, log, config }) => {
    await sealClearNrics(db, config.PII_ENCRYPTION_KEY, log);
    return allOf([
      startOutboxRelay({ db, outbox, transport: events, log }),
      startEventConsumer({ transport: events, contract: credentialIssuedEvent, durable: ISSUED_CONSUMER, handle: (event) => applyCredentialIssued(db, event), log }),
      startEventConsumer({ transport: events, contract: credentialRevokedEvent, durable: REVOKED_CONSUMER, handle: (event) => applyCredentialRevoked(db, event), log }),
      startEventConsumer({ transport: events, contract: credentialRenewedEvent, durable: RENEWED_CONSUMER, handle: (event) => applyCredentialRenewed(db, event), log }),
    ]);
  },
});
