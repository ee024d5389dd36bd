import { seedNational } from '@tauliah/cli';
import { createEmptyDatabase, serverDatabaseUrl, testConfig } from '@tauliah/testing';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';

describe('the talent search index of the national data set', () => {
  // COPY FROM STDIN needs a PostgreSQL server.
  it.runIf(Boolean(serverDatabaseUrl()))('holds exactly the employer-visible active proofs, each under the state its holder shares, and every prover’s skill set', async () => {
    const database = await createEmptyDatabase(serverDatabaseUrl()!);
    try {
      await seedNational({ url: database.url, config: testConfig(), scale: 0.001, progress: () => {} });
      const sql = postgres(database.url, { max: 1, onnotice: () => {} });
      try {
        const [counts] = await sql`select
          (select count(*)::int from credentials.talent_proof) as proofs,
          (select count(*)::int from credentials.credential c join credentials.credential_skill s on s.credential_id = c.id
            where c.status = 'ACTIVE' and c.replaced_by is null and c.visibility in ('EMPLOYERS', 'PUBLIC')) as expected,
          (select count(*)::int from credentials.talent_proof p join credentials.credential c on c.id = p.credential_id
            where c.status <> 'ACTIVE' or c.visibility = 'PRIVATE') as wrong,
          (select count(*)::int from credentials.talent_proof p join learners.learner l on l.id = p.holder_id
            where p.holder_state is distinct from case when l.share_state_in_talent_search then l.state end) as misfiled,
          (select count(*)::int from credentials.talent_proof where holder_state is not null) as filed,
          (select count(*)::int from credentials.talent_holder) as holders,
          (select count(distinct holder_id)::int from credentials.talent_proof) as provers`;
        expect(counts!.proofs).toBeGreaterThan(1_000);
        expect(counts!.proofs).toBe(counts!.expected);
        expect(counts!.wrong).toBe(0);
        expect(counts!.misfiled).toBe(0);
        // The synthetic learners share their state, so the state filter has data at scale.
        expect(counts!.filed).toBeGreaterThan(counts!.proofs * 0.9);
        expect(counts!.holders).toBe(counts!.provers);
      } finally {
        await sql.end();
      }
    } finally {
      await database.drop();
    }
  });
});
