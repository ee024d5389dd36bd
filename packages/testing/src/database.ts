import { openDatabase, openPglite, type DatabaseConnection } from '@tauliah/core';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/**
 * A throwaway database for one test file: an in-memory PGlite by default, or,
 * when DATABASE_URL is set, a new database on that PostgreSQL server that is
 * dropped when the test closes it.
 */
export async function openTestDatabase(): Promise<DatabaseConnection> {
  const url = process.env.DATABASE_URL;
  if (!url) return openPglite();
  const name = `tauliah_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  const connection = await openDatabase({ url: target.toString(), maxConnections: 10 });
  return {
    ...connection,
    async close() {
      await connection.close();
      const dropper = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
