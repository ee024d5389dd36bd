import { seedNational, seedNationalFunding } from '@tauliah/cli';
import { createEmptyDatabase, testConfig } from '@tauliah/testing';
import postgres from 'postgres';

/**
 * A PostgreSQL database holding the national data set at `scale`: the one
 * `named` (loaded on first use, reused by every later run) or a throwaway one
 * on `serverUrl`, dropped by `drop()`. For the benches that need national scale.
 * With `funding`, a named database loaded before the national set had funding
 * data gets it added (seedNationalFunding), at the scale it was loaded.
 */
export async function nationalDatabase(options: { named: string | undefined; serverUrl: string; scale: number; funding?: boolean }): Promise<{ url: string; drop(): Promise<void> }> {
  const database = options.named ? { url: options.named, drop: async () => {} } : await createEmptyDatabase(options.serverUrl);
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  const [loaded] = await sql`select 1 from information_schema.tables where table_schema = '_migrations' and table_name = 'seeded'`.then(async (exists) =>
    exists.length ? await sql`select data_set from _migrations.seeded where service = 'national'` : [],
  );
  await sql.end();
  if (loaded) {
    console.log(`Reusing ${loaded.data_set} in ${new URL(database.url).pathname.slice(1)}`);
    if (options.funding && (await seedNationalFunding({ url: database.url }))) console.log('Added the national funding data\n');
    return database;
  }
  console.log(`Loading the national data set at scale ${options.scale} ...`);
  const { seconds } = await seedNational({ url: database.url, config: testConfig(), scale: options.scale });
  console.log(`Loaded in ${seconds.toFixed(0)} s\n`);
  return database;
}
