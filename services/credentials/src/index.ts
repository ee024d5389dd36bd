import { buildFederatedSchema, defineService } from '@tauliah/core';
import { fileURLToPath } from 'node:url';
import { tables } from './db/schema.ts';
import { CredentialResolver, credentialReference } from './graph/credential.resolver.ts';
import { LearnerCredentialsResolver } from './graph/learner.resolver.ts';
import { progressResolvers } from './graph/progress/index.ts';
import { createLoaders } from './loaders.ts';
import { seed } from './seed.ts';

/** Credentials: the records of learners' achievements and who may see them. Owns `Credential`; adds `Learner.credentials`. */
export const credentialsService = defineService({
  name: 'credentials',
  tables,
  migrationsFolder: fileURLToPath(new URL('./db/migrations', import.meta.url)),
  buildSchema: () => buildFederatedSchema({ resolvers: [CredentialResolver, LearnerCredentialsResolver, ...progressResolvers] }, credentialReference),
  createLoaders,
  seed,
});
