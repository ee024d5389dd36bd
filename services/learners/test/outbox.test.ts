import { createLogger, JetStreamTransport, learnerResidenceEvent, parseEvent, type EventEnvelope } from '@tauliah/core';
import { randomUUID } from 'node:crypto';
import { learnerByKey } from '@tauliah/demo-data';
import { codesOf, eventually, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnersService } from '../src/index.ts';

let graph: TestSubgraph<typeof learnersService.tables>;
const aisyah = learnerByKey('aisyah');

beforeAll(async () => {
  graph = await startTestSubgraph(learnersService);
});
afterAll(() => graph?.stop());

const REGISTER = `mutation($input: RegisterLearnerInput!) { registerLearner(input: $input) { created learner { id } } }`;
const UPDATE = `mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { state } }`;

let serial = 0;
/** A learner signing in for the first time, by their own token. */
const newLearner = () => ({ role: 'LEARNER', sub: randomUUID() }) as const;
/** A new learner's registration, unique per call. */
function registration(state: string | null = 'Selangor') {
  serial += 1;
  const day = String(serial).padStart(2, '0');
  return {
    fullName: `Nur Iman ${serial} binti Khalid`,
    email: `iman${serial}@outbox.example.my`,
    phone: '+60123456789',
    dateOfBirth: `2008-01-${day}`,
    citizenship: 'MALAYSIAN',
    nric: `0801${day}-10-55${day}`,
    state,
  };
}

interface OutboxRow {
  position: number;
  subject: string;
  payload: Record<string, unknown>;
  published: boolean;
}

/** The residence events about one learner, oldest first (preferences and enrolments: preferences.test.ts). */
async function eventsAbout(learnerId: string): Promise<OutboxRow[]> {
  const rows = await graph.connection.query<OutboxRow & { position: string | number }>(
    `select position, subject, payload, published_at is not null as published from learners.outbox where subject = 'learners.learner.residence' and payload->>'learnerId' = $1 order by position`,
    [learnerId],
  );
  return rows.map((row) => ({ ...row, position: Number(row.position) }));
}

const positionsAbout = async (learnerId: string) => (await eventsAbout(learnerId)).map((e) => e.position);

describe("the learners outbox: a learner's state of residence for other services", () => {
  it('records the registration with the learner id, no state until the learner shares it, and nothing about the person', async () => {
    const input = registration('Selangor');
    const me = newLearner();
    await graph.client.ok(REGISTER, { as: me, variables: { input } });
    const events = await eventsAbout(me.sub);
    expect(events).toHaveLength(1);
    // The learner has not chosen to share their state with talent search: it is not announced.
    expect(events[0]).toMatchObject({ subject: 'learners.learner.residence', payload: { learnerId: me.sub, state: null } });
    expect(Object.keys(events[0]!.payload).sort()).toEqual(['learnerId', 'state']);
    const wire = JSON.stringify(events[0]!.payload);
    for (const personal of [input.fullName, input.email, input.phone, input.nric, input.nric.replaceAll('-', ''), input.dateOfBirth, input.state]) {
      expect(wire).not.toContain(personal);
    }

    // A retried registration creates nobody, so it announces nothing either.
    const retry = await graph.client.ok(REGISTER, { as: me, variables: { input } });
    expect(retry.registerLearner).toEqual({ created: false, learner: { id: me.sub } });
    expect(await eventsAbout(me.sub)).toHaveLength(1);
  });

  it('records a learner who shares a state but gave none as one with none', async () => {
    const me = { role: 'LEARNER', sub: '6a1f3c7e-2b4d-4e8f-9a0b-1c2d3e4f5a6b' } as const;
    const { nric: _nric, ...input } = registration(null);
    await graph.client.ok(REGISTER, { as: me, variables: { input: { ...input, citizenship: 'NON_CITIZEN', passportNumber: 'A9988776', nationality: 'IDN', shareStateInTalentSearch: true } } });
    expect((await eventsAbout(me.sub)).map((e) => e.payload)).toEqual([{ learnerId: me.sub, state: null }]);
  });

  it('records every change of state, each after the one before, and nothing for other changes', async () => {
    const before = await eventsAbout(aisyah.id);
    await graph.client.ok(UPDATE, { as: 'LEARNER', variables: { input: { phone: '+60199998888', fullName: 'Aisyah binti Rahman' } } });
    expect(await positionsAbout(aisyah.id)).toEqual(before.map((e) => e.position));

    await graph.client.ok(UPDATE, { as: 'LEARNER', variables: { input: { state: 'Johor' } } });
    await graph.client.ok(UPDATE, { as: 'LEARNER', variables: { input: { state: 'Melaka', email: 'aisyah.rahman@learner.example.my' } } });
    const after = (await eventsAbout(aisyah.id)).slice(before.length);
    expect(after.map((e) => e.payload)).toEqual([
      { learnerId: aisyah.id, state: 'Johor' },
      { learnerId: aisyah.id, state: 'Melaka' },
    ]);
    expect(after[1]!.position).toBeGreaterThan(after[0]!.position);
  });

  it('leaves no event behind a write that was refused', async () => {
    const taken = registration('Kedah');
    const first = newLearner();
    await graph.client.ok(REGISTER, { as: first, variables: { input: taken } });
    const count = async () => (await graph.connection.query<{ n: number }>('select count(*)::int as n from learners.outbox'))[0]!.n;
    const total = await count();

    // The same person registering again under another sign-in is refused, with nothing recorded.
    const again = await graph.client.query(REGISTER, { as: newLearner(), variables: { input: { ...taken, email: `again${serial}@outbox.example.my` } } });
    expect(codesOf(again)).toEqual(['CONFLICT']);
    const before = await eventsAbout(aisyah.id);
    const move = await graph.client.query(UPDATE, { as: 'LEARNER', variables: { input: { state: 'Perlis', phone: '12345' } } });
    expect(codesOf(move)).toEqual(['BAD_USER_INPUT']);
    const bad = await graph.client.query(UPDATE, { as: 'LEARNER', variables: { input: { state: 'Atlantis' } } });
    expect(codesOf(bad)).toEqual(['BAD_USER_INPUT']);

    expect(await count()).toBe(total);
    expect(await positionsAbout(aisyah.id)).toEqual(before.map((e) => e.position));
    expect(await eventsAbout(first.sub)).toHaveLength(1);
    const me = await graph.client.ok(`{ me { state } }`, { as: 'LEARNER' });
    expect(me.me.state).not.toBe('Perlis');
  });

  it('makes no change when its event cannot be recorded: the change and its event commit together', async () => {
    const me = await graph.client.ok(`{ me { state } }`, { as: 'LEARNER' });
    await graph.connection.query(`alter table learners.outbox add constraint refuse_residence check (subject <> 'learners.learner.residence') not valid`);
    try {
      const input = registration('Sabah');
      const refused = await graph.client.query(REGISTER, { as: newLearner(), variables: { input } });
      expect(codesOf(refused)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(await graph.connection.query('select 1 from learners.learner where email = $1', [input.email])).toEqual([]);
      const move = await graph.client.query(UPDATE, { as: 'LEARNER', variables: { input: { state: 'Sabah' } } });
      expect(codesOf(move)).toEqual(['INTERNAL_SERVER_ERROR']);
    } finally {
      await graph.connection.query('alter table learners.outbox drop constraint refuse_residence');
    }
    expect(await graph.client.ok(`{ me { state } }`, { as: 'LEARNER' })).toEqual(me);
  });

  it('publishes the events to the broker in the order they were recorded, and marks them published', async () => {
    const seen: Array<EventEnvelope<{ learnerId: string; state: string | null }>> = [];
    const subscription = await graph.events.subscribe({ producer: 'learners', durable: 'outbox-test', subject: learnerResidenceEvent.subject });
    const listening = (async () => {
      for await (const delivery of subscription.messages) {
        seen.push(parseEvent(learnerResidenceEvent, delivery.body));
        delivery.ack();
      }
    })();
    try {
      const learner = newLearner();
      await graph.client.ok(REGISTER, { as: learner, variables: { input: registration('Perak') } });
      await graph.client.ok(UPDATE, { as: learner, variables: { input: { state: 'Pahang', shareStateInTalentSearch: true } } });
      await graph.client.ok(UPDATE, { as: learner, variables: { input: { state: 'Putrajaya' } } });

      const about = () => seen.filter((e) => e.data.learnerId === learner.sub);
      await eventually(() => about().length === 3, 'three events about the learner');
      expect(about().map((e) => e.data.state)).toEqual([null, 'Pahang', 'Putrajaya']);
      const recorded = await eventsAbout(learner.sub);
      expect(about().map((e) => e.version)).toEqual(recorded.map((r) => r.position));
      await eventually(async () => (await eventsAbout(learner.sub)).every((r) => r.published), 'the rows marked published');
    } finally {
      await subscription.close();
      await listening;
    }
  });
});

describe('the learners service while the event broker is unreachable', () => {
  let cut: TestSubgraph<typeof learnersService.tables>;
  beforeAll(async () => {
    const unreachable = new JetStreamTransport({ servers: 'nats://127.0.0.1:1', namespace: 'unreachable', log: createLogger({ level: 'silent' }), timeoutMs: 500 });
    cut = await startTestSubgraph(learnersService, { events: unreachable });
  });
  afterAll(() => cut?.stop());

  it("takes the learner's write and keeps its event in the outbox", async () => {
    const learner = newLearner();
    const data = await cut.client.ok(REGISTER, { as: learner, variables: { input: registration('Labuan') } });
    expect(data.registerLearner.created).toBe(true);
    const moved = await cut.client.ok(UPDATE, { as: learner, variables: { input: { state: 'Sarawak', shareStateInTalentSearch: true } } });
    expect(moved.updateMyProfile.state).toBe('Sarawak');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const rows = await cut.connection.query<{ state: string; published: boolean }>(
      `select payload->>'state' as state, published_at is not null as published from learners.outbox where subject = 'learners.learner.residence' and payload->>'learnerId' = $1 order by position`,
      [learner.sub],
    );
    expect(rows).toEqual([
      { state: null, published: false },
      { state: 'Sarawak', published: false },
    ]);
  });
});
