import { applicationDecidedEvent, claimDecidedEvent, courseApprovalDecidedEvent, parseEvent, type EventContract, type EventEnvelope } from '@tauliah/core';
import { courseApprovals, demoId, employers, funders, learnerByKey, providers, schemes } from '@tauliah/demo-data';
import { codesOf, eventually, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundingService } from '../src/index.ts';
import { insertSchemes } from '../src/schemes/definition.ts';

let graph: TestSubgraph<typeof fundingService.tables>;
const aisyah = learnerByKey('aisyah');
const faizal = learnerByKey('faizal');
const hrdCorpOfficer = 'FUNDER' as const;
const hrdCorpClaimsOfficer = { role: 'FUNDER', sub: 'officer:hrdcorp:claims', funderId: funders.hrdCorp.id } as const;
const b40Officer = { role: 'FUNDER', sub: 'officer:b40', funderId: funders.b40.id } as const;
const b40 = schemes.b40Bursary;
const hrdCorp = schemes.hrdCorpMicroCredential;
/** A B40 bursary whose budget covers one application of 80,000 sen, not two. */
const tight = { ...b40, id: demoId('scheme:tight-b40'), code: 'TIGHT-B40-2026', budgetSen: 100_000, perLearnerCapSen: 100_000 };
/** An employer whose levy account cannot cover a claim. */
const thinLevyEmployer = demoId('employer:thin-levy');
const pendingCourseApprovals = courseApprovals.filter((a) => a.status === 'PENDING');

beforeAll(async () => {
  graph = await startTestSubgraph(fundingService);
  await insertSchemes(graph.db, [tight]);
  await graph.connection.query(`insert into funding.levy_account (employer_id, balance_sen) values ($1, 1000)`, [thinLevyEmployer]);
});
afterAll(() => graph?.stop());

const DECIDE_APPLICATION = `mutation($id: ID!, $decision: Decision!) { decideApplication(id: $id, decision: $decision, reason: "Checked against the scheme's criteria.") { id status } }`;
const DECIDE_COURSE = `mutation($id: ID!, $decision: Decision!) { decideCourseApproval(id: $id, decision: $decision, reason: "Fee and outcomes checked.") { id status } }`;

let course = 0;
/** A pending application or claim as applying leaves it (applying itself, and its eligibility checks, are covered end to end). */
async function pendingApplication(options: { schemeId: string; learnerId: string; employerId?: string; amountSen?: number; courseId?: string }): Promise<string> {
  const id = randomUUID();
  course += 1;
  await graph.connection.query(
    `insert into funding.application (id, scheme_id, kind, learner_id, course_id, employer_id, amount_sen, submitted_by) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      id,
      options.schemeId,
      options.employerId ? 'HRD_CORP_CLAIM' : 'B40_AID',
      options.learnerId,
      options.courseId ?? demoId(`course:decision-events:${course}`),
      options.employerId ?? null,
      options.amountSen ?? 80_000,
      options.employerId ? 'staff:employer' : options.learnerId,
    ],
  );
  return id;
}

interface OutboxRow {
  position: number;
  subject: string;
  payload: Record<string, unknown>;
  published: boolean;
}

/** The decision events naming this record (an application or a course approval), oldest first. */
async function eventsAbout(recordId: string): Promise<OutboxRow[]> {
  const rows = await graph.connection.query<OutboxRow & { position: string | number }>(
    `select position, subject, payload, published_at is not null as published from funding.outbox
     where payload->>'applicationId' = $1 or payload->>'courseApprovalId' = $1 order by position`,
    [recordId],
  );
  return rows.map((row) => ({ ...row, position: Number(row.position) }));
}
const outboxSize = async () => (await graph.connection.query<{ n: number }>('select count(*)::int as n from funding.outbox'))[0]!.n;
const subjectsAndPayloads = (rows: OutboxRow[]) => rows.map(({ subject, payload }) => ({ subject, payload }));

describe('the demo decisions', () => {
  it('are history: the seed announces none of them', async () => {
    expect(await outboxSize()).toBe(0);
  });
});

describe("a funder's decision on a learner's B40 application", () => {
  it('records one application.decided when approved, and nothing when the same officer repeats it', async () => {
    const id = await pendingApplication({ schemeId: b40.id, learnerId: aisyah.id });
    expect((await graph.client.ok(DECIDE_APPLICATION, { as: b40Officer, variables: { id, decision: 'APPROVE' } })).decideApplication.status).toBe('APPROVED');
    const [row] = await graph.connection.query<{ course_id: string }>('select course_id from funding.application where id = $1', [id]);
    const approved = {
      subject: 'funding.application.decided',
      payload: { applicationId: id, schemeId: b40.id, funderId: funders.b40.id, learnerId: aisyah.id, courseId: row!.course_id, decision: 'APPROVED' },
    };
    expect(subjectsAndPayloads(await eventsAbout(id))).toEqual([approved]);

    expect((await graph.client.ok(DECIDE_APPLICATION, { as: b40Officer, variables: { id, decision: 'APPROVE' } })).decideApplication.status).toBe('APPROVED');
    expect(subjectsAndPayloads(await eventsAbout(id))).toEqual([approved]);
  });

  it('records one application.decided when rejected', async () => {
    const id = await pendingApplication({ schemeId: b40.id, learnerId: faizal.id });
    await graph.client.ok(DECIDE_APPLICATION, { as: b40Officer, variables: { id, decision: 'REJECT' } });
    const events = await eventsAbout(id);
    expect(events.map((e) => [e.subject, e.payload.decision, e.payload.funderId])).toEqual([['funding.application.decided', 'REJECTED', funders.b40.id]]);
    expect(Object.keys(events[0]!.payload).sort()).toEqual(['applicationId', 'courseId', 'decision', 'funderId', 'learnerId', 'schemeId']);
  });

  it('records nothing for a decision refused: a contrary one, another funder, another officer, bad input', async () => {
    const id = await pendingApplication({ schemeId: b40.id, learnerId: faizal.id });
    await graph.client.ok(DECIDE_APPLICATION, { as: b40Officer, variables: { id, decision: 'REJECT' } });
    const total = await outboxSize();
    expect(codesOf(await graph.client.query(DECIDE_APPLICATION, { as: b40Officer, variables: { id, decision: 'APPROVE' } }))).toEqual(['CONFLICT']);
    const pending = await pendingApplication({ schemeId: b40.id, learnerId: faizal.id });
    expect(codesOf(await graph.client.query(DECIDE_APPLICATION, { as: hrdCorpOfficer, variables: { id: pending, decision: 'APPROVE' } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(DECIDE_APPLICATION, { as: b40Officer, variables: { id: 'application-1', decision: 'APPROVE' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await graph.client.query(DECIDE_APPLICATION, { as: b40Officer, variables: { id: demoId('application:none'), decision: 'APPROVE' } }))).toEqual(['NOT_FOUND']);
    expect(await outboxSize()).toBe(total);
    expect(await eventsAbout(pending)).toEqual([]);
  });

  it('records nothing when the budget cannot cover the approval, and keeps the application pending', async () => {
    const first = await pendingApplication({ schemeId: tight.id, learnerId: aisyah.id });
    const second = await pendingApplication({ schemeId: tight.id, learnerId: faizal.id });
    await graph.client.ok(DECIDE_APPLICATION, { as: b40Officer, variables: { id: first, decision: 'APPROVE' } });
    const total = await outboxSize();
    const refused = await graph.client.query(DECIDE_APPLICATION, { as: b40Officer, variables: { id: second, decision: 'APPROVE' } });
    expect(codesOf(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0]?.extensions?.reason).toBe('BUDGET_EXHAUSTED');
    expect(await outboxSize()).toBe(total);
    expect(await graph.connection.query('select status from funding.application where id = $1', [second])).toEqual([{ status: 'PENDING' }]);

    // The application can still be rejected, and that is announced.
    await graph.client.ok(DECIDE_APPLICATION, { as: b40Officer, variables: { id: second, decision: 'REJECT' } });
    expect((await eventsAbout(second)).map((e) => e.payload.decision)).toEqual(['REJECTED']);
  });

  it('records nothing when the learner is already funded for the course by another scheme', async () => {
    const sameCourse = demoId('course:decision-events:funded-once');
    const funded = await pendingApplication({ schemeId: b40.id, learnerId: faizal.id, courseId: sameCourse });
    const again = await pendingApplication({ schemeId: tight.id, learnerId: faizal.id, courseId: sameCourse, amountSen: 10_000 });
    await graph.client.ok(DECIDE_APPLICATION, { as: b40Officer, variables: { id: funded, decision: 'APPROVE' } });
    const total = await outboxSize();
    expect(codesOf(await graph.client.query(DECIDE_APPLICATION, { as: b40Officer, variables: { id: again, decision: 'APPROVE' } }))).toEqual(['CONFLICT']);
    expect(await outboxSize()).toBe(total);
  });

  it('records one event when the same approval races itself', async () => {
    const id = await pendingApplication({ schemeId: b40.id, learnerId: aisyah.id });
    const answers = await Promise.all([1, 2, 3].map(() => graph.client.ok(DECIDE_APPLICATION, { as: b40Officer, variables: { id, decision: 'APPROVE' } })));
    expect(answers.map((a) => a.decideApplication.status)).toEqual(['APPROVED', 'APPROVED', 'APPROVED']);
    expect(await eventsAbout(id)).toHaveLength(1);
  });
});

describe("a funder's decision on an employer's HRD Corp claim", () => {
  it('records one claim.decided naming the employer, approved or rejected', async () => {
    const approvedId = await pendingApplication({ schemeId: hrdCorp.id, learnerId: faizal.id, employerId: employers.software.id });
    const rejectedId = await pendingApplication({ schemeId: hrdCorp.id, learnerId: faizal.id, employerId: employers.software.id });
    await graph.client.ok(DECIDE_APPLICATION, { as: hrdCorpClaimsOfficer, variables: { id: approvedId, decision: 'APPROVE' } });
    await graph.client.ok(DECIDE_APPLICATION, { as: hrdCorpClaimsOfficer, variables: { id: rejectedId, decision: 'REJECT' } });
    for (const [id, decision] of [
      [approvedId, 'APPROVED'],
      [rejectedId, 'REJECTED'],
    ] as const) {
      const events = await eventsAbout(id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        subject: 'funding.claim.decided',
        payload: { applicationId: id, schemeId: hrdCorp.id, funderId: funders.hrdCorp.id, employerId: employers.software.id, learnerId: faizal.id, decision },
      });
    }
  });

  it("records nothing when the employer's levy cannot cover the claim", async () => {
    const id = await pendingApplication({ schemeId: hrdCorp.id, learnerId: aisyah.id, employerId: thinLevyEmployer });
    const total = await outboxSize();
    const refused = await graph.client.query(DECIDE_APPLICATION, { as: hrdCorpOfficer, variables: { id, decision: 'APPROVE' } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'LEVY_EXHAUSTED' });
    expect(await outboxSize()).toBe(total);
  });
});

describe("a funder's decision on a provider's course", () => {
  it('records one courseApproval.decided naming the provider, and nothing for a repeat or a contrary decision', async () => {
    const [approve, reject] = pendingCourseApprovals;
    await graph.client.ok(DECIDE_COURSE, { as: hrdCorpOfficer, variables: { id: approve!.id, decision: 'APPROVE' } });
    await graph.client.ok(DECIDE_COURSE, { as: hrdCorpOfficer, variables: { id: reject!.id, decision: 'REJECT' } });
    expect(subjectsAndPayloads(await eventsAbout(approve!.id))).toEqual([
      {
        subject: 'funding.courseApproval.decided',
        payload: { courseApprovalId: approve!.id, schemeId: hrdCorp.id, funderId: funders.hrdCorp.id, providerId: providers.odl.id, courseId: approve!.courseId, decision: 'APPROVED' },
      },
    ]);
    expect((await eventsAbout(reject!.id)).map((e) => e.payload.decision)).toEqual(['REJECTED']);

    const total = await outboxSize();
    await graph.client.ok(DECIDE_COURSE, { as: hrdCorpOfficer, variables: { id: approve!.id, decision: 'APPROVE' } });
    expect(codesOf(await graph.client.query(DECIDE_COURSE, { as: hrdCorpOfficer, variables: { id: reject!.id, decision: 'APPROVE' } }))).toEqual(['CONFLICT']);
    expect(codesOf(await graph.client.query(DECIDE_COURSE, { as: b40Officer, variables: { id: pendingCourseApprovals[2]!.id, decision: 'APPROVE' } }))).toEqual(['FORBIDDEN']);
    expect(await outboxSize()).toBe(total);
  });
});

describe('a decision and its event commit together', () => {
  /** Makes the outbox refuse one subject, as a failing insert would, for the length of `run`. */
  async function refusing(subject: string, run: () => Promise<void>): Promise<void> {
    await graph.connection.query(`alter table funding.outbox add constraint refuse_decision check (subject <> '${subject}') not valid`);
    try {
      await run();
    } finally {
      await graph.connection.query('alter table funding.outbox drop constraint refuse_decision');
    }
  }
  const committed = async (schemeId: string) => Number((await graph.connection.query<{ sen: string }>('select committed_sen as sen from funding.scheme where id = $1', [schemeId]))[0]!.sen);

  it('leaves an approval undone, budget and levy included, when its event cannot be recorded', async () => {
    const application = await pendingApplication({ schemeId: b40.id, learnerId: aisyah.id });
    const claim = await pendingApplication({ schemeId: hrdCorp.id, learnerId: faizal.id, employerId: employers.electronics.id });
    const before = { b40: await committed(b40.id), hrdCorp: await committed(hrdCorp.id) };
    const levy = await graph.connection.query('select balance_sen from funding.levy_account where employer_id = $1', [employers.electronics.id]);
    await refusing('funding.application.decided', async () => {
      expect(codesOf(await graph.client.query(DECIDE_APPLICATION, { as: b40Officer, variables: { id: application, decision: 'APPROVE' } }))).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(codesOf(await graph.client.query(DECIDE_APPLICATION, { as: b40Officer, variables: { id: application, decision: 'REJECT' } }))).toEqual(['INTERNAL_SERVER_ERROR']);
    });
    await refusing('funding.claim.decided', async () => {
      expect(codesOf(await graph.client.query(DECIDE_APPLICATION, { as: hrdCorpOfficer, variables: { id: claim, decision: 'APPROVE' } }))).toEqual(['INTERNAL_SERVER_ERROR']);
    });
    expect(await graph.connection.query('select status from funding.application where id in ($1, $2)', [application, claim])).toEqual([{ status: 'PENDING' }, { status: 'PENDING' }]);
    expect({ b40: await committed(b40.id), hrdCorp: await committed(hrdCorp.id) }).toEqual(before);
    expect(await graph.connection.query('select 1 from funding.budget_entry where application_id in ($1, $2)', [application, claim])).toEqual([]);
    expect(await graph.connection.query('select balance_sen from funding.levy_account where employer_id = $1', [employers.electronics.id])).toEqual(levy);
  });

  it('leaves a course pending when its decision cannot be announced', async () => {
    const pending = pendingCourseApprovals[3]!;
    await refusing('funding.courseApproval.decided', async () => {
      expect(codesOf(await graph.client.query(DECIDE_COURSE, { as: hrdCorpOfficer, variables: { id: pending.id, decision: 'APPROVE' } }))).toEqual(['INTERNAL_SERVER_ERROR']);
    });
    expect(await graph.connection.query('select status from funding.course_approval where id = $1', [pending.id])).toEqual([{ status: 'PENDING' }]);
  });
});

describe('the relay', () => {
  it('publishes decision events as their contracts read them, in the order they were recorded, and marks them published', async () => {
    const seen: EventEnvelope[] = [];
    const listen = async <T>(contract: EventContract<T>) => {
      const subscription = await graph.events.subscribe({ producer: 'funding', durable: `decision-test-${contract.subject.replaceAll('.', '-')}`, subject: contract.subject });
      const listening = (async () => {
        for await (const delivery of subscription.messages) {
          seen.push(parseEvent(contract, delivery.body));
          delivery.ack();
        }
      })();
      return async () => {
        await subscription.close();
        await listening;
      };
    };
    const stops = [await listen(applicationDecidedEvent), await listen(claimDecidedEvent), await listen(courseApprovalDecidedEvent)];
    try {
      const application = await pendingApplication({ schemeId: b40.id, learnerId: aisyah.id });
      const claim = await pendingApplication({ schemeId: hrdCorp.id, learnerId: aisyah.id, employerId: employers.software.id });
      const courseApproval = pendingCourseApprovals[4]!.id;
      await graph.client.ok(DECIDE_APPLICATION, { as: b40Officer, variables: { id: application, decision: 'APPROVE' } });
      await graph.client.ok(DECIDE_APPLICATION, { as: hrdCorpOfficer, variables: { id: claim, decision: 'REJECT' } });
      await graph.client.ok(DECIDE_COURSE, { as: hrdCorpOfficer, variables: { id: courseApproval, decision: 'APPROVE' } });

      const ids = [application, claim, courseApproval];
      const about = () =>
        seen
          .filter((e) => {
            const data = e.data as { applicationId?: string; courseApprovalId?: string };
            return ids.includes(data.applicationId ?? data.courseApprovalId ?? '');
          })
          .sort((a, b) => a.version - b.version);
      await eventually(() => about().length === 3, 'three decisions published');
      expect(about().map((e) => [e.subject, (e.data as { decision: string }).decision])).toEqual([
        ['funding.application.decided', 'APPROVED'],
        ['funding.claim.decided', 'REJECTED'],
        ['funding.courseApproval.decided', 'APPROVED'],
      ]);
      const recorded = (await Promise.all(ids.map(eventsAbout))).flat();
      expect(about().map((e) => e.version)).toEqual(recorded.map((r) => r.position));
      await eventually(async () => (await Promise.all(ids.map(eventsAbout))).flat().every((r) => r.published), 'the rows marked published');
    } finally {
      for (const stop of stops) await stop();
    }
  });
});
