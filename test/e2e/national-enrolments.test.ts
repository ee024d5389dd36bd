import { nationalDataSet, nationalId, scaled, seedNational } from '@tauliah/cli';
import { openDatabase } from '@tauliah/core';
import { createEmptyDatabase, serverDatabaseUrl, testConfig } from '@tauliah/testing';
import { startTestGraph } from '@tauliah/testing/graph';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { ENROL, odlStaff } from './enrolment.support.ts';

describe("the national data set's enrolments", () => {
  const data = nationalDataSet(scaled(0.002));
  const enrolments = [...data.enrolments()];
  const learners = [...data.learners()];

  it('enrols every learner with a provider, one in five with a second, under student numbers unique per provider', () => {
    const providersOf = new Map<string, Set<string>>();
    for (const e of enrolments) providersOf.set(e.learnerId, (providersOf.get(e.learnerId) ?? new Set()).add(e.providerId));
    expect(providersOf.size).toBe(learners.length);
    const withTwo = [...providersOf.values()].filter((p) => p.size === 2).length / learners.length;
    expect(withTwo).toBeGreaterThan(0.15);
    expect(withTwo).toBeLessThan(0.25);
    // Two enrolments of one learner are always with two providers.
    expect([...providersOf.values()].reduce((n, p) => n + p.size, 0)).toBe(enrolments.length);
    const active = enrolments.filter((e) => e.status === 'ACTIVE');
    expect(new Set(active.map((e) => `${e.providerId} ${e.studentNumber}`)).size).toBe(active.length);
    expect(enrolments.filter((e) => e.status === 'ENDED').every((e) => e.endedAt !== null)).toBe(true);
    expect([...nationalDataSet(scaled(0.002)).enrolments()]).toEqual(enrolments);
  });

  it('gives citizens an NRIC that begins with their date of birth, and the others a passport and an ISO alpha-3 nationality', () => {
    for (const l of learners) {
      if (l.citizenship === 'MALAYSIAN') expect(l.nric!.slice(0, 6)).toBe(l.dateOfBirth.slice(2).replaceAll('-', ''));
      else expect(l).toMatchObject({ nric: null, passportNumber: expect.stringMatching(/^N\d{8}$/), nationality: expect.stringMatching(/^[A-Z]{3}$/) });
    }
    expect(new Set(learners.map((l) => l.nric ?? l.passportNumber)).size).toBe(learners.length);
  });

  // COPY FROM STDIN needs a PostgreSQL server.
  it.runIf(Boolean(serverDatabaseUrl()))('loads them with COPY, as credentials would have heard them, and a provider enrolling a national learner by NRIC links them', async () => {
    const database = await createEmptyDatabase(serverDatabaseUrl()!);
    try {
      const { sizes } = await seedNational({ url: database.url, config: testConfig(), scale: 0.001, progress: () => {} });
      const sql = postgres(database.url, { max: 1, onnotice: () => {} });
      try {
        const [counts] = await sql`select
          (select count(*)::int from learners.enrolment where learner_id::text like '7a000005-%') as enrolments,
          (select count(*)::int from learners.enrolment where learner_id::text like '7a000005-%' and status = 'ACTIVE') as active,
          (select count(*)::int from credentials.learner_enrolment where learner_id::text like '7a000005-%') as known_to_credentials,
          (select count(*)::int from (select learner_id from learners.enrolment group by learner_id having count(distinct provider_id) > 1) t) as with_two,
          (select count(*)::int from learners.learner where nric_last4 is not null) as clear_digits`;
        expect(counts!.enrolments).toBeGreaterThan(sizes.learners);
        expect(counts!.known_to_credentials).toBe(counts!.active);
        expect(counts!.with_two).toBeGreaterThan(sizes.learners / 10);
        expect(counts!.clear_digits).toBe(0);
      } finally {
        await sql.end();
      }

      const graph = await startTestGraph({ connection: await openDatabase({ url: database.url }) });
      try {
        const first = [...nationalDataSet(scaled(0.001)).learners()].find((l) => l.nric)!;
        const input = { studentNumber: 'UTN2026-N1', fullName: first.fullName, email: first.email, dateOfBirth: first.dateOfBirth, citizenship: 'MALAYSIAN', nric: first.nric };
        const answer = await graph.gateway.ok(ENROL, { as: odlStaff, variables: { input } });
        expect(answer.enrolLearner).toMatchObject({ outcome: 'LINKED', learner: { id: first.id } });
        expect(first.id.startsWith(nationalId('learner', 0).slice(0, 8))).toBe(true);
      } finally {
        await graph.stop();
      }
    } finally {
      await database.drop();
    }
  }, 300_000);
});
