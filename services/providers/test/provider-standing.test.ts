import { courseId, providers } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providersService } from '../src/index.ts';

let graph: TestSubgraph<typeof providersService.tables>;

beforeAll(async () => {
  graph = await startTestSubgraph(providersService);
});
afterAll(() => graph?.stop());

const STANDING = 'id inGoodStanding suspendedAt suspensionReason';
const SUSPEND = `mutation($id: ID!, $reason: String!) { suspendProvider(id: $id, reason: $reason) { ${STANDING} } }`;
const REINSTATE = `mutation($id: ID!) { reinstateProvider(id: $id) { ${STANDING} } }`;
const READ = `query($id: ID!) { provider(id: $id) { ${STANDING} } }`;
const CREATE = `mutation($input: CourseInput!) { createCourse(input: $input) { id status } }`;
const UPDATE = `mutation($id: ID!, $input: CourseInput!) { updateCourse(id: $id, input: $input) { id title } }`;
const PUBLISH = `mutation($id: ID!) { publishCourse(id: $id) { id status } }`;
const RETIRE = `mutation($id: ID!) { retireCourse(id: $id) { id status } }`;
const RECOGNISE = `mutation($input: RecordCreditRecognitionInput!) { recordCreditRecognition(input: $input) { id } }`;
const ADD_STAFF = `mutation($input: ProviderStaffInput!) { addProviderStaff(input: $input) { subject } }`;

const uas = providers.publicUniversity;
const uasAdmin = { role: 'PROVIDER_STAFF', sub: 'staff:uas:registrar', providerId: uas.id } as const;
const aktAdmin = { role: 'PROVIDER_STAFF', sub: 'staff:akt:trainer', providerId: providers.trainingProvider.id } as const;
const REASON = 'MQA audit 2026/14: assessment records could not be produced.';
const standingEvents = async () =>
  (await graph.connection.query<{ payload: Record<string, unknown> }>(`select payload from providers.outbox where subject = 'providers.provider.standing' order by position`)).map((r) => r.payload);

let serial = 0;
const aDraft = () => ({
  code: `ST${String(++serial).padStart(4, '0')}`,
  title: 'Workplace data literacy',
  description: 'Reading and questioning the numbers at work.',
  notionalHours: 12,
  learningOutcomes: ['Read a chart critically.'],
  skillCodes: ['PROG-FUND'],
  feeSen: 20_000,
  deliveryMode: 'ONLINE',
  accreditation: 'NOT_CREDIT_BEARING',
  assessment: 'Quiz',
});

describe("a provider's standing", () => {
  it('is changed by platform administrators only, with a reason, for a provider that exists', async () => {
    for (const who of ['PROVIDER_STAFF', 'PARTNER', 'EMPLOYER', 'FUNDER', 'LEARNER', uasAdmin] as const) {
      expect(codesOf(await graph.client.query(SUSPEND, { as: who, variables: { id: uas.id, reason: REASON } }))).toEqual(['FORBIDDEN']);
      expect(codesOf(await graph.client.query(REINSTATE, { as: who, variables: { id: uas.id } }))).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await graph.client.query(SUSPEND, { variables: { id: uas.id, reason: REASON } }))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await graph.client.query(SUSPEND, { as: 'ADMIN', variables: { id: uas.id, reason: ' ' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await graph.client.query(SUSPEND, { as: 'ADMIN', variables: { id: randomUUID(), reason: REASON } }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await graph.client.query(REINSTATE, { as: 'ADMIN', variables: { id: 'uas' } }))).toEqual(['BAD_USER_INPUT']);
    expect((await graph.client.ok(READ, { as: 'ADMIN', variables: { id: uas.id } })).provider).toEqual({ id: uas.id, inGoodStanding: true, suspendedAt: null, suspensionReason: null });
  });

  it('suspends with a reason that its own staff and administrators read; everyone sees that it is not in good standing', async () => {
    const { suspendProvider } = await graph.client.ok(SUSPEND, { as: 'ADMIN', variables: { id: uas.id, reason: REASON } });
    expect(suspendProvider).toMatchObject({ id: uas.id, inGoodStanding: false, suspensionReason: REASON });
    expect(Date.now() - Date.parse(suspendProvider.suspendedAt)).toBeLessThan(60_000);
    // Announced with the change, so credentials can tell what was issued before it.
    expect(await standingEvents()).toEqual([{ providerId: uas.id, inGoodStanding: false, changedAt: suspendProvider.suspendedAt }]);
    for (const who of [uasAdmin, { role: 'PARTNER', sub: 'system:uas-student-records', providerId: uas.id }] as const) {
      expect((await graph.client.ok(READ, { as: who, variables: { id: uas.id } })).provider).toEqual(suspendProvider);
    }
    for (const who of [undefined, 'PROVIDER_STAFF', 'EMPLOYER', 'LEARNER', aktAdmin] as const) {
      const response = await graph.client.query(READ, { as: who, variables: { id: uas.id } });
      expect(response.data!.provider).toEqual({ id: uas.id, inGoodStanding: false, suspendedAt: null, suspensionReason: null });
      expect(codesOf(response)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    }
    expect((await graph.client.ok(`{ providers { slug inGoodStanding } }`)).providers).toContainEqual({ slug: uas.slug, inGoodStanding: false });
  });

  it('keeps the first suspension when suspended again', async () => {
    const before = (await graph.client.ok(READ, { as: 'ADMIN', variables: { id: uas.id } })).provider;
    const again = await graph.client.ok(SUSPEND, { as: 'ADMIN', variables: { id: uas.id, reason: 'A second finding.' } });
    expect(again.suspendProvider).toEqual(before);
    expect(await standingEvents()).toHaveLength(1);
  });

  it('lets a suspended provider put right what it has, but not publish a course or grant credit', async () => {
    const draft = (await graph.client.ok(CREATE, { as: uasAdmin, variables: { input: aDraft() } })).createCourse;
    await graph.client.ok(UPDATE, { as: uasAdmin, variables: { id: draft.id, input: { title: 'Data literacy at work' } } });
    for (const who of [uasAdmin, 'ADMIN'] as const) {
      const publish = await graph.client.query(PUBLISH, { as: who, variables: { id: draft.id } });
      expect(codesOf(publish)).toEqual(['FORBIDDEN']);
      expect(publish.errors![0]!.message).toBe(`${uas.name} is suspended and may not publish courses until a platform administrator reinstates it.`);
    }
    const recognise = await graph.client.query(RECOGNISE, {
      as: uasAdmin,
      variables: { input: { courseId: courseId('CS1010'), recognisedCourseId: courseId('SE1101'), creditsGranted: 2 } },
    });
    expect(codesOf(recognise)).toEqual(['FORBIDDEN']);
    expect(await graph.connection.query('select 1 from providers.credit_recognition where provider_id = $1', [uas.id])).toEqual([]);

    // What it published stays listed (learners part-way through it, pathways naming it); it may take a course down, and manage staff.
    const published = await graph.client.ok(`{ course(id: "${courseId('CS1010')}") { status provider { inGoodStanding } } }`);
    expect(published.course).toEqual({ status: 'PUBLISHED', provider: { inGoodStanding: false } });
    expect((await graph.client.ok(RETIRE, { as: uasAdmin, variables: { id: draft.id } })).retireCourse.status).toBe('RETIRED');
    const staff = { subject: 'staff:uas:compliance', name: 'Aida Rahim', email: 'compliance@uas.example.edu.my', kind: 'PERSON', role: 'STAFF' };
    expect((await graph.client.ok(ADD_STAFF, { as: uasAdmin, variables: { input: staff } })).addProviderStaff.subject).toBe(staff.subject);

    // Other providers are not affected.
    const akt = (await graph.client.ok(CREATE, { as: aktAdmin, variables: { input: aDraft() } })).createCourse;
    expect((await graph.client.ok(PUBLISH, { as: aktAdmin, variables: { id: akt.id } })).publishCourse.status).toBe('PUBLISHED');
  });

  it('reinstates: good standing again, the suspension cleared, and publishing allowed; reinstating again changes nothing', async () => {
    const { reinstateProvider } = await graph.client.ok(REINSTATE, { as: 'ADMIN', variables: { id: uas.id } });
    expect(reinstateProvider).toEqual({ id: uas.id, inGoodStanding: true, suspendedAt: null, suspensionReason: null });
    expect((await graph.client.ok(REINSTATE, { as: 'ADMIN', variables: { id: uas.id } })).reinstateProvider).toEqual(reinstateProvider);
    const events = await standingEvents();
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ providerId: uas.id, inGoodStanding: true });
    expect(Date.parse(events[1]!.changedAt as string)).toBeGreaterThan(Date.parse(events[0]!.changedAt as string));
    const draft = (await graph.client.ok(CREATE, { as: uasAdmin, variables: { input: aDraft() } })).createCourse;
    expect((await graph.client.ok(PUBLISH, { as: uasAdmin, variables: { id: draft.id } })).publishCourse.status).toBe('PUBLISHED');
    const recognised = await graph.client.ok(RECOGNISE, {
      as: uasAdmin,
      variables: { input: { courseId: courseId('CS1010'), recognisedCourseId: courseId('SE1101'), creditsGranted: 2 } },
    });
    expect(recognised.recordCreditRecognition.id).toBeDefined();
  });

  it('keeps a suspension and its reason together in the database, and only while out of good standing', async () => {
    await expect(graph.connection.query(`update providers.provider set suspension_reason = 'x' where id = $1`, [uas.id])).rejects.toThrow(/provider_suspension_check/);
    await expect(
      graph.connection.query(`update providers.provider set suspended_at = now(), suspension_reason = 'x', in_good_standing = true where id = $1`, [uas.id]),
    ).rejects.toThrow(/provider_suspension_check/);
  });
});
