import { bdse, btel, demoId, learnerByKey } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph, type Who } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providersService } from '../src/index.ts';
import { APPLY, courseId, DECIDE, learnerToken, odl, odlStaff, ONE, QUEUE, storeApplication, uas, uasStaff } from './apel-m.support.ts';

/**
 * APEL.M applications at the providers service alone: who applies and who
 * decides, what a decision needs, that it is made once, and who reads what.
 * Applying itself reads the learner's progress through the graph, which a
 * subgraph alone does not reach: the end-to-end tests
 * (test/e2e/apel-applications.test.ts) apply for real.
 */
let graph: TestSubgraph<typeof providersService.tables>;

beforeAll(async () => {
  graph = await startTestSubgraph(providersService);
});
afterAll(() => graph?.stop());

const grace = learnerByKey('grace');
/** The seeded application: Grace, every BDSE stage complete (70 credits), pending. */
const graceApplication = demoId('apel-m-application:grace:BDSE');
const statusOf = async (id: string) => (await graph.connection.query<{ status: string }>('select status from providers.apel_m_application where id = $1', [id]))[0]!.status;
const historyOf = async (id: string) =>
  (await graph.connection.query<{ action: string }>('select action from providers.apel_m_application_event where application_id = $1 order by at, id', [id])).map((r) => r.action);
const decide = (id: string, as: Who | undefined, variables: Record<string, unknown>) =>
  graph.client.query(DECIDE, { as, variables: { id, ...variables } });

describe('applying, before the graph is read', () => {
  it('is for a signed-in learner, for themselves: other roles are refused and nothing is written', async () => {
    for (const who of ['PROVIDER_STAFF', 'PARTNER', 'EMPLOYER', 'FUNDER', 'ADMIN'] as const) {
      expect(codesOf(await graph.client.query(APPLY, { as: who, variables: { pathwayId: bdse.id } }))).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await graph.client.query(APPLY, { variables: { pathwayId: bdse.id } }))).toEqual(['UNAUTHENTICATED']);
    const bad = await graph.client.query(APPLY, { as: 'LEARNER', variables: { pathwayId: 'BDSE', key: ' ' } });
    expect(codesOf(bad)).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await graph.client.query(APPLY, { as: 'LEARNER', variables: { pathwayId: randomUUID() } }))).toEqual(['NOT_FOUND']);
    // There is no way to name another learner: the applicant is the token's subject.
    const forSomeoneElse = await graph.client.query(`mutation { applyForApelM(pathwayId: "${bdse.id}", learnerId: "${grace.id}") { id } }`, { as: 'LEARNER' });
    expect(codesOf(forSomeoneElse)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const others = await graph.connection.query(`select 1 from providers.apel_m_application where learner_id <> $1`, [grace.id]);
    expect(others).toEqual([]);
  });

  it('refuses a learner whose application to the pathway is pending, naming it', async () => {
    const response = await graph.client.query(APPLY, { as: learnerToken(grace.id), variables: { pathwayId: bdse.id } });
    expect(codesOf(response)).toEqual(['CONFLICT']);
    expect(response.errors![0]!.message).toBe(`Your APEL.M application ${graceApplication} to this pathway is pending: wait for its decision.`);
    expect(response.errors![0]!.extensions).toMatchObject({ applicationId: graceApplication, status: 'PENDING' });
  });

  it('answers SUBGRAPH_UNAVAILABLE when the learner’s progress cannot be read, and writes nothing (a keyed call is told to retry with its key)', async () => {
    const learner = learnerToken(randomUUID());
    const keyed = await graph.client.query(APPLY, { as: learner, variables: { pathwayId: btel.id, key: 'apel-1' } });
    expect(codesOf(keyed)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(keyed.errors![0]!.extensions).toMatchObject({ retryWithSameIdempotencyKey: true });
    const rows = await graph.connection.query(`select 1 from providers.apel_m_application where learner_id = $1`, [learner.sub]);
    expect(rows).toEqual([]);
  });
});

describe('deciding', () => {
  it("is for the pathway provider's staff and partner systems: another provider's is told it does not exist, other roles are refused", async () => {
    const notFound = await decide(graceApplication, uasStaff, { decision: 'ADMIT', credits: 60 });
    expect(codesOf(notFound)).toEqual(['NOT_FOUND']);
    expect(notFound.errors![0]!.message).toBe(`ApelMApplication ${graceApplication} does not exist.`);
    expect(codesOf(await decide(randomUUID(), 'PROVIDER_STAFF', { decision: 'ADMIT', credits: 60 }))).toEqual(['NOT_FOUND']);
    for (const who of [learnerToken(grace.id), 'EMPLOYER', 'FUNDER', 'ADMIN'] as const) {
      expect(codesOf(await decide(graceApplication, who, { decision: 'REFUSE', reason: 'No.' }))).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await decide(graceApplication, undefined, { decision: 'REFUSE', reason: 'No.' }))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await decide('grace', 'PROVIDER_STAFF', { decision: 'REFUSE', reason: 'No.' }))).toEqual(['BAD_USER_INPUT']);
    expect(await statusOf(graceApplication)).toBe('PENDING');
  });

  it('admits with credits from those APEL.M needed to those evidenced, and refuses with a reason; anything else is BAD_USER_INPUT', async () => {
    const refused = async (variables: Record<string, unknown>, field: string) => {
      const response = await decide(graceApplication, 'PROVIDER_STAFF', variables);
      expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe(field);
      return response.errors![0]!.message;
    };
    expect(await refused({ decision: 'ADMIT', credits: 59 }, 'creditsTransferred')).toBe(
      "creditsTransferred must be from 60 (the credits APEL.M needed: 50% of the programme's 120, MQA's minimum being 50%) to 70 (the credits the learner's evidence earned); got 59.",
    );
    expect(await refused({ decision: 'ADMIT', credits: 71 }, 'creditsTransferred')).toMatch(/got 71\.$/);
    expect(await refused({ decision: 'ADMIT', credits: -60 }, 'creditsTransferred')).toMatch(/got -60\.$/);
    expect(await refused({ decision: 'ADMIT' }, 'creditsTransferred')).toMatch(/^creditsTransferred is required to ADMIT/);
    expect(await refused({ decision: 'REFUSE' }, 'reason')).toMatch(/^reason is required to REFUSE/);
    expect(await refused({ decision: 'REFUSE', reason: 'Incomplete.', credits: 60 }, 'creditsTransferred')).toMatch(/for ADMIT only/);
    const blank = await decide(graceApplication, 'PROVIDER_STAFF', { decision: 'REFUSE', reason: '   ' });
    expect(codesOf(blank)).toEqual(['BAD_USER_INPUT']);
    expect(await statusOf(graceApplication)).toBe('PENDING');
    expect(await historyOf(graceApplication)).toEqual(['SUBMITTED']);
  });

  it('is made once, by any staff account: the same decision again answers it, another is a CONFLICT', async () => {
    const { data } = await decide(graceApplication, odlStaff, { decision: 'ADMIT', credits: 64, reason: 'Welcome to Year 2.' });
    const admitted = data!.decideApelMApplication;
    expect(admitted).toMatchObject({ status: 'ADMITTED', creditsTransferred: 64, reason: 'Welcome to Year 2.', creditsNeeded: 60, creditsEarned: 70 });
    expect(admitted.history).toEqual([
      { action: 'SUBMITTED', by: grace.id, byRole: 'LEARNER', at: '2026-02-20T01:00:00.000Z' },
      { action: 'ADMITTED', by: odlStaff.sub, byRole: 'PROVIDER_STAFF', at: admitted.decidedAt },
    ]);
    const again = await graph.client.ok(DECIDE, { as: 'PARTNER', variables: { id: graceApplication, decision: 'ADMIT', credits: 64 } });
    expect(again.decideApelMApplication).toEqual(admitted);
    const otherCredits = await decide(graceApplication, 'PROVIDER_STAFF', { decision: 'ADMIT', credits: 60 });
    expect(codesOf(otherCredits)).toEqual(['CONFLICT']);
    expect(otherCredits.errors![0]!.message).toBe('This APEL.M application was already ADMITTED with 64 credits transferred, and decisions are final.');
    expect(codesOf(await decide(graceApplication, 'PROVIDER_STAFF', { decision: 'REFUSE', reason: 'Changed our mind.' }))).toEqual(['CONFLICT']);
    expect(await historyOf(graceApplication)).toEqual(['SUBMITTED', 'ADMITTED']);
  });

  it('lets only one of two decisions made at once stand: the other finds it decided', async () => {
    const { id } = await storeApplication(graph.connection);
    const answers = await Promise.all([
      decide(id, 'PROVIDER_STAFF', { decision: 'ADMIT', credits: 60 }),
      decide(id, 'PARTNER', { decision: 'REFUSE', reason: 'Places are full this intake.' }),
    ]);
    expect(answers.map((a) => codesOf(a)).sort()).toEqual([[], ['CONFLICT']]);
    const winner = answers.find((a) => !a.errors)!.data!.decideApelMApplication;
    expect(await statusOf(id)).toBe(winner.status);
    expect(await historyOf(id)).toEqual(['SUBMITTED', winner.status]);
  });

  it('answers a retried decision from its idempotency key, and refuses the key for another application', async () => {
    const first = await storeApplication(graph.connection);
    const second = await storeApplication(graph.connection);
    const variables = { decision: 'REFUSE', reason: 'Your SE2301 assessment is under review; apply again once it is confirmed.', key: 'sms-decision-1' };
    const refusal = (await graph.client.ok(DECIDE, { as: 'PARTNER', variables: { id: first.id, ...variables } })).decideApelMApplication;
    expect(refusal).toMatchObject({ status: 'REFUSED', creditsTransferred: null, reason: variables.reason });
    expect(refusal.history.map((h: { action: string; byRole: string }) => [h.action, h.byRole])).toEqual([
      ['SUBMITTED', 'LEARNER'],
      ['REFUSED', 'PARTNER'],
    ]);
    expect((await graph.client.ok(DECIDE, { as: 'PARTNER', variables: { id: first.id, ...variables } })).decideApelMApplication).toEqual(refusal);
    const reused = await decide(second.id, 'PARTNER', variables);
    expect(codesOf(reused)).toEqual(['CONFLICT']);
    expect(reused.errors![0]!.message).toMatch(/already used to decide another APEL\.M application/);
    expect(await statusOf(second.id)).toBe('PENDING');
    const admitAfterRefusal = await decide(first.id, 'PROVIDER_STAFF', { decision: 'ADMIT', credits: 60 });
    expect(admitAfterRefusal.errors![0]!.message).toBe('This APEL.M application was already REFUSED, and decisions are final: the learner may apply again, with a new application.');
  });

  it('never transfers more credits than the programme has, however many were evidenced', async () => {
    const { id } = await storeApplication(graph.connection, { courses: 14, credits: 10 });
    expect((await decide(id, 'PROVIDER_STAFF', { decision: 'ADMIT', credits: 121 })).errors![0]!.message).toMatch(/to 120 \(the credits the learner's evidence earned, capped at the programme credits\); got 121\.$/);
    expect((await graph.client.ok(DECIDE, { as: 'PROVIDER_STAFF', variables: { id, decision: 'ADMIT', credits: 120 } })).decideApelMApplication.creditsTransferred).toBe(120);
  });

  it('lets a suspended provider refuse but not admit, nor take new applications, until reinstated', async () => {
    const { createPathway } = await graph.client.ok(`mutation($input: PathwayInput!) { createPathway(input: $input) { id } }`, {
      as: uasStaff,
      variables: {
        input: {
          code: 'UAS-DA',
          title: 'Data analytics',
          description: 'Two micro-credentials towards a diploma.',
          targetProgramme: 'Diploma in Data Analytics',
          targetProgrammeCredits: 14,
          stages: [{ title: 'Analytics', requiredCourseIds: [courseId('CS1010'), courseId('DS2001')], exitAward: 'Professional Certificate in Analytics' }],
        },
      },
    });
    const options = { pathwayId: createPathway.id, providerId: uas.id, programmeCredits: 14, courses: 2, credits: 4 };
    const [toAdmit, toRefuse] = [await storeApplication(graph.connection, options), await storeApplication(graph.connection, options)];
    const reason = 'MQA audit 2026/14: assessment records could not be produced.';
    await graph.client.ok(`mutation($id: ID!, $reason: String!) { suspendProvider(id: $id, reason: $reason) { id } }`, { as: 'ADMIN', variables: { id: uas.id, reason } });
    try {
      const admit = await decide(toAdmit.id, uasStaff, { decision: 'ADMIT', credits: 7 });
      expect(codesOf(admit)).toEqual(['FORBIDDEN']);
      expect(admit.errors![0]!.message).toBe(`${uas.name} is suspended and may not admit learners through APEL.M until a platform administrator reinstates it.`);
      expect(await statusOf(toAdmit.id)).toBe('PENDING');
      const refused = await graph.client.ok(DECIDE, { as: uasStaff, variables: { id: toRefuse.id, decision: 'REFUSE', reason: 'Our programme is closed to new entrants.' } });
      expect(refused.decideApelMApplication.status).toBe('REFUSED');
      const apply = await graph.client.query(APPLY, { as: learnerToken(randomUUID()), variables: { pathwayId: createPathway.id } });
      expect(codesOf(apply)).toEqual(['FORBIDDEN']);
      expect(apply.errors![0]!.message).toBe(`${uas.name} is suspended and may not take APEL.M applications until a platform administrator reinstates it.`);
    } finally {
      await graph.client.ok(`mutation($id: ID!) { reinstateProvider(id: $id) { id } }`, { as: 'ADMIN', variables: { id: uas.id } });
    }
    expect((await graph.client.ok(DECIDE, { as: uasStaff, variables: { id: toAdmit.id, decision: 'ADMIT', credits: 8 } })).decideApelMApplication.status).toBe('ADMITTED');
  });
});

describe('reading applications', () => {
  it("lists a pathway's queue, oldest first, by status, a page at a time, for its provider and administrators only", async () => {
    const { createPathway } = await graph.client.ok(`mutation($input: PathwayInput!) { createPathway(input: $input) { id } }`, {
      as: 'PROVIDER_STAFF',
      variables: {
        input: {
          code: 'BDSE-Q',
          title: 'Queue',
          description: 'For listing.',
          targetProgramme: 'Bachelor of Software Engineering (Hons)',
          targetProgrammeCredits: 120,
          stages: [{ title: 'All', requiredCourseIds: [courseId('SE1101')], exitAward: 'Certificate' }],
        },
      },
    });
    const pathwayId = createPathway.id;
    const stored = [];
    for (const day of [3, 1, 2, 4]) stored.push(await storeApplication(graph.connection, { pathwayId, createdAt: `2026-03-0${day}T00:00:00Z` }));
    await graph.client.ok(DECIDE, { as: 'PROVIDER_STAFF', variables: { id: stored[3]!.id, decision: 'REFUSE', reason: 'Duplicate record.' } });
    const oldestFirst = [stored[1]!, stored[2]!, stored[0]!].map((s) => s.id);

    const page1 = (await graph.client.ok(QUEUE, { as: 'PROVIDER_STAFF', variables: { pathwayId, status: 'PENDING', first: 2 } })).pathway.apelMApplications;
    expect(page1.totalCount).toBe(3);
    expect(page1.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(oldestFirst.slice(0, 2));
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await graph.client.ok(QUEUE, { as: 'PARTNER', variables: { pathwayId, status: 'PENDING', first: 2, after: page1.pageInfo.endCursor } })).pathway.apelMApplications;
    expect(page2.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(oldestFirst.slice(2));
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const all = (await graph.client.ok(QUEUE, { as: 'ADMIN', variables: { pathwayId } })).pathway.apelMApplications;
    expect(all.totalCount).toBe(4);
    expect(all.edges.map((e: { node: { status: string } }) => e.node.status)).toEqual(['PENDING', 'PENDING', 'PENDING', 'REFUSED']);

    for (const who of [uasStaff, 'LEARNER', 'EMPLOYER', 'FUNDER'] as const) {
      const response = await graph.client.query(QUEUE, { as: who, variables: { pathwayId } });
      expect(codesOf(response)).toEqual(['FORBIDDEN']);
      expect(response.data!.pathway).toEqual({ apelMApplications: null });
    }
    expect(codesOf(await graph.client.query(QUEUE, { variables: { pathwayId } }))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await graph.client.query(QUEUE, { as: 'PROVIDER_STAFF', variables: { pathwayId, after: 'not-a-cursor' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await graph.client.query(QUEUE, { as: 'PROVIDER_STAFF', variables: { pathwayId, first: 101 } }))).toEqual(['BAD_USER_INPUT']);
  });

  it("costs the same statements however many pathways and applications a response lists", async () => {
    const QUEUES = `{ pathways(providerId: "${odl.id}") { code apelMApplications(first: 50) { totalCount edges { node { id pathway { code } history { action by } evidence { credits course { code } } } } } } }`;
    const before = await graph.statementsDuring(() => graph.client.ok(QUEUES, { as: 'PROVIDER_STAFF' }));
    for (let i = 0; i < 3; i++) await storeApplication(graph.connection, { pathwayId: btel.id, courses: 12 });
    const after = await graph.statementsDuring(() => graph.client.ok(QUEUES, { as: 'PROVIDER_STAFF' }));
    expect(after.result.pathways.find((p: { code: string }) => p.code === 'BTEL').apelMApplications.totalCount).toBe(3);
    expect(after.statements).toBe(before.statements);
  });

  it('shows a learner their own applications, the provider those through its pathways, an administrator all, and nobody else any', async () => {
    const learnerId = randomUUID();
    const bdseOne = await storeApplication(graph.connection, { learnerId });
    const { createPathway: uasPathway } = await graph.client.ok(`mutation($input: PathwayInput!) { createPathway(input: $input) { id } }`, {
      as: uasStaff,
      variables: {
        input: {
          code: 'UAS-PROG',
          title: 'Programming',
          description: 'One course.',
          targetProgramme: 'Diploma in Computing',
          targetProgrammeCredits: 8,
          stages: [{ title: 'Programming', requiredCourseIds: [courseId('CS1010')], exitAward: 'Certificate' }],
        },
      },
    });
    const uasOne = await storeApplication(graph.connection, { learnerId, pathwayId: uasPathway.id, providerId: uas.id, programmeCredits: 8, courses: 1, credits: 4 });
    const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Learner { apelMApplications { id pathway { code } } } } }`;
    const seenBy = async (who: Who | undefined) =>
      ((await graph.client.ok(ENTITIES, { as: who, variables: { r: [{ __typename: 'Learner', id: learnerId }] } }))._entities[0].apelMApplications as Array<{ id: string }>).map((a) => a.id);
    expect(await seenBy(learnerToken(learnerId))).toEqual([uasOne.id, bdseOne.id]);
    expect(await seenBy('ADMIN')).toEqual([uasOne.id, bdseOne.id]);
    expect(await seenBy('PROVIDER_STAFF')).toEqual([bdseOne.id]);
    expect(await seenBy(uasStaff)).toEqual([uasOne.id]);
    for (const who of [learnerToken(randomUUID()), 'EMPLOYER', 'FUNDER'] as const) expect(await seenBy(who)).toEqual([]);

    expect((await graph.client.ok(ONE, { as: learnerToken(learnerId), variables: { id: bdseOne.id } })).apelMApplication).toMatchObject({ id: bdseOne.id, status: 'PENDING' });
    for (const who of [learnerToken(randomUUID()), uasStaff, 'EMPLOYER'] as const) {
      const response = await graph.client.query(ONE, { as: who, variables: { id: bdseOne.id } });
      expect(codesOf(response)).toEqual(['NOT_FOUND']);
      expect(response.errors![0]!.message).toBe(`ApelMApplication ${bdseOne.id} does not exist.`);
    }
  });
});

describe('the database guards', () => {
  it('keeps one open application per learner and pathway, and transferred credits within the evidence, whatever the code does', async () => {
    const { learnerId, id } = await storeApplication(graph.connection);
    await expect(storeApplication(graph.connection, { learnerId })).rejects.toThrow(/apel_m_application_open_key/);
    await expect(
      graph.connection.query(`update providers.apel_m_application set status = 'ADMITTED', credits_transferred = 59, decided_by = 'x', decided_at = now() where id = $1`, [id]),
    ).rejects.toThrow(/apel_m_application_credits_transferred_check/);
    await expect(graph.connection.query(`update providers.apel_m_application set status = 'REFUSED', decided_by = 'x', decided_at = now() where id = $1`, [id])).rejects.toThrow(
      /apel_m_application_decided_check/,
    );
    await expect(storeApplication(graph.connection, { thresholdPercent: 40 })).rejects.toThrow(/apel_m_application_threshold_check/);
  });
});
