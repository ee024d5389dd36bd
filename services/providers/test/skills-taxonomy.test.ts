import { parseEvent, skillRetiredEvent, type EventEnvelope } from '@tauliah/core';
import { courseId } from '@tauliah/demo-data';
import { codesOf, eventually, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providersService } from '../src/index.ts';
import { refusedFields } from './applications.support.ts';

let graph: TestSubgraph<typeof providersService.tables>;

beforeAll(async () => {
  graph = await startTestSubgraph(providersService);
});
afterAll(() => graph?.stop());

const SKILL = 'code name description framework frameworkReference retiredAt successor { code retiredAt }';
const ADD = `mutation($input: AddSkillInput!) { addSkill(input: $input) { ${SKILL} } }`;
const UPDATE = `mutation($code: String!, $input: UpdateSkillInput!) { updateSkill(code: $code, input: $input) { ${SKILL} } }`;
const RETIRE = `mutation($code: String!, $successorCode: String!) { retireSkill(code: $code, successorCode: $successorCode) { ${SKILL} } }`;
const ONE = `query($code: String!) { skill(code: $code) { ${SKILL} } }`;
const CREATE_COURSE = `mutation($input: CourseInput!) { createCourse(input: $input) { id skills { code } } }`;
const UPDATE_COURSE = `mutation($id: ID!, $input: CourseInput!) { updateCourse(id: $id, input: $input) { title skills { code retiredAt } } }`;

const ESCO = 'http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d';
const aSkill = (code: string, overrides: Record<string, unknown> = {}) => ({ code, name: `Skill ${code}`, description: `What ${code} is about.`, ...overrides });
const add = async (code: string, overrides: Record<string, unknown> = {}) => (await graph.client.ok(ADD, { as: 'ADMIN', variables: { input: aSkill(code, overrides) } })).addSkill;
const retire = (code: string, successorCode: string) => graph.client.query(RETIRE, { as: 'ADMIN', variables: { code, successorCode } });
const retiredEvents = (code: string) =>
  graph.connection.query<{ payload: unknown }>(`select payload from providers.outbox where subject = 'providers.skill.retired' and payload->>'code' = $1 order by position`, [code]);
const listed = async (includeRetired?: boolean) =>
  ((await graph.client.ok(`query($all: Boolean) { skills(includeRetired: $all) { code } }`, { variables: { all: includeRetired } })).skills as Array<{ code: string }>).map((s) => s.code);

describe('the skills taxonomy, kept by platform administrators', () => {
  it('adds a skill, with an ESCO URI or a MASCO code as its framework reference, for everyone to see', async () => {
    expect(await add('data-viz', { framework: 'ESCO', frameworkReference: ESCO })).toEqual({
      code: 'DATA-VIZ',
      name: 'Skill data-viz',
      description: 'What data-viz is about.',
      framework: 'ESCO',
      frameworkReference: ESCO,
      retiredAt: null,
      successor: null,
    });
    expect(await add('ROBOTICS', { framework: 'MASCO', frameworkReference: '3139' })).toMatchObject({ framework: 'MASCO', frameworkReference: '3139' });
    expect(await add('GREEN-TECH')).toMatchObject({ framework: null, frameworkReference: null });
    expect((await graph.client.ok(ONE, { variables: { code: 'data-viz' } })).skill.frameworkReference).toBe(ESCO);
    expect(await listed()).toEqual(expect.arrayContaining(['DATA-VIZ', 'ROBOTICS', 'GREEN-TECH', 'PROG-FUND']));
  });

  it('refuses a code already in the taxonomy, a code in another form, and references in the wrong form', async () => {
    const taken = await graph.client.query(ADD, { as: 'ADMIN', variables: { input: aSkill('prog-fund') } });
    expect(codesOf(taken)).toEqual(['CONFLICT']);
    expect(taken.errors![0]!.extensions!.field).toBe('input.code');
    const refused = async (input: Record<string, unknown>) => refusedFields(await graph.client.query(ADD, { as: 'ADMIN', variables: { input } }));
    expect(await refused(aSkill('DATA VIZ'))).toEqual(['input.code']);
    expect(await refused(aSkill('-LEADING'))).toEqual(['input.code']);
    expect(await refused(aSkill('ESCO-1', { framework: 'ESCO', frameworkReference: 'https://esco.ec.europa.eu/en/classification/skill?uri=x' }))).toEqual(['input.frameworkReference']);
    expect(await refused(aSkill('ESCO-2', { framework: 'ESCO', frameworkReference: 'ftp://data.europa.eu/esco/skill/x' }))).toEqual(['input.frameworkReference']);
    expect(await refused(aSkill('MASCO-1', { framework: 'MASCO', frameworkReference: 'MASCO 2512' }))).toEqual(['input.frameworkReference']);
    expect(await refused(aSkill('NO-FRAMEWORK', { frameworkReference: '2512' }))).toEqual(['input.framework']);
    expect(await refused(aSkill('NO-REFERENCE', { framework: 'ONET' }))).toEqual(['input.frameworkReference']);
    expect(await refused(aSkill('NO-NAME', { name: '' }))).toEqual(['input.name']);
    expect(await add('ONET-REF', { framework: 'ONET', frameworkReference: '2.A.2.b' })).toMatchObject({ framework: 'ONET' });
  });

  it('is for platform administrators only', async () => {
    for (const who of ['PROVIDER_STAFF', 'PARTNER', 'EMPLOYER', 'FUNDER', 'LEARNER'] as const) {
      expect(codesOf(await graph.client.query(ADD, { as: who, variables: { input: aSkill('NOT-MINE') } }))).toEqual(['FORBIDDEN']);
      expect(codesOf(await graph.client.query(UPDATE, { as: who, variables: { code: 'PROG-FUND', input: { name: 'Coding' } } }))).toEqual(['FORBIDDEN']);
      expect(codesOf(await graph.client.query(RETIRE, { as: who, variables: { code: 'FIRST-AID', successorCode: 'ELEC-SAFETY' } }))).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await graph.client.query(ADD, { variables: { input: aSkill('NOT-MINE') } }))).toEqual(['UNAUTHENTICATED']);
    expect(await graph.connection.query(`select 1 from providers.skill where code = 'NOT-MINE'`)).toEqual([]);
  });

  it('renames, re-describes and re-references a skill in use, keeping what is left out', async () => {
    await add('CYBER-OPS', { framework: 'MASCO', frameworkReference: '2529' });
    const renamed = (await graph.client.ok(UPDATE, { as: 'ADMIN', variables: { code: 'cyber-ops', input: { name: 'Security operations' } } })).updateSkill;
    expect(renamed).toMatchObject({ code: 'CYBER-OPS', name: 'Security operations', description: 'What CYBER-OPS is about.', framework: 'MASCO', frameworkReference: '2529' });
    const referenced = (await graph.client.ok(UPDATE, { as: 'ADMIN', variables: { code: 'CYBER-OPS', input: { framework: 'ESCO', frameworkReference: ESCO } } })).updateSkill;
    expect(referenced).toMatchObject({ name: 'Security operations', framework: 'ESCO', frameworkReference: ESCO });
    const cleared = (await graph.client.ok(UPDATE, { as: 'ADMIN', variables: { code: 'CYBER-OPS', input: { framework: null, frameworkReference: null } } })).updateSkill;
    expect(cleared).toMatchObject({ framework: null, frameworkReference: null });
    // A new framework must come with a reference in its form.
    expect(refusedFields(await graph.client.query(UPDATE, { as: 'ADMIN', variables: { code: 'CYBER-OPS', input: { framework: 'MASCO' } } }))).toEqual(['input.frameworkReference']);
    expect(refusedFields(await graph.client.query(UPDATE, { as: 'ADMIN', variables: { code: 'CYBER-OPS', input: { description: '' } } }))).toEqual(['input.description']);
    expect(codesOf(await graph.client.query(UPDATE, { as: 'ADMIN', variables: { code: 'NO-SUCH-SKILL', input: { name: 'x' } } }))).toEqual(['NOT_FOUND']);
  });

  it('retires a skill in favour of a successor in use, recording skill.retired with it; retired skills leave the listing unless asked', async () => {
    await add('OLD-WEB');
    await add('NEW-WEB');
    const { retireSkill } = (await retire('old-web', 'new-web')).data!;
    expect(retireSkill).toMatchObject({ code: 'OLD-WEB', successor: { code: 'NEW-WEB', retiredAt: null } });
    expect(Date.now() - Date.parse(retireSkill.retiredAt)).toBeLessThan(60_000);
    expect(await retiredEvents('OLD-WEB')).toEqual([{ payload: { code: 'OLD-WEB', successorCode: 'NEW-WEB' } }]);

    expect(await listed()).not.toContain('OLD-WEB');
    expect(await listed(false)).not.toContain('OLD-WEB');
    expect(await listed(true)).toEqual(expect.arrayContaining(['OLD-WEB', 'NEW-WEB']));
    expect((await graph.client.ok(ONE, { variables: { code: 'OLD-WEB' } })).skill.successor.code).toBe('NEW-WEB');

    // Retiring again for the same successor is a retry; for another, a CONFLICT; either way no second event.
    expect((await retire('OLD-WEB', 'NEW-WEB')).data!.retireSkill).toEqual(retireSkill);
    await add('OTHER-WEB');
    expect(codesOf(await retire('OLD-WEB', 'OTHER-WEB'))).toEqual(['CONFLICT']);
    expect(await retiredEvents('OLD-WEB')).toHaveLength(1);
    // A retired skill no longer changes.
    expect(codesOf(await graph.client.query(UPDATE, { as: 'ADMIN', variables: { code: 'OLD-WEB', input: { name: 'Renamed' } } }))).toEqual(['CONFLICT']);
  });

  it('refuses a successor that is unknown, retired or the skill itself, and so never makes a cycle', async () => {
    await add('CHAIN-A');
    await add('CHAIN-B');
    await add('CHAIN-C');
    expect(refusedFields(await retire('CHAIN-A', 'CHAIN-A'))).toEqual(['successorCode']);
    expect(refusedFields(await retire('CHAIN-A', 'NO-SUCH-SKILL'))).toEqual(['successorCode']);
    expect(refusedFields(await retire('CHAIN-A', 'not a code'))).toEqual(['successorCode']);
    expect(codesOf(await retire('NO-SUCH-SKILL', 'CHAIN-A'))).toEqual(['NOT_FOUND']);

    expect(codesOf(await retire('CHAIN-A', 'CHAIN-B'))).toEqual([]);
    // B back to A: A is retired, so no cycle.
    const back = await retire('CHAIN-B', 'CHAIN-A');
    expect(refusedFields(back)).toEqual(['successorCode']);
    expect(back.errors![0]!.message).toContain('CHAIN-A is itself retired (in favour of CHAIN-B)');
    // B may retire for C: successors chain, and consumers follow the chain.
    expect(codesOf(await retire('CHAIN-B', 'CHAIN-C'))).toEqual([]);
    expect(refusedFields(await retire('CHAIN-C', 'CHAIN-A'))).toEqual(['successorCode']);
    expect((await graph.client.ok(ONE, { variables: { code: 'CHAIN-A' } })).skill.successor).toMatchObject({ code: 'CHAIN-B' });

    // Two retirements naming each other at once: one wins, the other finds its successor retired.
    await add('PAIR-X');
    await add('PAIR-Y');
    const racing = await Promise.all([retire('PAIR-X', 'PAIR-Y'), retire('PAIR-Y', 'PAIR-X')]);
    expect(racing.map(codesOf).sort()).toEqual([[], ['BAD_USER_INPUT']]);
    const rows = await graph.connection.query<{ code: string; successor_code: string | null }>(
      `select code, successor_code from providers.skill where code in ('PAIR-X', 'PAIR-Y') order by code`,
    );
    expect(rows.filter((r) => r.successor_code !== null)).toHaveLength(1);
  });

  it('lets no course newly teach a retired skill, naming its successor, while a course that taught it keeps it', async () => {
    await add('LEGACY-SKILL');
    await add('CURRENT-SKILL');
    const course = {
      code: 'TX1001',
      title: 'Legacy systems',
      description: 'Maintaining older systems.',
      notionalHours: 10,
      learningOutcomes: ['Maintain a legacy system.'],
      skillCodes: ['PROG-FUND', 'LEGACY-SKILL'],
      feeSen: 10_000,
      deliveryMode: 'ONLINE',
      accreditation: 'NOT_CREDIT_BEARING',
      assessment: 'Project',
    };
    const { id } = (await graph.client.ok(CREATE_COURSE, { as: 'PROVIDER_STAFF', variables: { input: course } })).createCourse;
    await retire('LEGACY-SKILL', 'CURRENT-SKILL');

    const created = await graph.client.query(CREATE_COURSE, { as: 'PROVIDER_STAFF', variables: { input: { ...course, code: 'TX1002' } } });
    expect(refusedFields(created)).toEqual(['input.skillCodes.1']);
    expect(created.errors![0]!.message).toContain('LEGACY-SKILL is retired in favour of CURRENT-SKILL');
    const added = await graph.client.query(UPDATE_COURSE, { as: 'PROVIDER_STAFF', variables: { id: courseId('SE1102'), input: { skillCodes: ['PROG-FUND', 'LEGACY-SKILL'] } } });
    expect(refusedFields(added)).toEqual(['input.skillCodes.1']);

    // The course that already taught it is still edited freely, and keeps it until its provider changes its skills.
    const kept = (await graph.client.ok(UPDATE_COURSE, { as: 'PROVIDER_STAFF', variables: { id, input: { title: 'Legacy systems, revised' } } })).updateCourse;
    expect(kept).toMatchObject({ title: 'Legacy systems, revised', skills: [{ code: 'PROG-FUND', retiredAt: null }, { code: 'LEGACY-SKILL' }] });
    const moved = (await graph.client.ok(UPDATE_COURSE, { as: 'PROVIDER_STAFF', variables: { id, input: { skillCodes: ['PROG-FUND', 'CURRENT-SKILL'] } } })).updateCourse;
    expect(moved.skills).toEqual([{ code: 'PROG-FUND', retiredAt: null }, { code: 'CURRENT-SKILL', retiredAt: null }]);
  });

  it('publishes skill.retired through the outbox relay to the event broker, and marks it published', async () => {
    const seen: Array<EventEnvelope<{ code: string; successorCode: string }>> = [];
    const subscription = await graph.events.subscribe({ producer: 'providers', durable: 'providers-outbox-test', subject: skillRetiredEvent.subject });
    const listening = (async () => {
      for await (const delivery of subscription.messages) {
        seen.push(parseEvent(skillRetiredEvent, delivery.body));
        delivery.ack();
      }
    })();
    try {
      await add('RELAY-OLD');
      await add('RELAY-NEW');
      expect(codesOf(await retire('RELAY-OLD', 'RELAY-NEW'))).toEqual([]);
      await eventually(() => seen.some((e) => e.data.code === 'RELAY-OLD'), 'skill.retired for RELAY-OLD on the broker');
      expect(seen.find((e) => e.data.code === 'RELAY-OLD')!.data).toEqual({ code: 'RELAY-OLD', successorCode: 'RELAY-NEW' });
      await eventually(
        async () => (await graph.connection.query(`select 1 from providers.outbox where payload->>'code' = 'RELAY-OLD' and published_at is not null`)).length === 1,
        'the outbox row marked published',
      );
    } finally {
      await subscription.close();
      await listening;
    }
  });
});
