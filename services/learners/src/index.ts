import { buildFederatedSchema, defineService, startOutboxRelay } from '@tauliah/core';
import { fileURLToPath } from 'node:url';
import { outbox, tables } from './db/schema.ts';
import { ConsentResolver } from './graph/consent.resolver.ts';
import { EligibilityInputsResolver } from './graph/eligibility-inputs.resolver.ts';
import { LearnerResolver, learnerReference } from './graph/learner.resolver.ts';
import { createLoaders } from './loaders.ts';
import { seed } from './seed.ts';

/** Learners: profiles, identity and consent. Owns `Learner`; publishes learners' changes other services keep (its outbox). */
export const learnersService = defineService({
  name: 'learners',
  tables,
  migrationsFolder: fileURLToPath(new URL('./db/migrations', import.meta.url)),
  buildSchema: () => buildFederatedSchema({ resolvers: [LearnerResolver, ConsentResolver, EligibilityInputsResolver] }, learnerReference),
  createLoaders,
  seed,
  worker: ({ db, events, log }) => startOutboxRelay({ db, outbox, transport: events, log }),
});
