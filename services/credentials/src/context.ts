import type { ServiceContext } from '@tauliah/core';
import type { CredentialsConfig } from './config.ts';
import type { tables } from './db/schema.ts';
import type { Loaders } from './loaders.ts';

export type Context = ServiceContext<typeof tables, Loaders, CredentialsConfig>;
