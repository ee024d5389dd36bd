import { buildFederatedSchema, defineService } from '@tauliah/core';
import { fileURLToPath } from 'node:url';
import { tables } from './db/schema.ts';
import { CredentialResolver, credentialReference } from './graph/credential.resolver.ts';
import { IssuanceResolver } from './graph/issuance.resolver.ts';
import { LearnerCredentialsResolver } from './graph/learner.resolver.ts';
import { ProviderIssuerResolver } from './graph/provider.resolver.ts';
import { VerificationResolver } from './graph/verification.resolver.ts';
import { progressResolvers } from './graph/progress/index.ts';
import { createLoaders } from './loaders.ts';
import { credentialRoutes } from './routes.ts';
import { seed } from './seed.ts';

/**
 * Credentials: learners' achievements as signed Open Badges 3.0 credentials, who may see them, and their
 * verification. Owns `Credential`; adds `Learner.credentials` and the issuer fields of `Provider`.
 */
export const credentialsService = defineService({
  name: 'credentials',
  tables,
  migrationsFolder: fileURLToPath(new URL('./db/migrations', import.meta.url)),
  buildSchema: () => buildFederatedSchema({ resolvers: [CredentialResolver, IssuanceResolver, VerificationResolver, ProviderIssuerResolver, LearnerCredentialsResolver, ...progressResolvers] }, credentialReference),
  createLoaders,
  seed,
  routes: ({ db, config }) => credentialRoutes(db, config),
});
