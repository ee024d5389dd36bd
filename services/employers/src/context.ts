import type { ServiceContext } from '@tauliah/core';
import type { tables } from './db/schema.ts';
import type { Loaders } from './loaders.ts';

export type Context = ServiceContext<typeof tables, Loaders>;

/** The transaction a mutation's writes share (`db.transaction(async (tx) => ...)`). */
export type Transaction = Parameters<Parameters<Context['db']['transaction']>[0]>[0];
