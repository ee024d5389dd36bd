import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatabaseConnection } from './database.ts';

interface Journal {
  entries: Array<{ idx: number; tag: string }>;
}

export interface MigrationReport {
  service: string;
  applied: string[];
}

/** Serialises migrators of every service that share one database. */
const MIGRATION_LOCK = 726_001;

/**
 * Applies a service's drizzle-kit SQL migrations in order, each once, in one
 * transaction under an advisory lock (so replicas starting together do not
 * race). A migration edited after it was applied stops the start-up: applied
 * migrations are history, and a change needs a new migration.
 */
export async function migrate(
  connection: DatabaseConnection,
  service: string,
  migrationsFolder: string,
): Promise<MigrationReport> {
  const journal = JSON.parse(await readFile(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as Journal;
  const migrations = await Promise.all(
    [...journal.entries]
      .sort((a, b) => a.idx - b.idx)
      .map(async ({ tag }) => {
        const text = await readFile(join(migrationsFolder, `${tag}.sql`), 'utf8');
        return { tag, text, hash: createHash('sha256').update(text).digest('hex') };
      }),
  );

  const applied: string[] = [];
  await connection.transaction(async (tx) => {
    const exec = (statement: string) => tx.exec(statement);
    // A migration may rewrite a large table, and a replica may wait here for another's: neither is a stuck statement.
    await exec('set local statement_timeout = 0');
    await exec(`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await exec(`create schema if not exists _migrations`);
    await exec(
      `create table if not exists _migrations.applied (
         service text not null, tag text not null, hash text not null,
         applied_at timestamptz not null default now(), primary key (service, tag))`,
    );
    const rows = await tx.query<{ tag: string; hash: string }>(
      'select tag, hash from _migrations.applied where service = $1',
      [service],
    );
    const done = new Map(rows.map((row) => [row.tag, row.hash]));
    for (const migration of migrations) {
      const previous = done.get(migration.tag);
      if (previous !== undefined) {
        if (previous !== migration.hash) {
          throw new Error(
            `Migration ${service}/${migration.tag} was edited after it was applied. Restore it and add a new migration instead.`,
          );
        }
        continue;
      }
      for (const statement of migration.text.split('--> statement-breakpoint')) {
        if (statement.trim()) await exec(statement);
      }
      await tx.query('insert into _migrations.applied (service, tag, hash) values ($1, $2, $3)', [
        service,
        migration.tag,
        migration.hash,
      ]);
      applied.push(migration.tag);
    }
  });
  return { service, applied };
}

