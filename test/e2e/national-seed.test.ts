import { nationalDataSet, scaled, seedNational } from '@tauliah/cli';
import { createEmptyDatabase, serverDatabaseUrl, testConfig } from '@tauliah/testing';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';

describe('the national data set generator', () => {
  it('is deterministic: the same rows on every run', () => {
    const first = [...nationalDataSet(scaled(0.0002)).credentials()].slice(0, 50);
    const second = [...nationalDataSet(scaled(0.0002)).credentials()].slice(0, 50);
    expect(second).toEqual(first);
    expect(new Set(first.map((c) => c.id)).size).toBe(50);
  });

  it('gives each learner at most one counting credential per course', () => {
    const seen = new Set<string>();
    for (const c of nationalDataSet(scaled(0.002)).credentials()) {
      if (c.status === 'REVOKED') continue;
      const pair = `${c.holderId}:${c.course.id}`;
      expect(seen.has(pair), pair).toBe(false);
      seen.add(pair);
    }
  });

  it('averages five credentials per learner, mostly visible to employers', () => {
    const credentials = [...nationalDataSet(scaled(0.002)).credentials()];
    const learners = new Set(credentials.map((c) => c.holderId)).size;
    expect(learners).toBe(2_000);
    expect(credentials.length / learners).toBeGreaterThan(4.5);
    expect(credentials.length / learners).toBeLessThan(5.5);
    expect(credentials.filter((c) => c.visibility === 'EMPLOYERS').length / credentials.length).toBeGreaterThan(0.6);
  });

  // COPY FROM STDIN needs a PostgreSQL server; the embedded run covers the generator above.
  it.runIf(Boolean(serverDatabaseUrl()))('loads into PostgreSQL with COPY, after the demo data, with an admin for every employer, and refuses a second load', async () => {
    const database = await createEmptyDatabase(serverDatabaseUrl()!);
    try {
      const quiet = () => {};
      const { sizes } = await seedNational({ url: database.url, config: testConfig(), scale: 0.001, progress: quiet });
      const sql = postgres(database.url, { max: 1, onnotice: quiet });
      try {
        const [counts] = await sql`select
          (select count(*)::int from learners.learner) as learners,
          (select count(*)::int from credentials.credential) as credentials,
          (select count(*)::int from providers.course) as courses,
          (select count(*)::int from employers.employer) as employers,
          (select count(*)::int from employers.employer e
            where not exists (select 1 from employers.staff_account s where s.employer_id = e.id and s.role = 'ADMIN')) as without_admin`;
        expect(counts!.learners).toBeGreaterThan(sizes.learners);
        expect(counts!.credentials).toBeGreaterThan(sizes.learners * 4);
        expect(counts!.courses).toBeGreaterThan(sizes.courses);
        expect(counts!.employers).toBeGreaterThan(sizes.employers);
        // Every employer, generated or demo, can manage its own staff.
        expect(counts!.without_admin).toBe(0);
      } finally {
        await sql.end();
      }
      await expect(seedNational({ url: database.url, config: testConfig(), scale: 0.001, progress: quiet })).rejects.toThrow(/already loaded/);
    } finally {
      await database.drop();
    }
  });
});
