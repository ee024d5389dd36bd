import { learnerResidenceEvent as residenceEvent, type EventData, type EventEnvelope } from '@tauliah/core';
import { demoId, learnerByKey } from '@tauliah/demo-data';
import { eventually, startTestSubgraph } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyResidence } from '../src/events/learner-residence.ts';
import { credentialsService } from '../src/index.ts';
import { demoCredentialIdsOf, type CredentialsGraph } from './support.ts';

let graph: CredentialsGraph;
const aisyah = learnerByKey('aisyah');
const ravi = learnerByKey('ravi');
const grace = learnerByKey('grace');
const priya = learnerByKey('priya');

beforeAll(async () => {
  graph = await startTestSubgraph(credentialsService);
});
afterAll(() => graph?.stop());

type Residence = EventEnvelope<EventData<typeof residenceEvent>>;
const residence = (learnerId: string, state: string | null, version: number): Residence => ({
  id: randomUUID(),
  subject: residenceEvent.subject,
  version,
  occurredAt: new Date().toISOString(),
  data: residenceEvent.data.parse({ learnerId, state }),
});

/** The stored residence of a learner: [state, version], or undefined while none is known. */
async function storedResidence(learnerId: string): Promise<[string | null, number] | undefined> {
  const [row] = await graph.connection.query<{ state: string | null; version: string | number }>(
    'select state, version from credentials.learner_residence where learner_id = $1',
    [learnerId],
  );
  return row && [row.state, Number(row.version)];
}

/** The distinct states a learner's talent proofs are filed under. */
async function proofStates(learnerId: string): Promise<Array<string | null>> {
  const rows = await graph.connection.query<{ holder_state: string | null }>(
    'select distinct holder_state from credentials.talent_proof where holder_id = $1',
    [learnerId],
  );
  return rows.map((r) => r.holder_state);
}

/** Publishes events as the learners service's relay does, and waits until the consumer has handled them all. */
async function deliver(...events: Residence[]): Promise<void> {
  for (const event of events) await graph.events.publish(event);
  // Events are handled in order: once a marker published after them is applied, so are they.
  const marker = residence(randomUUID(), null, 1);
  await graph.events.publish(marker);
  await eventually(async () => (await storedResidence(marker.data.learnerId)) !== undefined, 'the consumer to catch up');
}

const TALENT = `query($state: String) {
  talentSearch(skills: ["WEB-BACKEND"], state: $state, first: 100) { edges { node { learner { id } } } }
}`;
async function foundIn(state: string): Promise<string[]> {
  const data = await graph.client.ok(TALENT, { as: 'EMPLOYER', variables: { state } });
  return data.talentSearch.edges.map((e: { node: { learner: { id: string } } }) => e.node.learner.id);
}

describe("a learner's state of residence, from the learners service's events", () => {
  it('files every talent proof of a learner who moved under their new state, and search follows', async () => {
    expect(await proofStates(aisyah.id)).toEqual(['Selangor']);
    expect(await foundIn('Selangor')).toContain(aisyah.id);

    await deliver(residence(aisyah.id, 'Johor', 10));
    expect(await storedResidence(aisyah.id)).toEqual(['Johor', 10]);
    expect(await proofStates(aisyah.id)).toEqual(['Johor']);
    expect(await foundIn('Johor')).toContain(aisyah.id);
    expect(await foundIn('Selangor')).not.toContain(aisyah.id);
    // Nobody else moved.
    expect(await proofStates(ravi.id)).toEqual(['Selangor']);
  });

  it('ignores an event older than the state it holds, and one it already applied', async () => {
    await deliver(residence(aisyah.id, 'Johor', 10));
    await deliver(residence(aisyah.id, 'Kedah', 7), residence(aisyah.id, 'Perlis', 10));
    expect(await storedResidence(aisyah.id)).toEqual(['Johor', 10]);
    expect(await proofStates(aisyah.id)).toEqual(['Johor']);
    expect(await applyResidence(graph.db, residence(aisyah.id, 'Kedah', 9))).toBe(false);
    expect(await applyResidence(graph.db, residence(aisyah.id, 'Johor', 10))).toBe(false);

    await deliver(residence(aisyah.id, 'Melaka', 12));
    expect(await storedResidence(aisyah.id)).toEqual(['Melaka', 12]);
    expect(await proofStates(aisyah.id)).toEqual(['Melaka']);
  });

  it('keeps the current state when the learner’s proofs are rebuilt from their credentials', async () => {
    await deliver(residence(aisyah.id, 'Pahang', 20));
    const VISIBILITY = `mutation($id: ID!, $v: CredentialVisibility!) { setCredentialVisibility(id: $id, visibility: $v) { visibility } }`;
    const capstone = demoId('credential:aisyah:SE1302');
    expect(demoCredentialIdsOf(aisyah)).toContain(capstone);
    await graph.client.ok(VISIBILITY, { as: 'LEARNER', variables: { id: capstone, v: 'PRIVATE' } });
    await graph.client.ok(VISIBILITY, { as: 'LEARNER', variables: { id: capstone, v: 'EMPLOYERS' } });
    // The proofs follow where she lives now; her credentials keep no state of their own to fall back on.
    const columns = await graph.connection.query(`select 1 from information_schema.columns where table_schema = 'credentials' and column_name = 'holder_state' and table_name = 'credential'`);
    expect(columns).toEqual([]);
    expect(await proofStates(aisyah.id)).toEqual(['Pahang']);
    expect(await foundIn('Pahang')).toContain(aisyah.id);
  });

  it('takes a learner out of every state filter when they no longer give a state', async () => {
    expect(await foundIn(grace.state)).toContain(grace.id);
    await deliver(residence(grace.id, null, 30));
    expect(await storedResidence(grace.id)).toEqual([null, 30]);
    expect(await proofStates(grace.id)).toEqual([null]);
    expect(await foundIn(grace.state)).not.toContain(grace.id);
    await deliver(residence(grace.id, grace.state, 31));
    expect(await proofStates(grace.id)).toEqual([grace.state]);
    expect(await foundIn(grace.state)).toContain(grace.id);
  });

  it('files a learner who does not share their state under none, through every rebuild, until an event says otherwise', async () => {
    const pcbDesign = `query($state: String) { talentSearch(skills: ["PCB-DESIGN"], state: $state, first: 100) { edges { node { learner { id } } } } }`;
    const found = async (state: string | null) =>
      (await graph.client.ok(pcbDesign, { as: 'EMPLOYER', variables: { state } })).talentSearch.edges.map((e: { node: { learner: { id: string } } }) => e.node.learner.id);
    expect(await storedResidence(priya.id)).toEqual([null, 0]);
    expect(await proofStates(priya.id)).toEqual([null]);
    expect(await found(null)).toContain(priya.id);
    expect(await found(priya.state)).not.toContain(priya.id);

    const VISIBILITY = `mutation($id: ID!, $v: CredentialVisibility!) { setCredentialVisibility(id: $id, visibility: $v) { visibility } }`;
    await graph.client.ok(VISIBILITY, { as: { role: 'LEARNER', sub: priya.id }, variables: { id: demoId('credential:priya:AKT-PCB'), v: 'PUBLIC' } });
    expect(await proofStates(priya.id)).toEqual([null]);

    await deliver(residence(priya.id, priya.state, 40));
    expect(await proofStates(priya.id)).toEqual([priya.state]);
    expect(await found(priya.state)).toContain(priya.id);
    await deliver(residence(priya.id, null, 41));
    expect(await found(priya.state)).not.toContain(priya.id);
    expect(await found(null)).toContain(priya.id);
  });
});
