import { courseByCode, demoId, learnerByKey } from '@tauliah/demo-data';
import { codesOf, jetStreamSkipReason, type TestEventsKind } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const aisyah = learnerByKey('aisyah');
const faizal = learnerByKey('faizal');
const odlStaff = { role: 'PROVIDER_STAFF', sub: 'staff:odl:registrar', providerId: demoId('provider:odl') } as const;
const asLearner = (id: string) => ({ role: 'LEARNER', sub: id }) as const;

const TALENT = `query($skills: [String!]!, $state: String) {
  talentSearch(skills: $skills, state: $state, first: 100) { totalCount edges { node { learner { id } } } }
}`;
const MOVE = `mutation($state: String!) { updateMyProfile(input: { state: $state }) { state } }`;
const ISSUE = `mutation($input: IssueCredentialInput!) { issueCredential(input: $input) { id } }`;

async function found(graph: TestGraph, skills: string[], state: string): Promise<string[]> {
  const data = await graph.gateway.ok(TALENT, { as: 'EMPLOYER', variables: { skills, state } });
  return data.talentSearch.edges.map((e: { node: { learner: { id: string } } }) => e.node.learner.id);
}

/** Events take a moment to travel; a search is asked again until it answers as expected (at most 10 s). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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

    it('files a new credential under the state the events made known, even when its issuer may not read it', async () => {
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
      const issued = await graph.gateway.ok(ISSUE, { as: odlStaff, variables: { input: { learnerId: faizal.id, courseId: course.id, visibility: 'EMPLOYERS' } } });
      const [stored] = await graph.connection.query<{ holder_state: string | null }>('select holder_state from credentials.credential where id = $1', [issued.issueCredential.id]);
      expect(stored!.holder_state).toBe('Melaka');
      expect(await found(graph, course.skills, 'Melaka')).toContain(faizal.id);
      expect(await found(graph, course.skills, 'Selangor')).not.toContain(faizal.id);
    });
  });
}
