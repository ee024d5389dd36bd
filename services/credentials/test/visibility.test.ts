import { courseByCode, credentials as demoCredentials, demoId, employers, learnerByKey, providers, staffAdminOf } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsService } from '../src/index.ts';
import { CREDENTIAL_BY_ID, credentialIdsOf, demoCredentialIdsOf, heldIdsOf, LEARNER_CREDENTIALS, learnerReps, type CredentialsGraph } from './support.ts';

let graph: CredentialsGraph;
const aisyah = learnerByKey('aisyah');
const arjun = learnerByKey('arjun');
const faizal = learnerByKey('faizal');
const asLearner = (learner: { id: string }) => ({ role: 'LEARNER' as const, sub: learner.id });
const asStaffOf = (providerId: string) => ({ role: 'PROVIDER_STAFF' as const, sub: staffAdminOf(providerId), providerId });
const faizalCs1010 = demoId('credential:faizal:CS1010');
const arjunFirst = demoCredentialIdsOf(arjun)[0]!;

beforeAll(async () => {
  graph = await startTestSubgraph(credentialsService);
});
afterAll(() => graph?.stop());

describe('the holder', () => {
  it('sees all of their own credentials, oldest first, with the achievement as issued', async () => {
    const data = await graph.client.ok(LEARNER_CREDENTIALS, { as: 'LEARNER', variables: { reps: learnerReps([aisyah.id]) } });
    const held = data._entities[0].credentials;
    expect(held.map((c: { id: string }) => c.id)).toEqual(await heldIdsOf(graph, aisyah));
    // Seven micro-credentials, then the three BDSE exit awards they earned (which certify a stage, not a course).
    expect(held).toHaveLength(10);
    expect(held.slice(7).map((c: { course: unknown }) => c.course)).toEqual([null, null, null]);
    const capstone = courseByCode.get('SE1302')!;
    expect(held.find((c: { course: { id: string } | null }) => c.course?.id === capstone.id)).toMatchObject({
      id: demoId('credential:aisyah:SE1302'),
      title: 'Full-Stack Capstone Project',
      credits: 5,
      mqfLevel: 4,
      status: 'ACTIVE',
      statusReason: null,
      visibility: 'EMPLOYERS',
      expiresAt: null,
      renewalOf: null,
      holder: { id: aisyah.id },
      issuer: { id: providers.odl.id },
      skills: [{ code: 'FULLSTACK' }, { code: 'WEB-BACKEND' }, { code: 'WEB-FRONTEND' }],
    });
  });

  it('sees their private credentials too', async () => {
    expect(await credentialIdsOf(graph, arjun, asLearner(arjun))).toEqual(await heldIdsOf(graph, arjun));
    expect((await graph.client.ok(CREDENTIAL_BY_ID, { as: asLearner(arjun), variables: { id: arjunFirst } })).credential.visibility).toBe('PRIVATE');
  });
});

describe('another learner', () => {
  it("sees none of someone else's credentials, and is told a credential does not exist", async () => {
    expect(await credentialIdsOf(graph, aisyah, asLearner(arjun))).toEqual([]);
    const response = await graph.client.query(CREDENTIAL_BY_ID, { as: asLearner(arjun), variables: { id: demoId('credential:aisyah:SE1101') } });
    expect(codesOf(response)).toEqual(['NOT_FOUND']);
  });
});

describe('an employer', () => {
  it('sees credentials shared with employers', async () => {
    expect(await credentialIdsOf(graph, aisyah, 'EMPLOYER')).toEqual(demoCredentialIdsOf(aisyah));
  });

  it('does not see private credentials, in a list or by id', async () => {
    expect(demoCredentialIdsOf(arjun).length).toBeGreaterThan(0);
    expect(await credentialIdsOf(graph, arjun, 'EMPLOYER')).toEqual([]);
    expect(codesOf(await graph.client.query(CREDENTIAL_BY_ID, { as: 'EMPLOYER', variables: { id: arjunFirst } }))).toEqual(['NOT_FOUND']);
  });

  it('sees the same through a partner system acting for the employer', async () => {
    // Perisian Cemerlang's HR system, a SYSTEM staff account of the employer.
    const partner = { role: 'PARTNER' as const, sub: 'system:perisian-hr', employerId: employers.software.id };
    expect(await credentialIdsOf(graph, aisyah, partner)).toEqual(demoCredentialIdsOf(aisyah));
    expect(await credentialIdsOf(graph, arjun, partner)).toEqual([]);
  });
});

describe('the issuing provider', () => {
  it('sees the credentials it issued, even private ones', async () => {
    // All of Arjun's are the demo provider's: his micro-credentials and the exit awards they earned on its pathway.
    expect(await credentialIdsOf(graph, arjun, 'PROVIDER_STAFF')).toEqual(await heldIdsOf(graph, arjun));
    expect(await credentialIdsOf(graph, arjun, 'PARTNER')).toEqual(await heldIdsOf(graph, arjun));
  });

  it("does not see another provider's credentials", async () => {
    expect(await credentialIdsOf(graph, faizal, 'PROVIDER_STAFF')).toEqual([]);
    expect(codesOf(await graph.client.query(CREDENTIAL_BY_ID, { as: 'PROVIDER_STAFF', variables: { id: faizalCs1010 } }))).toEqual(['NOT_FOUND']);
    const issuer = asStaffOf(providers.publicUniversity.id);
    expect((await graph.client.ok(CREDENTIAL_BY_ID, { as: issuer, variables: { id: faizalCs1010 } })).credential.id).toBe(faizalCs1010);
    expect(await credentialIdsOf(graph, arjun, issuer)).toEqual([]);
  });
});

describe('everyone else', () => {
  it('lets an administrator see every credential', async () => {
    expect(await credentialIdsOf(graph, arjun, 'ADMIN')).toEqual(await heldIdsOf(graph, arjun));
  });

  it('shows a funder and the public nothing that is not public', async () => {
    // Aisyah shares her credentials with employers only (Grace's are the demo's public ones).
    expect(demoCredentials.filter((c) => c.learnerId === aisyah.id).every((c) => c.visibility === 'EMPLOYERS')).toBe(true);
    expect(await credentialIdsOf(graph, aisyah, 'FUNDER')).toEqual([]);
    expect(await credentialIdsOf(graph, aisyah)).toEqual([]);
    const response = await graph.client.query(CREDENTIAL_BY_ID, { variables: { id: demoId('credential:aisyah:SE1101') } });
    expect(codesOf(response)).toEqual(['NOT_FOUND']);
  });

  it('answers a batch with null where a credential is unknown or hidden, in the order asked', async () => {
    const ids = [demoId('credential:aisyah:SE1101'), arjunFirst, demoId('credential:nobody'), faizalCs1010];
    const data = await graph.client.ok(`query($ids: [ID!]!) { credentials(ids: $ids) { id } }`, { as: 'EMPLOYER', variables: { ids } });
    expect(data.credentials).toEqual([{ id: ids[0] }, null, null, { id: faizalCs1010 }]);
  });

  it('keeps the batch query for signed-in callers', async () => {
    const response = await graph.client.query(`{ credentials(ids: ["${faizalCs1010}"]) { id } }`);
    expect(codesOf(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('resolves a credential reference from another subgraph only for those who may see it', async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Credential { id } } }`;
    const reps = [faizalCs1010, arjunFirst].map((id) => ({ __typename: 'Credential', id }));
    expect((await graph.client.ok(query, { as: 'EMPLOYER', variables: { reps } }))._entities).toEqual([{ id: faizalCs1010 }, null]);
    expect((await graph.client.ok(query, { variables: { reps } }))._entities).toEqual([null, null]);
  });
});
