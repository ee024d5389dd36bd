import { MALAYSIAN_STATES } from '@tauliah/core';
import { courseByCode, demoId, employers, learnerByKey } from '@tauliah/demo-data';
import { codesOf, eventually, jetStreamSkipReason, type TestEventsKind } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issue } from './talent.support.ts';

const aisyah = learnerByKey('aisyah');
const faizal = learnerByKey('faizal');
const priya = learnerByKey('priya');
const odlStaff = { role: 'PROVIDER_STAFF', sub: 'staff:odl:registrar', providerId: demoId('provider:odl') } as const;
const softwareStaff = { role: 'EMPLOYER', sub: 'staff:perisian:hr', employerId: employers.software.id } as const;
const asLearner = (id: string) => ({ role: 'LEARNER', sub: id }) as const;

const TALENT = `query($skills: [String!]!, $state: String) {
  talentSearch(skills: $skills, state: $state, first: 100) { totalCount edges { node { learner { id } } } }
}`;
const MOVE = `mutation($state: String!) { updateMyProfile(input: { state: $state }) { state } }`;
const SHARE = `mutation($share: Boolean!) { updateMyProfile(input: { shareStateInTalentSearch: $share }) { state shareStateInTalentSearch } }`;

async function found(graph: TestGraph, skills: string[], state: string | null): Promise<string[]> {
  const data = await graph.gateway.ok(TALENT, { as: 'EMPLOYER', variables: { skills, state } });
  return data.talentSearch.edges.map((e: { node: { learner: { id: string } } }) => e.node.learner.id);
}

/** The states under which a search for these skills finds the learner. */
async function statesFinding(graph: TestGraph, skills: string[], learnerId: string): Promise<string[]> {
  const states: string[] = [];
  for (const state of MALAYSIAN_STATES) if ((await found(graph, skills, state)).includes(learnerId)) states.push(state);
  return states;
}

/** Waits until credentials applied every event the learners service recorded about the learner. */
async function settled(graph: TestGraph, learnerId: string): Promise<void> {
  const [latest] = await graph.connection.query<{ position: string | number }>(
    `select max(position) as position from learners.outbox where subject = 'learners.learner.residence' and payload->>'learnerId' = $1`,
    [learnerId],
  );
  await eventually(async () => {
    const [applied] = await graph.connection.query<{ version: string | number }>('select version from credentials.learner_residence where learner_id = $1', [learnerId]);
    return applied !== undefined && Number(applied.version) >= Number(latest!.position);
  }, 'credentials applied every event about the learner');
}

const brokers: Array<{ kind: TestEventsKind; title: string; skip: string | undefined }> = [
  { kind: 'in-process', title: 'the in-process broker (embedded mode)', skip: undefined },
  { kind: 'jetstream', title: 'NATS JetStream', skip: jetStreamSkipReason() },
];

for (const { kind, title, skip } of brokers) {
  describe.skipIf(skip !== undefined)(`talent search by where a learner lives now, with events over ${title}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let graph: TestGraph;
    beforeAll(async () => {
      graph = await startTestGraph({ events: kind });
    });
    afterAll(() => graph?.stop());

    it('finds a learner who moved from Selangor to Johor in Johor, and no longer in Selangor', async () => {
      expect(graph.events.kind).toBe(kind);
      const skills = ['WEB-BACKEND'];
      expect(await found(graph, skills, 'Selangor')).toContain(aisyah.id);
      expect(await found(graph, skills, 'Johor')).not.toContain(aisyah.id);

      const moved = await graph.gateway.ok(MOVE, { as: 'LEARNER', variables: { state: 'Johor' } });
      expect(moved.updateMyProfile.state).toBe('Johor');

      await eventually(async () => (await found(graph, skills, 'Johor')).includes(aisyah.id), 'she is found in Johor');
      expect(await found(graph, skills, 'Selangor')).not.toContain(aisyah.id);
      // The learners service still answers for her profile: one state, the same on both sides.
      const me = await graph.gateway.ok(`{ me { state } }`, { as: 'LEARNER' });
      expect(me.me.state).toBe('Johor');
    });

    it('files a new credential under the state the learner shares, which issuance never reads', async () => {
      // The ODL did not enrol Faizal and he gave it no consent: the graph keeps his state from its staff.
      const refused = await graph.gateway.query(`query($id: ID!) { learner(id: $id) { state } }`, { as: odlStaff, variables: { id: faizal.id } });
      expect(refused.data?.learner).toEqual({ state: null });
      expect(codesOf(refused)).toEqual(['FORBIDDEN']);

      await graph.gateway.ok(MOVE, { as: asLearner(faizal.id), variables: { state: 'Melaka' } });
      await eventually(
        async () => (await graph.connection.query('select 1 from credentials.learner_residence where learner_id = $1 and state = $2', [faizal.id, 'Melaka'])).length > 0,
        'credentials knows he lives in Melaka',
      );
      const course = courseByCode.get('SE1202')!;
      await issue(graph, { learnerId: faizal.id, courseId: course.id, visibility: 'EMPLOYERS' });
      expect(await found(graph, course.skills, 'Melaka')).toContain(faizal.id);
      expect(await found(graph, course.skills, 'Selangor')).not.toContain(faizal.id);
    });

    describe('a learner who has not chosen to be found by their state', () => {
      const skills = ['PCB-DESIGN'];
      const asPriya = asLearner(priya.id);

      it('is never found under any state, not even her own, and still found without a state', async () => {
        expect(await found(graph, skills, null)).toContain(priya.id);
        expect(await statesFinding(graph, skills, priya.id)).toEqual([]);
        // The choice is hers alone to read.
        const mine = await graph.gateway.ok(`{ me { state shareStateInTalentSearch } }`, { as: asPriya });
        expect(mine.me).toEqual({ state: priya.state, shareStateInTalentSearch: false });
      });

      it('is found in her state moments after she turns sharing on, where she moves while sharing, and nowhere once she turns it off', async () => {
        const on = await graph.gateway.ok(SHARE, { as: asPriya, variables: { share: true } });
        expect(on.updateMyProfile).toEqual({ state: priya.state, shareStateInTalentSearch: true });
        await eventually(async () => (await found(graph, skills, priya.state)).includes(priya.id), 'she is found in her state');
        expect(await statesFinding(graph, skills, priya.id)).toEqual([priya.state]);

        await graph.gateway.ok(MOVE, { as: asPriya, variables: { state: 'Kedah' } });
        await eventually(async () => (await found(graph, skills, 'Kedah')).includes(priya.id), 'she is found in Kedah');
        expect(await statesFinding(graph, skills, priya.id)).toEqual(['Kedah']);

        const off = await graph.gateway.ok(SHARE, { as: asPriya, variables: { share: false } });
        expect(off.updateMyProfile).toEqual({ state: 'Kedah', shareStateInTalentSearch: false });
        await eventually(async () => !(await found(graph, skills, 'Kedah')).includes(priya.id), 'she is no longer found in Kedah');
        expect(await statesFinding(graph, skills, priya.id)).toEqual([]);
        expect(await found(graph, skills, null)).toContain(priya.id);

        // A move while not sharing is not searchable either.
        await graph.gateway.ok(MOVE, { as: asPriya, variables: { state: 'Johor' } });
        await settled(graph, priya.id);
        expect(await statesFinding(graph, skills, priya.id)).toEqual([]);
      });

      it('is found by state only once she chooses to, even when enrolled by a provider with a state', async () => {
        const ENROL = `mutation($input: EnrolLearnerInput!) { enrolLearner(input: $input) { learner { id } } }`;
        const input = { studentNumber: 'UTN2026-0301', fullName: 'Nur Iman binti Khalid', email: 'iman@residence.example.my', dateOfBirth: '2008-03-01', citizenship: 'MALAYSIAN', nric: '080301-10-5701', state: 'Sabah' };
        const enrolled = await graph.gateway.ok(ENROL, { as: odlStaff, variables: { input } });
        const learnerId: string = enrolled.enrolLearner.learner.id;
        const course = courseByCode.get('SE1202')!;
        // Enrolled by a provider, she has chosen nothing yet, and nothing about her residence is announced.
        await issue(graph, { learnerId, courseId: course.id, visibility: 'EMPLOYERS' });
        expect(await found(graph, course.skills, null)).toContain(learnerId);
        expect(await statesFinding(graph, course.skills, learnerId)).toEqual([]);

        await graph.gateway.ok(SHARE, { as: asLearner(learnerId), variables: { share: true } });
        await eventually(async () => (await found(graph, course.skills, 'Sabah')).includes(learnerId), 'the learner is found in Sabah');
        expect(await statesFinding(graph, course.skills, learnerId)).toEqual(['Sabah']);
      });

      it('keeps the choice from employers and providers, who may not make it either', async () => {
        const query = `query($id: ID!) { learner(id: $id) { state shareStateInTalentSearch } }`;
        // Faizal gave this employer PROFILE consent: it sees his state, not his choice about talent search.
        const employer = await graph.gateway.query(query, { as: softwareStaff, variables: { id: faizal.id } });
        expect(employer.data?.learner).toEqual({ state: expect.any(String), shareStateInTalentSearch: null });
        expect(codesOf(employer)).toEqual(['FORBIDDEN']);
        // The ODL enrolled Aisyah and sees her profile, not her choice.
        const provider = await graph.gateway.query(query, { as: odlStaff, variables: { id: aisyah.id } });
        expect(provider.data?.learner).toEqual({ state: expect.any(String), shareStateInTalentSearch: null });
        expect(codesOf(provider)).toEqual(['FORBIDDEN']);
        // Not through talent search either.
        const search = await graph.gateway.query(`{ talentSearch(skills: ["WEB-BACKEND"], first: 5) { edges { node { learner { shareStateInTalentSearch } } } } }`, { as: softwareStaff });
        const seen = search.data?.talentSearch.edges.map((e: { node: { learner: unknown } }) => e.node.learner);
        expect(seen.length).toBeGreaterThan(0);
        expect(seen.every((l: { shareStateInTalentSearch: unknown }) => l.shareStateInTalentSearch === null)).toBe(true);
        expect(new Set(codesOf(search))).toEqual(new Set(['FORBIDDEN']));

        for (const who of [softwareStaff, odlStaff]) {
          expect(codesOf(await graph.gateway.query(SHARE, { as: who, variables: { share: true } })), who.role).toEqual(['FORBIDDEN']);
        }
        const bad = await graph.gateway.query(`mutation { updateMyProfile(input: { shareStateInTalentSearch: null }) { id } }`, { as: asPriya });
        expect(codesOf(bad)).toEqual(['BAD_USER_INPUT']);
      });
    });
  });
}
