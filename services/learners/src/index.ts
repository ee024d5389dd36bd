import { buildFederatedSchema, defineService, startOutboxRelay } from '@tauliah/core';
import { fileURLToPath } from 'node:url';
import { learnersSettings, type LearnersConfig } from './config.ts';
import { outbox, tables } from './db/schema.ts';
import { ConsentResolver } from './graph/consent.resolver.ts';
import { ContactRequestResolver, LearnerContactRequestsResolver } from './graph/contact-request.resolver.ts';
import { EligibilityInputsResolver } from './graph/eligibility-inputs.resolver.ts';
import { EnrolmentResolver, EnrolmentRowResultResolver, LearnerEnrolmentsResolver } from './graph/enrolment.resolver.ts';
import { LearnerResolver, learnerReference } from './graph/learner.resolver.ts';
import { TalentHeadlineResolver } from './graph/talent-headline.resolver.ts';
import { sealClearNrics } from './identity/nric.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import { seed } from './seed.ts';

export { learnersSettings, type LearnersConfig } from './config.ts';
/** The learners' rule for what talent search may know of a learner's state, for the seeders that file residences as its events would. */
export { stateForTalentSearch } from './residence/announce.ts';
/** Identity documents as the learners service stores them, for the seeders that load learners in bulk (the national data set). */
export { hashPassport } from './identity/documents.ts';
export { hashNric, sealNricLast4 } from './identity/nric.ts';

/** Learners: profiles, identity, enrolments with providers, consent, talent headlines and employers' contact requests. Owns `Learner`; publishes learners' changes other services keep (its outbox). */
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
          ContactRequestResolver,
          LearnerContactRequestsResolver,
        ],
      },
      learnerReference,
    ),
  createLoaders,
  seed,
  // Before relaying, it seals NRIC digits an older release kept in clear (identity/nric.ts).
  worker: async ({ db, events, log, config }) => {
    await sealClearNrics(db, config.PII_ENCRYPTION_KEY, log);
    return startOutboxRelay({ db, outbox, transport: events, log });
  },
});
