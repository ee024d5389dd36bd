import type { ServiceContext } from '@tauliah/core';
import type { LearnersConfig } from './config.ts';
import type { tables } from './db/schema.ts';
import type { Loaders } from './loaders.ts';

export type Context = ServiceContext<typeof tables, Loaders, LearnersConfig>;
