import { openPglite } from '@tauliah/core';
import { prepareDatabase, services } from '@tauliah/cli';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverDatabaseUrl, setTestTemplatePath } from './config.ts';
import { testConfig } from './subgraph.ts';

/**
 * vitest global setup: on the embedded database, migrate and seed one PGlite
 * once per run and keep its data directory as a template; every test file
 * then starts from a copy (~1 s) instead of initialising and seeding its own
 * (~5-10 s on two busy cores). On PostgreSQL each file creates its own
 * database, which is already fast.
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (serverDatabaseUrl()) return async () => {};
  const connection = await openPglite();
  const path = join(tmpdir(), `tauliah-template-${process.pid}.tar`);
  try {
    await prepareDatabase(connection, services, testConfig(), { seed: true });
    const dump = await connection.dump();
    await writeFile(path, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await connection.close();
  }
  setTestTemplatePath(path);
  return async () => {
    await rm(path, { force: true });
  };
}
