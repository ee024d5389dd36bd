import { learnerByKey } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnersService } from '../src/index.ts';

let graph: TestSubgraph<typeof learnersService.tables>;
const aisyah = learnerByKey('aisyah');
const faizal = learnerByKey('faizal');
const priya = learnerByKey('priya');
const asLearner = (id: string) => ({ role: 'LEARNER', sub: id }) as const;

beforeAll(async () => {
  graph = await startTestSubgraph(learnersService);
});
afterAll(() => graph?.stop());

const SHARING = `query($id: ID!) { learner(id: $id) { id state shareStateInTalentSearch } }`;
const UPDATE = `mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { state shareStateInTalentSearch } }`;
const REGISTER = `mutation($input: RegisterLearnerInput!) { registerLearner(input: $input) { created learner { id shareStateInTalentSearch } } }`;

/** What the learners service told other services about a learner's state, oldest first. */
async function announcedStates(learnerId: string): Promise<Array<string | null>> {
  const rows = await graph.connection.query<{ state: string | null }>(
    `select payload->>'state' as state from learners.outbox where subject = 'learners.learner.residence' and payload->>'learnerId' = $1 order by position`,
    [learnerId],
  );
  return rows.map((r) => r.state);
}

let serial = 0;
function registration(extra: Record<string, unknown> = {}) {
  serial += 1;
  const day = String(serial).padStart(2, '0');
  return {
    fullName: `Nur Iman ${serial} binti Khalid`,
    email: `iman${serial}@sharing.example.my`,
    dateOfBirth: `2008-02-${day}`,
    citizenship: 'MALAYSIAN',
    nric: `0802${day}-10-56${day}`,
    state: 'Selangor',
    ...extra,
  };
}

describe("who sees a learner's choice to be found by state in talent search", () => {
  it('shows the learner their own choice, off unless they turned it on', async () => {
    expect((await graph.client.ok(SHARING, { as: asLearner(aisyah.id), variables: { id: aisyah.id } })).learner.shareStateInTalentSearch).toBe(true);
    expect((await graph.client.ok(SHARING, { as: asLearner(priya.id), variables: { id: priya.id } })).learner.shareStateInTalentSearch).toBe(false);
    expect((await graph.client.ok(`{ me { shareStateInTalentSearch } }`, { as: asLearner(priya.id) })).me.shareStateInTalentSearch).toBe(false);
  });

  it('shows it to administrators', async () => {
    const data = await graph.client.ok(`query($ids: [ID!]!) { learners(ids: $ids) { shareStateInTalentSearch } }`, { as: 'ADMIN', variables: { ids: [aisyah.id, priya.id] } });
    expect(data.learners).toEqual([{ shareStateInTalentSearch: true }, { shareStateInTalentSearch: false }]);
  });

  it('hides it from an employer the learner gave PROFILE consent, who still sees the state itself', async () => {
    const response = await graph.client.query(SHARING, { as: 'EMPLOYER', variables: { id: faizal.id } });
    expect(response.data?.learner).toEqual({ id: faizal.id, state: faizal.state, shareStateInTalentSearch: null });
    expect(codesOf(response)).toEqual(['FORBIDDEN']);
    expect(response.errors?.[0]?.path).toEqual(['learner', 'shareStateInTalentSearch']);
  });

  it('hides it from the provider that enrolled the learner, from funders and from other learners', async () => {
    // The ODL enrolled Aisyah and sees her profile, but not her choices about sharing.
    const provider = await graph.client.query(SHARING, { as: 'PROVIDER_STAFF', variables: { id: aisyah.id } });
    expect(provider.data?.learner).toEqual({ id: aisyah.id, state: aisyah.state, shareStateInTalentSearch: null });
    expect(codesOf(provider)).toEqual(['FORBIDDEN']);
    for (const who of ['FUNDER', asLearner(faizal.id)] as const) {
      const response = await graph.client.query(`query($id: ID!) { learner(id: $id) { shareStateInTalentSearch } }`, { as: who, variables: { id: aisyah.id } });
      expect(response.data?.learner, JSON.stringify(who)).toEqual({ shareStateInTalentSearch: null });
      expect(codesOf(response)).toEqual(['FORBIDDEN']);
    }
    const anonymous = await graph.client.query(`query($id: ID!) { learner(id: $id) { shareStateInTalentSearch } }`, { variables: { id: aisyah.id } });
    expect(codesOf(anonymous)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('choosing whether employers may find you by your state', () => {
  it('lets the learner turn it on and off, announcing the state only while it is on', async () => {
    const me = asLearner(priya.id);
    const before = await announcedStates(priya.id);
    const on = await graph.client.ok(UPDATE, { as: me, variables: { input: { shareStateInTalentSearch: true } } });
    expect(on.updateMyProfile).toEqual({ state: priya.state, shareStateInTalentSearch: true });
    const moved = await graph.client.ok(UPDATE, { as: me, variables: { input: { state: 'Kedah' } } });
    expect(moved.updateMyProfile).toEqual({ state: 'Kedah', shareStateInTalentSearch: true });
    const off = await graph.client.ok(UPDATE, { as: me, variables: { input: { shareStateInTalentSearch: false } } });
    expect(off.updateMyProfile).toEqual({ state: 'Kedah', shareStateInTalentSearch: false });
    // A move while not sharing tells other services nothing about where she went.
    await graph.client.ok(UPDATE, { as: me, variables: { input: { state: 'Perlis' } } });
    expect((await announcedStates(priya.id)).slice(before.length)).toEqual([priya.state, 'Kedah', null, null]);
    expect(JSON.stringify(await graph.connection.query(`select payload from learners.outbox`))).not.toContain('Perlis');
  });

  it('announces nothing for changes that do not touch what employers may search on', async () => {
    const before = await announcedStates(aisyah.id);
    await graph.client.ok(UPDATE, { as: asLearner(aisyah.id), variables: { input: { phone: '+60197776666' } } });
    expect(await announcedStates(aisyah.id)).toEqual(before);
  });

  it('refuses a choice that is not true or false, and changes nothing', async () => {
    const me = asLearner(aisyah.id);
    const before = await announcedStates(aisyah.id);
    for (const value of [null, 'yes', 1]) {
      const response = await graph.client.query(UPDATE, { as: me, variables: { input: { shareStateInTalentSearch: value } } });
      expect(codesOf(response), JSON.stringify(value)).toEqual(['BAD_USER_INPUT']);
    }
    const refused = await graph.client.query(UPDATE, { as: me, variables: { input: { shareStateInTalentSearch: null } } });
    expect(refused.errors?.[0]?.message).toMatch(/shareStateInTalentSearch must be true or false/);
    // A bad state refuses the whole change, the choice with it.
    const badState = await graph.client.query(UPDATE, { as: me, variables: { input: { shareStateInTalentSearch: false, state: 'Atlantis' } } });
    expect(codesOf(badState)).toEqual(['BAD_USER_INPUT']);
    expect((await graph.client.ok(`{ me { shareStateInTalentSearch } }`, { as: me })).me.shareStateInTalentSearch).toBe(true);
    expect(await announcedStates(aisyah.id)).toEqual(before);
  });

  it('is the learner’s to make: employers, providers and partners may not change it', async () => {
    for (const who of ['EMPLOYER', 'PROVIDER_STAFF', 'ADMIN', 'FUNDER'] as const) {
      const response = await graph.client.query(UPDATE, { as: who, variables: { input: { shareStateInTalentSearch: true } } });
      expect(codesOf(response), who).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await graph.client.query(UPDATE, { variables: { input: { shareStateInTalentSearch: true } } }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('registering with a choice about the state', () => {
  it('lets a learner registering themselves share their state from the start', async () => {
    const me = asLearner('0b6c2f1e-7d3a-4c5b-8e9f-a1b2c3d4e5f6');
    const data = await graph.client.ok(REGISTER, { as: me, variables: { input: registration({ state: 'Johor', shareStateInTalentSearch: true }) } });
    expect(data.registerLearner.learner).toEqual({ id: me.sub, shareStateInTalentSearch: true });
    expect(await announcedStates(me.sub)).toEqual(['Johor']);
  });

  it('leaves it off by default, announcing no state', async () => {
    const me = asLearner('1c7d3a2f-8e4b-4d6c-9fa0-b2c3d4e5f6a7');
    const data = await graph.client.ok(REGISTER, { as: me, variables: { input: registration({ state: 'Johor' }) } });
    expect(data.registerLearner.learner.shareStateInTalentSearch).toBe(false);
    expect(await announcedStates(me.sub)).toEqual([null]);
  });

  it('is not for a provider, partner or administrator to choose for a learner they enrol', async () => {
    // Registering is the learner's own; an enrolment carries no such choice at all.
    for (const who of ['PROVIDER_STAFF', 'PARTNER', 'ADMIN'] as const) {
      const input = registration({ shareStateInTalentSearch: true });
      const response = await graph.client.query(REGISTER, { as: who, variables: { input } });
      expect(codesOf(response), who).toEqual(['FORBIDDEN']);
      expect(await graph.connection.query('select 1 from learners.learner where email = $1', [input.email])).toEqual([]);
    }
    const ENROL = `mutation($input: EnrolLearnerInput!) { enrolLearner(input: $input) { learner { id shareStateInTalentSearch } } }`;
    const choosing = await graph.client.query(ENROL, { as: 'PROVIDER_STAFF', variables: { input: { ...registration(), studentNumber: `SHARE-${serial}`, shareStateInTalentSearch: true } } });
    expect(codesOf(choosing)).toEqual(['BAD_USER_INPUT']);
    // Enrolled, the learner decides later; the enrolling provider sees the state but not the choice.
    const enrolled = await graph.client.query(ENROL, { as: 'PROVIDER_STAFF', variables: { input: { ...registration(), studentNumber: `SHARE-${serial}` } } });
    const id = enrolled.data?.enrolLearner.learner.id;
    expect(enrolled.data?.enrolLearner).toEqual({ learner: { id, shareStateInTalentSearch: null } });
    expect(codesOf(enrolled)).toEqual(['FORBIDDEN']);
    // Nothing is announced until the learner chooses: a learner never heard of shares no state.
    expect(await announcedStates(id)).toEqual([]);
    const turnedOn = await graph.client.ok(UPDATE, { as: asLearner(id), variables: { input: { shareStateInTalentSearch: true } } });
    expect(turnedOn.updateMyProfile).toEqual({ state: 'Selangor', shareStateInTalentSearch: true });
    expect(await announcedStates(id)).toEqual(['Selangor']);
  });

  it('refuses a choice that is not true or false', async () => {
    const me = asLearner('2d8e4b3a-9f5c-4e7d-8ab1-c3d4e5f6a7b8');
    const response = await graph.client.query(REGISTER, { as: me, variables: { input: registration({ shareStateInTalentSearch: 'sometimes' }) } });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(await announcedStates(me.sub)).toEqual([]);
  });
});
