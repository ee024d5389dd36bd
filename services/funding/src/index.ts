import { buildFederatedSchema, defineService } from '@tauliah/core';
import { fileURLToPath } from 'node:url';
import { tables } from './db/schema.ts';
import { FunderResolver, funderReference } from './graph/funder.resolver.ts';
import { SchemeResolver, schemeReference } from './graph/scheme.resolver.ts';
import { createLoaders } from './loaders.ts';
import { seed } from './seed.ts';

/** Funding: funders (HRD Corp, B40 aid) and their schemes with eligibility rules and budgets. Owns `Funder` and `Scheme`. */
export const fundingService = defineService({
  name: 'funding',
  tables,
  migrationsFolder: fileURLToPath(new URL('./db/migrations', import.meta.url)),
  buildSchema: () => buildFederatedSchema({ resolvers: [SchemeResolver, FunderResolver] }, { ...schemeReference, ...funderReference }),
  createLoaders,
  seed,
});
