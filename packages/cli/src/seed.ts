import type { DatabaseConnection, ServiceDefinition } from '@tauliah/core';
import { migrateService } from '@tauliah/core';
import type { ServicesConfig } from './config.ts';

export interface PrepareReport {
  migrated: string[];
  seeded: string[];
}

/**
 * Migrates every service and seeds the demo data into each one not seeded
 * yet. A marker per service records the seed, so a restart never seeds twice
 * and a service added later still gets its slice.
 */
export async function prepareDatabase(
  connection: DatabaseConnection,
  services: ServiceDefinition[],
  config: ServicesConfig,
  options: { seed: boolean },
): Promise<PrepareReport> {
  const report: PrepareReport = { migrated: [], seeded: [] };
  for (const service of services) {
    const { applied } = await migrateService(service, connection);
    if (applied.length > 0) report.migrated.push(service.name);
  }
  if (!options.seed) return report;
  await connection.query(
    `create table if not exists _migrations.seeded (service text primary key, data_set text not null, seeded_at timestamptz not null default now())`,
  );
  const done = new Set(
    (await connection.query<{ service: string }>('select service from _migrations.seeded')).map((row) => row.service),
  );
  for (const service of services) {
    if (done.has(service.name)) continue;
    const { db } = connection.drizzle(service.tables);
    await service.seed(db, config);
    await connection.query(`insert into _migrations.seeded (service, data_set) values ($1, 'demo')`, [service.name]);
    report.seeded.push(service.name);
  }
  return report;
}
