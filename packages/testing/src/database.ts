import { openDatabase, openPglite, type DatabaseConnection } from '@tauliah/core';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { serverDatabaseUrl, testTemplatePath } from './config.ts';

/**
 * A throwaway database for one test file: an in-memory PGlite by default, or,
 * when DATABASE_URL is set, a new database on that PostgreSQL server that is
 * dropped when the test closes it.
 */
export async function openTestDatabase(options: { template?: boolean } = {}): Promise<DatabaseConnection> {
  const url = serverDatabaseUrl();
  if (!url) {
    // A copy of the run's migrated and seeded template (global-setup.ts), when there is one.
    const template = options.template === false ? undefined : testTemplatePath();
    return template ? openPglite(undefined, new Blob([await readFile(template)])) : openPglite();
  }
  const database = await createEmptyDatabase(url);
  const connection = await openDatabase({ url: database.url, maxConnections: 10 });
  return {
    ...connection,
    async close() {
      await connection.close();
      await database.drop();
    },
  };
}

/** A new, empty database on the server `serverUrl` points at, and a way to drop it. */
export async function createEmptyDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tauliah_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, `create database ${name}`);
  const target = new URL(serverUrl);
  target.pathname = `/${name}`;
  return { url: target.toString(), drop: () => onServer(serverUrl, `drop database if exists ${name} with (force)`) };
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(statement);
  } finally {
    await admin.end();
  }
}
