import { learnerByKey, providers } from '@tauliah/demo-data';
import { codesOf } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 17, leaks 1 and 3, the learners' side: the visibility of credentials
 * issued to a learner is the learner's own default (PRIVATE until they choose),
 * private to them and administrators and set by them alone; the learners
 * service announces it (learner.preferences) and which provider enrolled a
 * learner (learner.enrolled) through its outbox, for credentials to honour.
 */
let graph: TestGraph;
const aisyah = learnerByKey('aisyah');
const faizal = learnerByKey('faizal');
const asLearner = (id: string) => ({ role: 'LEARNER', sub: id }) as const;
const odlStaff = { role: 'PROVIDER_STAFF', sub: 'staff:odl:registrar', providerId: providers.odl.id } as const;

const PREFERENCE = `query($id: ID!) { learner(id: $id) { id credentialVisibility } }`;
const UPDATE = `mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { credentialVisibility } }`;
const REGISTER = `mutation($input: RegisterLearnerInput!) { registerLearner(input: $input) { learner { id } } }`;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

/** The events the learners service recorded about a learner under one subject, oldest first. */
async function recorded(subject: string, learnerId: string): Promise<unknown[]> {
  const rows = await graph.connection.query<{ payload: unknown }>(
    `select payload from learners.outbox where subject = $1 and payload->>'learnerId' = $2 order by position`,
    [subject, learnerId],
  );
  return rows.map((r) => r.payload);
}

let serial = 0;
function registration(extra: Record<string, unknown> = {}) {
  serial += 1;
  const day = String(serial).padStart(2, '0');
  return {
    fullName: `Siti ${serial} binti Omar`, email: `siti${serial}@preferences.example.my`, dateOfBirth: `2007-04-${day}`,
    citizenship: 'MALAYSIAN', nric: `0704${day}-10-61${day}`, state: 'Perak', ...extra,
  };
}

describe("the default visibility of a learner's credentials", () => {
  it('is PRIVATE until the learner chooses, and theirs and administrators\' alone to read', async () => {
    expect((await graph.gateway.ok(PREFERENCE, { as: asLearner(faizal.id), variables: { id: faizal.id } })).learner.credentialVisibility).toBe('PRIVATE');
    expect((await graph.gateway.ok(PREFERENCE, { as: 'ADMIN', variables: { id: faizal.id } })).learner.credentialVisibility).toBe('PRIVATE');
    // The enrolling provider, an employer with consent, a funder, another learner: none reads it.
    for (const [who, learner] of [[odlStaff, aisyah], ['EMPLOYER', faizal], ['FUNDER', faizal], [asLearner(aisyah.id), faizal]] as const) {
      const response = await graph.gateway.query(PREFERENCE, { as: who, variables: { id: learner.id } });
      expect(response.data?.learner, JSON.stringify(who)).toEqual({ id: learner.id, credentialVisibility: null });
      expect(codesOf(response)).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await graph.gateway.query(PREFERENCE, { variables: { id: faizal.id } }))).toEqual(['UNAUTHENTICATED']);
  });

  it('is set by the learner alone, and every change is announced', async () => {
    const me = asLearner(faizal.id);
    const before = await recorded('learners.learner.preferences', faizal.id);
    expect((await graph.gateway.ok(UPDATE, { as: me, variables: { input: { credentialVisibility: 'EMPLOYERS' } } })).updateMyProfile).toEqual({ credentialVisibility: 'EMPLOYERS' });
    expect((await graph.gateway.ok(`{ me { credentialVisibility } }`, { as: me })).me.credentialVisibility).toBe('EMPLOYERS');
    expect((await recorded('learners.learner.preferences', faizal.id)).slice(before.length)).toEqual([{ learnerId: faizal.id, credentialVisibility: 'EMPLOYERS' }]);
    // Other changes announce nothing about it; a choice that is not one of the three is refused.
    await graph.gateway.ok(UPDATE, { as: me, variables: { input: { phone: '+60123334444' } } });
    expect(codesOf(await graph.gateway.query(UPDATE, { as: me, variables: { input: { credentialVisibility: 'EVERYONE' } } }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await graph.gateway.query(UPDATE, { as: me, variables: { input: { credentialVisibility: null } } }))).toEqual(['BAD_USER_INPUT']);
    expect(await recorded('learners.learner.preferences', faizal.id)).toHaveLength(before.length + 1);

    for (const who of [odlStaff, 'EMPLOYER', 'ADMIN', 'FUNDER', 'PARTNER'] as const) {
      const response = await graph.gateway.query(UPDATE, { as: who, variables: { input: { credentialVisibility: 'PUBLIC' } } });
      expect(codesOf(response), JSON.stringify(who)).toEqual(['FORBIDDEN']);
    }
    expect((await graph.gateway.ok(`{ me { credentialVisibility } }`, { as: me })).me.credentialVisibility).toBe('EMPLOYERS');
  });
});

describe('what registering a learner announces', () => {
  it('a learner registering themselves: their preference, PRIVATE unless they chose, and no enrolment', async () => {
    const chose = asLearner('3e9f5c4b-0a6d-4f8e-9bc2-d4e5f6a7b8c9');
    await graph.gateway.ok(REGISTER, { as: chose, variables: { input: registration({ credentialVisibility: 'PUBLIC' }) } });
    expect(await recorded('learners.learner.preferences', chose.sub)).toEqual([{ learnerId: chose.sub, credentialVisibility: 'PUBLIC' }]);
    expect(await recorded('learners.learner.enrolled', chose.sub)).toEqual([]);

    const quiet = asLearner('4fa06d5c-1b7e-4a9f-8cd3-e5f6a7b8c9d0');
    await graph.gateway.ok(REGISTER, { as: quiet, variables: { input: registration() } });
    expect(await recorded('learners.learner.preferences', quiet.sub)).toEqual([{ learnerId: quiet.sub, credentialVisibility: 'PRIVATE' }]);
  });

  it('a provider or partner enrolling a learner: the enrolment only (PRIVATE, as for any learner not heard of); the enroller may not choose the visibility', async () => {
    const ENROL = `mutation($input: EnrolLearnerInput!) { enrolLearner(input: $input) { learner { id } } }`;
    const partner = { role: 'PARTNER', sub: 'system:odl-sms', providerId: providers.odl.id } as const;
    for (const who of [odlStaff, partner, 'ADMIN'] as const) {
      const refused = await graph.gateway.query(REGISTER, { as: who, variables: { input: registration({ credentialVisibility: 'PUBLIC' }) } });
      expect(codesOf(refused), JSON.stringify(who)).toEqual(['FORBIDDEN']);
    }
    for (const who of [odlStaff, partner] as const) {
      const choosing = await graph.gateway.query(ENROL, { as: who, variables: { input: registration({ studentNumber: `PREF-${serial}`, credentialVisibility: 'PUBLIC' }) } });
      expect(codesOf(choosing), JSON.stringify(who)).toEqual(['BAD_USER_INPUT']);
      const id = (await graph.gateway.ok(ENROL, { as: who, variables: { input: registration({ studentNumber: `PREF-${serial}` }) } })).enrolLearner.learner.id;
      expect(await recorded('learners.learner.preferences', id)).toEqual([]);
      expect(await recorded('learners.learner.enrolled', id)).toEqual([{ learnerId: id, providerId: providers.odl.id }]);
      expect((await graph.gateway.ok(`{ me { credentialVisibility } }`, { as: asLearner(id) })).me.credentialVisibility).toBe('PRIVATE');
    }
  });
});
