import { malaysianMonthBefore, NATIONAL, nationalDataSet, nationalFunding, scaled, seedNational, seedNationalFunding } from '@tauliah/cli';
import { openDatabase } from '@tauliah/core';
import { courseApprovals as demoApprovals, funders } from '@tauliah/demo-data';
import { createEmptyDatabase, serverDatabaseUrl, testConfig } from '@tauliah/testing';
import { startTestGraph } from '@tauliah/testing/graph';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';

const now = new Date('2026-12-07T01:00:00Z');
const DAY = 86_400_000;

describe('the national funding data', () => {
  it("sizes HRD Corp's course approval queue at its 2022 figures nationally, and in proportion at smaller scales", () => {
    expect([NATIONAL.pendingCourseApprovals, NATIONAL.approvedCourseApprovals]).toEqual([13_224, 11_493]);
    expect(NATIONAL.hrdCorpSchemes + NATIONAL.b40Schemes).toBe(24);
    const { courseApprovals } = nationalFunding(nationalDataSet(scaled(0.02)), now);
    expect(courseApprovals.filter((a) => a.status === 'PENDING')).toHaveLength(Math.round(13_224 * 0.02));
    expect(courseApprovals.filter((a) => a.status === 'APPROVED')).toHaveLength(Math.round(11_493 * 0.02));
    expect(courseApprovals).toHaveLength(courseApprovals.filter((a) => a.status === 'PENDING' || a.status === 'APPROVED').length);
  });

  it('is deterministic for a moment of loading', () => {
    const first = nationalFunding(nationalDataSet(scaled(0.005)), now);
    const second = nationalFunding(nationalDataSet(scaled(0.005)), now);
    expect(second.courseApprovals).toEqual(first.courseApprovals);
    expect(second.applications).toEqual(first.applications);
  });

  it("queues HRD Corp-registered providers' own courses, once per scheme, spread over providers and two to three years, decided only when approved", () => {
    const data = nationalDataSet(scaled(0.02));
    const { courseApprovals, schemes } = nationalFunding(data, now);
    const registered = new Set([...data.providers()].filter((p) => p.hrdCorpRegistered).map((p) => p.id));
    const providerOf = new Map(data.courses.map((c) => [c.id, c.providerId]));
    const hrdCorpSchemes = new Set(schemes.filter((s) => s.funderId === funders.hrdCorp.id).map((s) => s.id));
    expect(courseApprovals.every((a) => hrdCorpSchemes.has(a.schemeId) && providerOf.get(a.courseId) === a.providerId && registered.has(a.providerId))).toBe(true);
    expect(new Set(courseApprovals.map((a) => `${a.schemeId}|${a.courseId}`)).size).toBe(courseApprovals.length);
    expect(new Set(courseApprovals.map((a) => a.providerId)).size).toBeGreaterThan(registered.size * 0.9);
    for (const a of courseApprovals) {
      expect(a.submittedBy).toMatch(/^staff:national:provider:\d+:admin$/);
      expect(a.submittedAt <= now.toISOString()).toBe(true);
      if (a.status === 'PENDING') expect([a.decidedAt, a.decidedBy, a.reason]).toEqual([null, null, null]);
      else expect(a.decidedAt! > a.submittedAt && a.decidedAt! <= now.toISOString() && a.decidedBy === 'officer:hrdcorp' && !!a.reason).toBe(true);
    }
    const pendingSince = Math.min(...courseApprovals.filter((a) => a.status === 'PENDING').map((a) => Date.parse(a.submittedAt)));
    const approvedSince = Math.min(...courseApprovals.filter((a) => a.status === 'APPROVED').map((a) => Date.parse(a.submittedAt)));
    expect((now.getTime() - pendingSince) / DAY).toBeGreaterThan(600);
    expect((now.getTime() - approvedSince) / DAY).toBeGreaterThan(900);
  });

  it('claims for one in ten current employees of levy payers, B40 aid for 8% of citizens aged 17 to 35, mostly approved, within every budget and levy balance', () => {
    const data = nationalDataSet(scaled(0.02));
    const { applications, courseApprovals, schemes } = nationalFunding(data, now);
    const claims = applications.filter((a) => a.kind === 'HRD_CORP_CLAIM');
    const aid = applications.filter((a) => a.kind === 'B40_AID');

    // Claims: for a current employee (one claim at most per learner), by its employer, on a course approved for the scheme before the claim.
    const current = new Map([...data.employments()].filter((e) => e.until === null).map((e) => [e.learnerId, e.employerId]));
    const since = malaysianMonthBefore(now, 3);
    const paid = new Map<string, number>();
    const paying = new Set<string>();
    for (const p of data.levyPayments(now)) {
      paid.set(p.employerId, (paid.get(p.employerId) ?? 0) + p.amountSen);
      if (p.month >= since) paying.add(p.employerId);
    }
    const payingEmployees = [...current.values()].filter((employer) => paying.has(employer)).length;
    expect(claims.length / payingEmployees).toBeGreaterThan(0.08);
    expect(claims.length / payingEmployees).toBeLessThan(0.12);
    const approvedFor = new Map(courseApprovals.filter((a) => a.status === 'APPROVED').map((a) => [`${a.schemeId}|${a.courseId}`, a.decidedAt!]));
    expect(new Set(applications.map((a) => a.learnerId)).size).toBe(applications.length);
    for (const c of claims) {
      expect(current.get(c.learnerId)).toBe(c.employerId);
      expect(paying.has(c.employerId!)).toBe(true);
      expect(c.submittedAt > approvedFor.get(`${c.schemeId}|${c.courseId}`)!).toBe(true);
    }

    // B40 aid: citizens aged 17–35, for courses at MQF 3–4, each declaring an income within the line.
    const learners = new Map([...data.learners()].map((l) => [l.id, l]));
    const age = (dateOfBirth: string) => Math.floor((now.getTime() - Date.parse(dateOfBirth)) / (365.25 * DAY));
    const open = [...learners.values()].filter((l) => l.citizenship === 'MALAYSIAN' && age(l.dateOfBirth) >= 17 && age(l.dateOfBirth) <= 35).length;
    expect(aid.length / open).toBeGreaterThan(0.06);
    expect(aid.length / open).toBeLessThan(0.1);
    const levelOf = new Map(data.courses.map((c) => [c.id, c.mqfLevel]));
    for (const a of aid) {
      expect(learners.get(a.learnerId)!.citizenship).toBe('MALAYSIAN');
      expect([3, 4]).toContain(levelOf.get(a.courseId));
      expect(a.declaredHouseholdIncomeSen).toBeLessThanOrEqual(485_000);
      expect(a.employerId).toBeNull();
    }

    // Decisions: about 70% approved, 10% rejected, 20% pending; every approval within its scheme's budget and the employer's levy.
    const share = (status: string) => applications.filter((a) => a.status === status).length / applications.length;
    expect(share('PENDING')).toBeGreaterThan(0.15);
    expect(share('PENDING')).toBeLessThan(0.25);
    expect(share('APPROVED')).toBeGreaterThan(0.6);
    expect(share('APPROVED')).toBeLessThan(0.75);
    for (const s of schemes) {
      const committed = applications.filter((a) => a.schemeId === s.id && a.status === 'APPROVED').reduce((sum, a) => sum + a.amountSen, 0);
      expect(s.committedSen).toBe(committed);
      expect(committed).toBeLessThanOrEqual(s.budgetSen);
    }
    const drawn = new Map<string, number>();
    for (const c of claims) if (c.status === 'APPROVED') drawn.set(c.employerId!, (drawn.get(c.employerId!) ?? 0) + c.amountSen);
    expect([...drawn].every(([employer, sen]) => sen <= paid.get(employer)!)).toBe(true);
  });

  // COPY FROM STDIN needs a PostgreSQL server; the embedded run covers the generator above.
  it.runIf(Boolean(serverDatabaseUrl()))(
    'loads into PostgreSQL with the rest of the national set, consistent with every other table, and HRD Corp finds it through the graph',
    async () => {
      const database = await createEmptyDatabase(serverDatabaseUrl()!);
      const scale = 0.002;
      try {
        const quiet = () => {};
        await seedNational({ url: database.url, config: testConfig(), scale, progress: quiet, now });
        const expected = nationalFunding(nationalDataSet(scaled(scale)), now);
        const sql = postgres(database.url, { max: 1, onnotice: quiet });
        try {
          const national = (column: string, prefix: string) => `${column}::text like '${prefix}-%'`;
          const [counts] = await sql.unsafe(`select
            (select count(*)::int from funding.scheme where ${national('id', '7a00000a')}) as schemes,
            (select count(*)::int from funding.course_approval where ${national('id', '7a00000b')} and status = 'PENDING') as pending,
            (select count(*)::int from funding.course_approval where ${national('id', '7a00000b')} and status = 'APPROVED') as approved,
            (select count(*)::int from funding.application where ${national('id', '7a00000c')} and kind = 'HRD_CORP_CLAIM') as claims,
            (select count(*)::int from funding.application where ${national('id', '7a00000c')} and kind = 'B40_AID') as aid,
            (select count(*)::int from funding.income_declaration where ${national('id', '7a00000d')}) as declarations`);
          expect(counts).toEqual({
            schemes: expected.schemes.length,
            pending: Math.round(13_224 * scale),
            approved: Math.round(11_493 * scale),
            claims: expected.applications.filter((a) => a.kind === 'HRD_CORP_CLAIM').length,
            aid: expected.applications.filter((a) => a.kind === 'B40_AID').length,
            declarations: expected.applications.filter((a) => a.kind === 'B40_AID').length,
          });

          // Every registered employer has a levy account (and no other does), its balance what it paid less the grants its claims drew.
          const [levy] = await sql.unsafe(`select
            (select count(*)::int from employers.employer e where ${national('e.id', '7a000003')} and e.hrd_corp_registered
              and not exists (select 1 from funding.levy_account a where a.employer_id = e.id)) as registered_without,
            (select count(*)::int from funding.levy_account a join employers.employer e on e.id = a.employer_id where not e.hrd_corp_registered) as unregistered_with,
            (select count(*)::int from funding.levy_account a where ${national('a.employer_id', '7a000003')} and a.balance_sen <>
              (select sum(case when l.kind = 'LEVY_PAID' then l.amount_sen else -l.amount_sen end) from funding.levy_entry l where l.employer_id = a.employer_id)) as unbalanced,
            (select count(*)::int from funding.levy_entry l where l.kind = 'GRANT_DRAWN' and ${national('l.id', '7a00000f')}) as grants,
            (select count(*)::int from funding.application where kind = 'HRD_CORP_CLAIM' and status = 'APPROVED' and ${national('id', '7a00000c')}) as approved_claims`);
          expect(levy).toMatchObject({ registered_without: 0, unregistered_with: 0, unbalanced: 0 });
          expect(levy!.grants).toBe(levy!.approved_claims);
          expect(levy!.grants).toBeGreaterThan(0);

          // Referential integrity across the services' schemas, which no foreign key spans.
          const [orphans] = await sql.unsafe(`select
            (select count(*)::int from funding.course_approval a left join providers.course c on c.id = a.course_id
              where c.id is null or c.provider_id <> a.provider_id) as approvals,
            (select count(*)::int from funding.application a left join learners.learner l on l.id = a.learner_id left join providers.course c on c.id = a.course_id
              where l.id is null or c.id is null) as applications,
            (select count(*)::int from funding.application a where a.kind = 'HRD_CORP_CLAIM' and not exists
              (select 1 from employers.employment e where e.learner_id = a.learner_id and e.employer_id = a.employer_id and e.until is null and e.confirmed_by_learner)) as claims,
            (select count(*)::int from funding.application a where a.kind = 'HRD_CORP_CLAIM' and not exists (select 1 from funding.course_approval c
              where c.scheme_id = a.scheme_id and c.course_id = a.course_id and c.status = 'APPROVED' and c.decided_at < a.submitted_at)) as unapproved_claims,
            (select count(*)::int from funding.scheme s where s.committed_sen <>
              (select coalesce(sum(b.amount_sen), 0) from funding.budget_entry b where b.scheme_id = s.id and b.kind = 'COMMITMENT')) as uncommitted,
            (select count(*)::int from funding.application a where a.status = 'APPROVED' and not exists
              (select 1 from funding.budget_entry b where b.application_id = a.id and b.kind = 'COMMITMENT' and b.amount_sen = a.amount_sen)) as approved_without_commitment`);
          expect(orphans).toEqual({ approvals: 0, applications: 0, claims: 0, unapproved_claims: 0, uncommitted: 0, approved_without_commitment: 0 });

          // A second load of the funding data changes nothing.
          expect(await seedNationalFunding({ url: database.url, progress: quiet })).toBe(false);

          const claim = expected.applications.find((a) => a.kind === 'HRD_CORP_CLAIM' && a.status === 'APPROVED')!;
          const [account] = await sql<Array<{ balance_sen: number }>>`select balance_sen::int from funding.levy_account where employer_id = ${claim.employerId}`;
          const graph = await startTestGraph({ connection: await openDatabase({ url: database.url }) });
          try {
            // HRD Corp's officer: its national schemes, its queue (pending, one provider's), the claims made to it and an employer's levy account.
            const funder = await graph.gateway.ok(
              `query($funder: ID!, $provider: ID!) {
                funder(id: $funder) { schemes { code } }
                pending: courseApprovals(filter: { status: PENDING }, first: 5) { totalCount edges { node { status submittedAt course { id } scheme { code } } } }
                ofProvider: courseApprovals(filter: { providerId: $provider }) { totalCount }
                claims: fundingApplications(filter: { status: APPROVED }, first: 1) { totalCount }
              }`,
              { as: 'FUNDER', variables: { funder: funders.hrdCorp.id, provider: expected.courseApprovals[0]!.providerId } },
            );
            expect(funder.funder.schemes.map((s: { code: string }) => s.code)).toEqual(expect.arrayContaining(['HRDC-MC-N01', 'HRDC-MC-N02']));
            expect(funder.funder.schemes.map((s: { code: string }) => s.code)).not.toContain('B40-MC-N01');
            // The demo's 21 pending BTEL courses are in HRD Corp's queue too.
            expect(funder.pending.totalCount).toBe(Math.round(13_224 * scale) + 21);
            expect(funder.pending.edges).toHaveLength(5);
            expect(funder.pending.edges.every((e: { node: { status: string } }) => e.node.status === 'PENDING')).toBe(true);
            expect(funder.ofProvider.totalCount).toBe(expected.courseApprovals.filter((a) => a.providerId === expected.courseApprovals[0]!.providerId).length);
            const approvedClaims = expected.applications.filter((a) => a.kind === 'HRD_CORP_CLAIM' && a.status === 'APPROVED').length;
            expect(funder.claims.totalCount).toBe(approvedClaims);
            const levy = await graph.gateway.ok(`query($id: ID!) { employer(id: $id) { levyAccount { balanceSen lastPaidMonth } } }`, {
              as: 'FUNDER',
              variables: { id: claim.employerId },
            });
            expect(levy.employer.levyAccount).toEqual({ balanceSen: account!.balance_sen, lastPaidMonth: malaysianMonthBefore(now, 1) });

            // A page of the queue by status, submitted range and provider: the records of that year only, oldest first.
            const [from, before] = [new Date(now.getTime() - 365 * DAY).toISOString(), new Date(now.getTime() - 90 * DAY).toISOString()];
            const pendingIn = expected.courseApprovals.filter((a) => a.status === 'PENDING' && a.submittedAt >= from && a.submittedAt < before);
            const pendingOf = new Map<string, number>();
            for (const a of pendingIn) pendingOf.set(a.providerId, (pendingOf.get(a.providerId) ?? 0) + 1);
            const busiest = [...pendingOf].sort((a, b) => b[1] - a[1])[0]![0];
            const page = async (filter: Record<string, unknown>) =>
              (await graph.gateway.ok(`query($filter: CourseApprovalFilter) { courseApprovals(filter: $filter, first: 100) { totalCount edges { node { id } } } }`, { as: 'FUNDER', variables: { filter } }))
                .courseApprovals as { totalCount: number; edges: Array<{ node: { id: string } }> };
            const inRange = await page({ status: 'PENDING', submittedFrom: from, submittedBefore: before });
            // The demo's pending BTEL courses count where they fall in the range.
            const demoIn = demoApprovals.filter((a) => a.status === 'PENDING' && a.submittedAt >= from && a.submittedAt < before).length;
            expect(inRange.totalCount).toBe(pendingIn.length + demoIn);
            expect(pendingIn.length).toBeLessThan(Math.round(13_224 * scale));
            const ofBusiest = pendingIn.filter((a) => a.providerId === busiest).sort((a, b) => a.submittedAt.localeCompare(b.submittedAt) || a.id.localeCompare(b.id));
            const ranged = await page({ status: 'PENDING', providerId: busiest, submittedFrom: from, submittedBefore: before });
            expect(ranged.edges.map((e) => e.node.id)).toEqual(ofBusiest.map((a) => a.id));
            const inverted = await graph.gateway.query(`query($filter: CourseApprovalFilter) { courseApprovals(filter: $filter) { totalCount } }`, {
              as: 'FUNDER',
              variables: { filter: { submittedFrom: before, submittedBefore: from } },
            });
            expect(inverted.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

            // The B40 fund's officer sees the applications to its own schemes, none of HRD Corp's claims.
            const b40 = await graph.gateway.ok(`{ fundingApplications(filter: { status: PENDING }, first: 100) { totalCount edges { node { status scheme { code } } } } }`, {
              as: { role: 'FUNDER', sub: 'officer:b40', funderId: funders.b40.id },
            });
            const pendingAid = expected.applications.filter((a) => a.kind === 'B40_AID' && a.status === 'PENDING');
            expect(b40.fundingApplications.totalCount).toBe(pendingAid.length);
            expect(b40.fundingApplications.edges.every((e: { node: { scheme: { code: string } } }) => e.node.scheme.code.startsWith('B40-MC-N'))).toBe(true);
          } finally {
            await graph.stop();
          }
        } finally {
          await sql.end();
        }
      } finally {
        await database.drop();
      }
    },
    300_000,
  );
});
