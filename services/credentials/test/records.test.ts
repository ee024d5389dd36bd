import { demoId, learnerByKey } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsService } from '../src/index.ts';
import { MAX_CREDENTIALS_PER_QUERY } from '../src/graph/credential.inputs.ts';
import { CREDENTIAL_BY_ID, credentialIdsOf, demoCredentialIdsOf, heldIdsOf, insertCredentials, LEARNER_CREDENTIALS, learnerReps, type CredentialsGraph } from './support.ts';

let graph: CredentialsGraph;
const aisyah = learnerByKey('aisyah');
const arjun = learnerByKey('arjun');
const priya = learnerByKey('priya');
const asLearner = (learner: { id: string }) => ({ role: 'LEARNER' as const, sub: learner.id });
const firstAid = demoId('credential:priya:AKT-FA');
const pcbLayout = demoId('credential:priya:AKT-PCB');

const SET_VISIBILITY = `mutation($id: ID!, $visibility: CredentialVisibility!) { setCredentialVisibility(id: $id, visibility: $visibility) { id visibility } }`;

beforeAll(async () => {
  graph = await startTestSubgraph(credentialsService);
});
afterAll(() => graph?.stop());

async function statusesOf(learnerId: string, status?: string[]) {
  const data = await graph.client.ok(LEARNER_CREDENTIALS, { as: 'ADMIN', variables: { reps: learnerReps([learnerId]), status } });
  return Object.fromEntries(data._entities[0].credentials.map((c: { id: string; status: string }) => [c.id, c.status]));
}

describe('status', () => {
  it('reads a lapsed first-aid certificate as EXPIRED', async () => {
    const data = await graph.client.ok(`{ credential(id: "${firstAid}") { title status expiresAt } }`, { as: asLearner(priya) });
    expect(data.credential).toEqual({ title: 'Workplace First Aid', status: 'EXPIRED', expiresAt: '2025-11-07T00:00:00.000Z' });
    expect(await statusesOf(priya.id)).toEqual({ [firstAid]: 'EXPIRED', [pcbLayout]: 'ACTIVE' });
  });

  it('filters a learner\'s credentials by status, EXPIRED included', async () => {
    expect(await statusesOf(priya.id, ['EXPIRED'])).toEqual({ [firstAid]: 'EXPIRED' });
    expect(await statusesOf(priya.id, ['ACTIVE'])).toEqual({ [pcbLayout]: 'ACTIVE' });
    expect(await statusesOf(priya.id, ['ACTIVE', 'EXPIRED'])).toEqual({ [firstAid]: 'EXPIRED', [pcbLayout]: 'ACTIVE' });
    expect(await statusesOf(priya.id, ['REVOKED'])).toEqual({});
  });

  it('keeps a revocation over expiry and a suspension until expiry', async () => {
    const holderId = randomUUID();
    const past = new Date('2025-01-01T00:00:00Z');
    const future = new Date(Date.now() + 365 * 86_400_000);
    const [revoked, suspended, lapsedSuspension] = await insertCredentials(graph, [
      { holderId, status: 'REVOKED', statusReason: 'Assessment misconduct', issuedAt: new Date('2024-01-01T00:00:00Z'), expiresAt: past },
      { holderId, status: 'SUSPENDED', statusReason: 'Under review', expiresAt: future },
      { holderId, courseId: demoId('course:SE1102'), status: 'SUSPENDED', issuedAt: new Date('2024-01-01T00:00:00Z'), expiresAt: past },
    ]);
    expect(await statusesOf(holderId)).toEqual({ [revoked!]: 'REVOKED', [suspended!]: 'SUSPENDED', [lapsedSuspension!]: 'EXPIRED' });
    expect(await statusesOf(holderId, ['SUSPENDED'])).toEqual({ [suspended!]: 'SUSPENDED' });
    const data = await graph.client.ok(`{ credential(id: "${revoked}") { statusReason } }`, { as: 'ADMIN' });
    expect(data.credential.statusReason).toBe('Assessment misconduct');
  });

  it('refuses an empty status filter rather than answer nothing', async () => {
    const response = await graph.client.query(LEARNER_CREDENTIALS, { as: 'ADMIN', variables: { reps: learnerReps([priya.id]), status: [] } });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('choosing who sees a credential', () => {
  const credentialId = demoId('credential:aisyah:SE1101');

  it('lets the holder hide a credential from employers and then make it public', async () => {
    const asEmployer = { as: 'EMPLOYER' as const, variables: { id: credentialId } };
    expect((await graph.client.ok(CREDENTIAL_BY_ID, asEmployer)).credential.visibility).toBe('EMPLOYERS');

    const hidden = await graph.client.ok(SET_VISIBILITY, { as: 'LEARNER', variables: { id: credentialId, visibility: 'PRIVATE' } });
    expect(hidden.setCredentialVisibility).toEqual({ id: credentialId, visibility: 'PRIVATE' });
    expect(codesOf(await graph.client.query(CREDENTIAL_BY_ID, asEmployer))).toEqual(['NOT_FOUND']);
    expect(await credentialIdsOf(graph, aisyah, 'EMPLOYER')).toEqual(demoCredentialIdsOf(aisyah).filter((id) => id !== credentialId));
    expect(await credentialIdsOf(graph, aisyah, 'LEARNER')).toEqual(await heldIdsOf(graph, aisyah));

    await graph.client.ok(SET_VISIBILITY, { as: 'LEARNER', variables: { id: credentialId, visibility: 'PUBLIC' } });
    expect((await graph.client.ok(CREDENTIAL_BY_ID, { variables: { id: credentialId } })).credential.visibility).toBe('PUBLIC');
    expect(await credentialIdsOf(graph, aisyah)).toEqual([credentialId]);
    expect(await credentialIdsOf(graph, aisyah, 'EMPLOYER')).toEqual(demoCredentialIdsOf(aisyah));
  });

  it('lets nobody but the holder change it, even those who may see it', async () => {
    await graph.client.ok(SET_VISIBILITY, { as: 'LEARNER', variables: { id: credentialId, visibility: 'PUBLIC' } });
    const variables = { id: credentialId, visibility: 'PRIVATE' };
    for (const who of ['EMPLOYER', 'PROVIDER_STAFF', 'ADMIN', asLearner(arjun)] as const) {
      expect(codesOf(await graph.client.query(SET_VISIBILITY, { as: who, variables }))).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await graph.client.query(SET_VISIBILITY, { variables }))).toEqual(['UNAUTHENTICATED']);
    expect((await graph.client.ok(CREDENTIAL_BY_ID, { variables: { id: credentialId } })).credential.visibility).toBe('PUBLIC');
  });

  it('tells another learner a credential they may not see does not exist', async () => {
    const variables = { id: demoCredentialIdsOf(arjun)[0], visibility: 'PUBLIC' };
    expect(codesOf(await graph.client.query(SET_VISIBILITY, { as: 'LEARNER', variables }))).toEqual(['NOT_FOUND']);
    expect((await graph.client.ok(CREDENTIAL_BY_ID, { as: 'ADMIN', variables })).credential.visibility).toBe('PRIVATE');
  });

  it('answers NOT_FOUND for an unknown credential and BAD_USER_INPUT for a malformed id or visibility', async () => {
    const unknown = { id: demoId('credential:nobody'), visibility: 'PUBLIC' };
    expect(codesOf(await graph.client.query(SET_VISIBILITY, { as: 'LEARNER', variables: unknown }))).toEqual(['NOT_FOUND']);
    const malformed = await graph.client.query(SET_VISIBILITY, { as: 'LEARNER', variables: { id: 'SE1101', visibility: 'PUBLIC' } });
    expect(codesOf(malformed)).toEqual(['BAD_USER_INPUT']);
    expect(malformed.errors?.[0]?.extensions?.problems).toEqual([{ field: 'id', message: 'must be a credential id (a UUID)' }]);
    const badEnum = await graph.client.query(SET_VISIBILITY, { as: 'LEARNER', variables: { id: credentialId, visibility: 'FRIENDS' } });
    expect(codesOf(badEnum)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('bad input', () => {
  it('refuses a malformed credential id', async () => {
    const response = await graph.client.query(CREDENTIAL_BY_ID, { as: 'ADMIN', variables: { id: 'not-a-uuid' } });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('names every malformed id in a batch', async () => {
    const ids = ['x', demoId('credential:nobody'), '42'];
    const response = await graph.client.query(`query($ids: [ID!]!) { credentials(ids: $ids) { id } }`, { as: 'ADMIN', variables: { ids } });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect((response.errors?.[0]?.extensions?.problems as Array<{ field: string }>).map((p) => p.field)).toEqual(['ids.0', 'ids.2']);
  });

  it(`refuses a batch of more than ${MAX_CREDENTIALS_PER_QUERY} ids`, async () => {
    const ids = Array.from({ length: MAX_CREDENTIALS_PER_QUERY + 1 }, () => randomUUID());
    const response = await graph.client.query(`query($ids: [ID!]!) { credentials(ids: $ids) { id } }`, { as: 'ADMIN', variables: { ids } });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    const full = await graph.client.ok(`query($ids: [ID!]!) { credentials(ids: $ids) { id } }`, { as: 'ADMIN', variables: { ids: ids.slice(1) } });
    expect(full.credentials).toHaveLength(MAX_CREDENTIALS_PER_QUERY);
  });

  it('answers an empty list for a learner with a malformed or unknown id', async () => {
    const data = await graph.client.ok(LEARNER_CREDENTIALS, { as: 'ADMIN', variables: { reps: learnerReps(['not-a-uuid', randomUUID()]) } });
    expect(data._entities.map((l: { credentials: unknown[] }) => l.credentials)).toEqual([[], []]);
  });
});
