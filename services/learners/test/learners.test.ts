import { demoId, learnerByKey, personas } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnersService } from '../src/index.ts';

let graph: TestSubgraph<typeof learnersService.tables>;
const aisyah = learnerByKey('aisyah');
const faizal = learnerByKey('faizal');

beforeAll(async () => {
  graph = await startTestSubgraph(learnersService);
});
afterAll(() => graph?.stop());

const validRegistration = {
  fullName: 'Nur Iman binti Khalid',
  email: 'iman@learner.example.my',
  dateOfBirth: '2008-01-20',
  citizenship: 'MALAYSIAN',
  nric: '080120-10-5514',
  state: 'Selangor',
};
const REGISTER = `mutation($input: RegisterLearnerInput!) { registerLearner(input: $input) { created learner { id fullName } } }`;
const newcomer = { role: 'LEARNER', sub: demoId('learner:new-self-signup') } as const;

describe('reading learners', () => {
  it('shows a learner their whole profile, with the NRIC masked', async () => {
    const data = await graph.client.ok(`{ me { id fullName email dateOfBirth citizenship nricMasked } }`, { as: 'LEARNER' });
    expect(data.me).toEqual({
      id: aisyah.id,
      fullName: aisyah.fullName,
      email: aisyah.email,
      dateOfBirth: aisyah.dateOfBirth,
      citizenship: 'MALAYSIAN',
      nricMasked: '••••••-••-5522',
    });
  });

  it('does not let a learner read another learner', async () => {
    const response = await graph.client.query(`{ learner(id: "${faizal.id}") { fullName email dateOfBirth } }`, { as: 'LEARNER' });
    expect(codesOf(response)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(response.data?.learner).toEqual({ fullName: null, email: null, dateOfBirth: null });
  });

  it('shows an employer the profile and contact a learner consented to, never the date of birth', async () => {
    const response = await graph.client.query(`{ learner(id: "${faizal.id}") { fullName email dateOfBirth citizenship } }`, { as: 'EMPLOYER' });
    expect(response.data?.learner).toMatchObject({ fullName: faizal.fullName, email: faizal.email, dateOfBirth: null, citizenship: null });
    expect(codesOf(response)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });

  it('shows a funder the eligibility inputs only of learners who consented to that funder', async () => {
    const response = await graph.client.query(`{ learners(ids: ["${faizal.id}", "${aisyah.id}"]) { id dateOfBirth } }`, { as: 'FUNDER' });
    expect(response.data?.learners).toEqual([
      { id: faizal.id, dateOfBirth: faizal.dateOfBirth },
      { id: aisyah.id, dateOfBirth: null },
    ]);
    expect(response.errors?.[0]?.path).toEqual(['learners', 1, 'dateOfBirth']);
  });

  it('releases eligibility inputs whole to a consenting funder and as null, not an error, to others', async () => {
    const query = `{ learners(ids: ["${faizal.id}", "${aisyah.id}"]) { eligibilityInputs { dateOfBirth citizenship } } }`;
    const funder = await graph.client.query(query, { as: 'FUNDER' });
    expect(funder.errors).toBeUndefined();
    expect(funder.data?.learners).toEqual([
      { eligibilityInputs: { dateOfBirth: faizal.dateOfBirth, citizenship: 'MALAYSIAN' } },
      { eligibilityInputs: null },
    ]);
    const employer = await graph.client.ok(query, { as: 'EMPLOYER' });
    expect(employer.learners).toEqual([{ eligibilityInputs: null }, { eligibilityInputs: null }]);
  });

  it('lets the enrolling provider see its students', async () => {
    const data = await graph.client.ok(`{ learner(id: "${aisyah.id}") { fullName dateOfBirth } }`, { as: 'PROVIDER_STAFF' });
    expect(data.learner.dateOfBirth).toBe(aisyah.dateOfBirth);
  });

  it('answers null for unknown ids in a batch and refuses malformed ones', async () => {
    const data = await graph.client.ok(`{ learners(ids: ["${demoId('nobody')}"]) { id } }`, { as: 'ADMIN' });
    expect(data.learners).toEqual([null]);
    const bad = await graph.client.query(`{ learners(ids: ["not-a-uuid"]) { id } }`, { as: 'ADMIN' });
    expect(codesOf(bad)).toEqual(['BAD_USER_INPUT']);
  });

  it('serves nothing private to a caller without a token, even through _entities', async () => {
    const response = await graph.client.query(
      `{ _entities(representations: [{ __typename: "Learner", id: "${aisyah.id}" }]) { ... on Learner { fullName email dateOfBirth nricMasked } } }`,
    );
    expect(response.data?._entities).toEqual([{ fullName: null, email: null, dateOfBirth: null, nricMasked: null }]);
    expect(new Set(codesOf(response))).toEqual(new Set(['FORBIDDEN']));
    const me = await graph.client.query(`{ me { id } }`);
    expect(codesOf(me)).toEqual(['UNAUTHENTICATED']);
  });

  it('answers _entities only to the gateway', async () => {
    const query = `{ _entities(representations: [{ __typename: "Learner", id: "${aisyah.id}" }]) { ... on Learner { id } } }`;
    expect(codesOf(await graph.direct.query(query, { as: 'ADMIN' }))).toEqual(['FORBIDDEN']);
    expect((await graph.client.ok(query, { as: 'ADMIN' }))._entities).toEqual([{ id: aisyah.id }]);
  });

  it('rejects a forged or expired token with UNAUTHENTICATED', async () => {
    const expired = await graph.tokens.tokenFor('LEARNER', { expiresIn: '-1m' });
    const response = await graph.client.query(`{ me { id } }`, { token: expired });
    expect(response.status).toBe(401);
    expect(codesOf(response)).toEqual(['UNAUTHENTICATED']);
    const good = await graph.tokens.tokenFor('LEARNER');
    const forged = `${good.slice(0, -4)}AAAA`;
    expect(codesOf(await graph.client.query(`{ me { id } }`, { token: forged }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('registering learners', () => {
  it('lets a learner register themselves under their token subject, and answers a retry with the same learner', async () => {
    const data = await graph.client.ok(REGISTER, { as: newcomer, variables: { input: validRegistration } });
    expect(data.registerLearner).toEqual({ created: true, learner: { id: newcomer.sub, fullName: validRegistration.fullName } });
    const retry = await graph.client.ok(REGISTER, { as: newcomer, variables: { input: validRegistration } });
    expect(retry.registerLearner).toEqual({ ...data.registerLearner, created: false });
    const other = await graph.client.query(REGISTER, { as: newcomer, variables: { input: { ...validRegistration, dateOfBirth: '2008-01-21', nric: '080121-10-5514' } } });
    expect(codesOf(other)).toEqual(['CONFLICT']);
    expect(other.errors?.[0]?.message).toBe('You are already registered: use updateMyProfile to change your details.');
  });

  it('tells only someone who gives both the NRIC and the date of birth of a registered learner that they are registered', async () => {
    const someoneElse = { role: 'LEARNER', sub: demoId('learner:impostor') } as const;
    const same = await graph.client.query(REGISTER, { as: someoneElse, variables: { input: { ...validRegistration, email: 'other@learner.example.my' } } });
    expect(codesOf(same)).toEqual(['CONFLICT']);
    expect(same.errors?.[0]?.message).toMatch(/^A learner with this identity document and date of birth is already registered/);
    expect(await graph.connection.query('select 1 from learners.learner where id = $1', [someoneElse.sub])).toEqual([]);
  });

  it('lists every problem with a bad registration at once', async () => {
    const input = { ...validRegistration, email: 'nope', dateOfBirth: '2008-02-30', nric: '990101-10-5514', state: 'Atlantis' };
    const response = await graph.client.query(REGISTER, { as: { role: 'LEARNER', sub: demoId('learner:bad-input') }, variables: { input } });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    const fields = (response.errors?.[0]?.extensions?.problems as Array<{ field: string }>).map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['input.email', 'input.dateOfBirth', 'input.state']));
  });

  it('registers a non-citizen by passport and nationality, kept only hashed', async () => {
    const me = { role: 'LEARNER', sub: demoId('learner:new-foreign-signup') } as const;
    const { nric: _nric, ...person } = validRegistration;
    const input = { ...person, email: 'foreign@learner.example.my', citizenship: 'NON_CITIZEN', passportNumber: 'P7788990', nationality: 'PHL' };
    const data = await graph.client.ok(`mutation($input: RegisterLearnerInput!) { registerLearner(input: $input) { learner { id nationality nricMasked } } }`, { as: me, variables: { input } });
    expect(data.registerLearner.learner).toEqual({ id: me.sub, nationality: 'PHL', nricMasked: null });
    expect(JSON.stringify(await graph.connection.query('select * from learners.learner where id = $1', [me.sub]))).not.toContain('7788990');
  });

  it('is for learners themselves: providers enrol with enrolLearner, employers and the public do neither', async () => {
    for (const who of ['PROVIDER_STAFF', 'PARTNER', 'ADMIN', 'EMPLOYER'] as const) {
      expect(codesOf(await graph.client.query(REGISTER, { as: who, variables: { input: validRegistration } })), who).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await graph.client.query(REGISTER, { variables: { input: validRegistration } }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('profile and consent', () => {
  it('updates the signed-in learner and validates the change', async () => {
    const data = await graph.client.ok(`mutation { updateMyProfile(input: { state: "Johor", phone: "+60123334444" }) { state phone } }`, { as: 'LEARNER' });
    expect(data.updateMyProfile).toEqual({ state: 'Johor', phone: '+60123334444' });
    const bad = await graph.client.query(`mutation { updateMyProfile(input: { phone: "12345" }) { phone } }`, { as: 'LEARNER' });
    expect(codesOf(bad)).toEqual(['BAD_USER_INPUT']);
  });

  it('gives an employer access when consent is granted and takes it away when revoked', async () => {
    const query = `{ learner(id: "${aisyah.id}") { fullName } }`;
    expect(codesOf(await graph.client.query(query, { as: 'EMPLOYER' }))).toEqual(['FORBIDDEN']);
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const granted = await graph.client.ok(
      `mutation($input: GrantConsentInput!) { grantConsent(input: $input) { id active scopes } }`,
      { as: 'LEARNER', variables: { input: { granteeKind: 'EMPLOYER', granteeId: personas.EMPLOYER.employerId, scopes: ['PROFILE'], expiresAt } } },
    );
    expect(granted.grantConsent.active).toBe(true);
    expect((await graph.client.ok(query, { as: 'EMPLOYER' })).learner.fullName).toBe(aisyah.fullName);
    await graph.client.ok(`mutation { revokeConsent(id: "${granted.grantConsent.id}") { active } }`, { as: 'LEARNER' });
    expect(codesOf(await graph.client.query(query, { as: 'EMPLOYER' }))).toEqual(['FORBIDDEN']);
  });

  it('tells each organisation which scopes it holds, and nothing of others\' grants', async () => {
    const query = `{ learner(id: "${faizal.id}") { consentedScopes } }`;
    expect((await graph.client.ok(query, { as: 'FUNDER' })).learner.consentedScopes).toEqual(['ELIGIBILITY', 'PERSONAL', 'PROFILE']);
    expect((await graph.client.ok(query, { as: 'EMPLOYER' })).learner.consentedScopes).toEqual(['CONTACT', 'CREDENTIALS', 'PROFILE']);
    expect((await graph.client.ok(query, { as: 'PROVIDER_STAFF' })).learner.consentedScopes).toEqual([]);
    expect((await graph.client.ok(query, { as: { role: 'LEARNER', sub: faizal.id } })).learner.consentedScopes).toHaveLength(5);
  });

  it('refuses consent that never expires or names no scope', async () => {
    const response = await graph.client.query(
      `mutation($input: GrantConsentInput!) { grantConsent(input: $input) { id } }`,
      { as: 'LEARNER', variables: { input: { granteeKind: 'FUNDER', granteeId: personas.FUNDER.funderId, scopes: [], expiresAt: '2099-01-01T00:00:00Z' } } },
    );
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0]?.message).toMatch(/scopes.*expiresAt|expiresAt.*scopes/);
  });
});
