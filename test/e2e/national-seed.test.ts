import { LEVY_MONTHS, malaysianMonthBefore, nationalDataSet, scaled, seedNational } from '@tauliah/cli';
import { openDatabase } from '@tauliah/core';
import { approvedHrdCorpCourses, courseId, schemes } from '@tauliah/demo-data';
import { createEmptyDatabase, serverDatabaseUrl, testConfig } from '@tauliah/testing';
import { startTestGraph } from '@tauliah/testing/graph';
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

  it('gives a share of the adult learners confirmed employment, some of it ended, never two current jobs at once', () => {
    const data = nationalDataSet(scaled(0.002));
    const employments = [...data.employments()];
    const learners = [...data.learners()];
    const withJobs = new Set(employments.map((e) => e.learnerId));
    expect(withJobs.size / learners.length).toBeGreaterThan(0.3);
    expect(withJobs.size / learners.length).toBeLessThan(0.5);
    const ended = employments.filter((e) => e.until !== null);
    expect(ended.length / employments.length).toBeGreaterThan(0.08);
    expect(ended.every((e) => e.until! >= e.since)).toBe(true);
    const current = employments.filter((e) => e.until === null).map((e) => e.learnerId);
    expect(new Set(current).size).toBe(current.length);
    const born = new Map(learners.map((l) => [l.id, Number(l.dateOfBirth.slice(0, 4))]));
    expect(employments.every((e) => Number(e.since.slice(0, 4)) >= born.get(e.learnerId)! + 18)).toBe(true);
    expect([...nationalDataSet(scaled(0.002)).employments()]).toEqual(employments);
  });

  it("pays the levy monthly for the registered employers only, for the year before now, and a few stopped half a year ago", () => {
    const now = new Date('2026-12-07T01:00:00Z');
    const data = nationalDataSet(scaled(0.01));
    const registered = new Set([...data.employers()].filter((e) => e.hrdCorpRegistered).map((e) => e.id));
    const payments = [...data.levyPayments(now)];
    const monthsOf = new Map<string, string[]>();
    for (const p of payments) monthsOf.set(p.employerId, [...(monthsOf.get(p.employerId) ?? []), p.month]);
    expect([...monthsOf.keys()].sort()).toEqual([...registered].sort());
    const lastYear = Array.from({ length: LEVY_MONTHS }, (_, i) => malaysianMonthBefore(now, LEVY_MONTHS - i));
    expect(lastYear.at(-1)).toBe('2026-11');
    const lapsed = [...monthsOf.values()].filter((months) => months.at(-1)! < '2026-06');
    expect([...monthsOf.values()].every((months) => months.join() === lastYear.join() || months.join() === lastYear.slice(0, 6).join())).toBe(true);
    expect(lapsed.length / monthsOf.size).toBeGreaterThan(0.01);
    expect(lapsed.length / monthsOf.size).toBeLessThan(0.1);
    expect(payments.every((p) => Number.isInteger(p.amountSen) && p.amountSen > 0 && p.recordedAt <= now.toISOString())).toBe(true);
    expect([...nationalDataSet(scaled(0.01)).levyPayments(now)]).toEqual(payments);
  });

  // COPY FROM STDIN needs a PostgreSQL server; the embedded run covers the generator above.
  it.runIf(Boolean(serverDatabaseUrl()))('loads into PostgreSQL with COPY, after the demo data, with an admin for every employer, employment and levy records, and refuses a second load', async () => {
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

        // Employment the learners confirmed, and HRD Corp's levy records, each balance its payments less the grants its approved claims drew.
        const [levy] = await sql`select
          (select count(*)::int from employers.employment where learner_id::text like '7a000005-%') as employments,
          (select count(*)::int from employers.employment where learner_id::text like '7a000005-%' and until is not null) as ended,
          (select count(*)::int from funding.levy_account where employer_id::text like '7a000003-%') as accounts,
          (select count(*)::int from funding.levy_entry where employer_id::text like '7a000003-%' and kind = 'LEVY_PAID' and month is not null) as payments,
          (select count(*)::int from funding.levy_account a
            where a.balance_sen <> (select sum(case when e.kind = 'LEVY_PAID' then e.amount_sen else -e.amount_sen end) from funding.levy_entry e where e.employer_id = a.employer_id)) as unbalanced`;
        expect(levy!.employments).toBeGreaterThan(sizes.learners * 0.3);
        expect(levy!.ended).toBeGreaterThan(0);
        expect(levy!.accounts).toBeGreaterThan(sizes.employers * 0.5);
        expect(levy!.payments).toBeGreaterThan(levy!.accounts * 10);
        expect(levy!.unbalanced).toBe(0);

        // A national employee of a paying employer is eligible for HRD Corp; one whose employer pays no levy (never, or not lately) is not.
        const [paying, notPaying] = await Promise.all(
          ['l.last >= $1::date', '(l.last is null or l.last < $1::date)'].map(async (paid) => {
            const [row] = await sql.unsafe(
              `select e.learner_id from employers.employment e
                 left join (select employer_id, max(month) as last from funding.levy_entry where kind = 'LEVY_PAID' group by employer_id) l on l.employer_id = e.employer_id
                where e.until is null and e.confirmed_by_learner and e.learner_id::text like '7a000005-%' and ${paid} order by e.learner_id limit 1`,
              [`${malaysianMonthBefore(new Date(), 3)}-01`],
            );
            return row!.learner_id as string;
          }),
        );
        const graph = await startTestGraph({ connection: await openDatabase({ url: database.url }) });
        try {
          const ELIGIBILITY = `query($scheme: ID!, $course: ID) { me { eligibility(schemeId: $scheme, courseId: $course) { eligible reasons { code } } } }`;
          const variables = { scheme: schemes.hrdCorpMicroCredential.id, course: courseId(approvedHrdCorpCourses[0]) };
          const ask = async (learnerId: string) => (await graph.gateway.ok(ELIGIBILITY, { as: { role: 'LEARNER', sub: learnerId }, variables })).me.eligibility;
          expect(await ask(paying!)).toEqual({ eligible: true, reasons: [] });
          expect(await ask(notPaying!)).toEqual({ eligible: false, reasons: [{ code: 'NOT_EMPLOYED_BY_LEVY_PAYER' }] });
        } finally {
          await graph.stop();
        }
      } finally {
        await sql.end();
      }
      await expect(seedNational({ url: database.url, config: testConfig(), scale: 0.001, progress: quiet })).rejects.toThrow(/already loaded/);
    } finally {
      await database.drop();
    }
  }, 300_000);
});
