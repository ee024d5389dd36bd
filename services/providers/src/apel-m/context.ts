import type { ServiceContext } from '@tauliah/core';
import type { tables } from '../db/schema.ts';
import type { Loaders } from '../loaders.ts';
import type { ApelMLoaders } from './loaders.ts';

/** What the APEL.M resolvers see: the service's request context, with the APEL.M loaders beside its own (index.ts adds them). */
export type ApelMContext = ServiceContext<typeof tables, Loaders & { apelM: ApelMLoaders }>;
