import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { credentials as demoCredentials, employers, learnerByKey, providers, staffAdminOf } from '@tauliah/demo-data';
import { codesOf, type Who } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateClr, VERIFY_RECORD } from '../../services/credentials/test/learner-record.support.ts';
import { outsideLoader } from '../../services/credentials/test/signed-support.ts';

// A learner exports everything they hold as one CLR 2.0 ClrCredential signed by the platform, through the
// gateway; anyone they hand it to verifies it with a standard verifier or with the graph, and nobody else
// may export it for them.

let graph: TestGraph;
const aisyah = learnerByKey('aisyah');
const priya = learnerByKey('priya');
const asAisyah: Who = { role: 'LEARNER', sub: aisyah.id };
const perisianHr: Who = { role: 'EMPLOYER', sub: 'staff:perisian:hr', employerId: employers.software.id };

/** The README's example: the signed-in learner's record. */
const MY_RECORD = `{ me { learnerRecord } }`;
const RECORD_OF = `query($id: ID!) { learner(id: $id) { id learnerRecord } }`;
const CONSENT = `mutation($input: GrantConsentInput!) { grantConsent(input: $input) { id } }`;

/** Aisyah's record as she exported it, once for the file. */
let record: Record<string, any>;

beforeAll(async () => {
  graph = await startTestGraph();
  record = (await graph.gateway.ok(MY_RECORD, { as: asAisyah })).me.learnerRecord;
});
afterAll(() => graph?.stop());

/** The exit awards a learner holds (the seed settles the demo learners' stages). */
const awardsOf = (learnerId: string) =>
  graph.connection.query<{ id: string }>('select id from credentials.credential where holder_id = $1 and award_pathway_id is not null order by issued_at, id', [learnerId]);

/** Digital Bazaar's verifier, offline but for DID documents, fetched from the issuers' did:web as any verifier would. */
const independentlyVerified = async (document: object) =>
  vc.verifyCredential({
    credential: document,
    suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader: outsideLoader(graph.subgraph.credentials.url),
    checkStatus: async () => ({ verified: true }),
  });

describe("a learner's record, exported through the gateway", () => {
  it('is a ClrCredential of every credential she holds, valid against 1EdTech\'s CLR 2.0 JSON Schema', async () => {
    expect(validateClr(record), JSON.stringify(validateClr.errors)).toBe(true);
    expect(record.type).toEqual(['VerifiableCredential', 'ClrCredential']);
    expect(record.issuer).toMatchObject({ id: expect.stringMatching(/^did:web:.*:issuers:platform$/), name: 'Tauliah' });
    expect(record.credentialSubject.id).toBe(`urn:uuid:${aisyah.id}`);
    const awards = await awardsOf(aisyah.id);
    expect(awards.length).toBeGreaterThan(0);
    const held = [...demoCredentials.filter((c) => c.learnerId === aisyah.id).map((c) => c.id), ...awards.map((a) => a.id)];
    expect(record.credentialSubject.verifiableCredential.map((c: { id: string }) => c.id.split('/').at(-1)).sort()).toEqual([...held].sort());
    expect(record.credentialSubject.achievement).toHaveLength(held.length);
  });

  it('links each micro-credential to the exit awards it stacks into (isPartOf), exactly as the awards name their evidence', async () => {
    const documents = new Map<string, any>(record.credentialSubject.verifiableCredential.map((c: any) => [c.id.split('/').at(-1), c]));
    const expected: string[] = [];
    for (const award of await awardsOf(aisyah.id)) {
      const target = documents.get(award.id)!.credentialSubject.achievement.id;
      const constituents = await graph.connection.query<{ credential_id: string }>('select credential_id from credentials.award_constituent where award_id = $1', [award.id]);
      expect(constituents.length).toBeGreaterThan(0);
      for (const { credential_id } of constituents) expected.push(`${documents.get(credential_id)!.credentialSubject.achievement.id} isPartOf ${target}`);
    }
    const associations = record.credentialSubject.association ?? record.credentialSubject.associations;
    expect(associations.map((a: any) => `${a.sourceId} ${a.associationType} ${a.targetId}`).sort()).toEqual(expected.sort());
  });

  it('verifies with an independent verifier: the platform\'s proof, and each credential\'s own', async () => {
    const result = await independentlyVerified(record);
    expect(result.verified, JSON.stringify(result.error)).toBe(true);
    for (const held of record.credentialSubject.verifiableCredential) {
      const own = await independentlyVerified(held);
      expect(own.verified, JSON.stringify(own.error)).toBe(true);
    }
  });

  it("verifies with the graph's verifyCredentialDocument, every check and every credential passing", async () => {
    const result = (await graph.gateway.ok(VERIFY_RECORD, { variables: { document: record } })).verifyCredentialDocument;
    expect(result.checks.filter((c: { passed: boolean }) => !c.passed)).toEqual([]);
    expect(result.checks.map((c: { check: string }) => c.check)).toContain('CREDENTIALS');
    expect(result).toMatchObject({ verified: true, format: 'DATA_INTEGRITY', documentId: record.id });
    expect(result.credentials.map((c: { verified: boolean }) => c.verified)).toEqual(record.credentialSubject.verifiableCredential.map(() => true));
  });

  it('fails verification, independent and the graph\'s, once tampered with', async () => {
    const tampered = structuredClone(record);
    tampered.credentialSubject.achievement[0].name = 'Advanced Programming with Python';
    expect((await independentlyVerified(tampered)).verified).toBe(false);
    const result = (await graph.gateway.ok(VERIFY_RECORD, { variables: { document: tampered } })).verifyCredentialDocument;
    expect(result.verified).toBe(false);
    expect(result.checks.find((c: { check: string }) => c.check === 'PROOF').passed).toBe(false);
  });
});

describe('nobody but the learner exports her record', () => {
  it('refuses another learner, her provider, an administrator, and an employer she consented to', async () => {
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    await graph.gateway.ok(CONSENT, { as: asAisyah, variables: { input: { granteeKind: 'EMPLOYER', granteeId: employers.software.id, scopes: ['PROFILE', 'CONTACT', 'CREDENTIALS'], expiresAt } } });
    const others: Who[] = [{ role: 'LEARNER', sub: priya.id }, { role: 'PROVIDER_STAFF', sub: staffAdminOf(providers.odl.id), providerId: providers.odl.id }, 'ADMIN', perisianHr];
    for (const who of others) {
      const response = await graph.gateway.query(RECORD_OF, { as: who, variables: { id: aisyah.id } });
      expect(codesOf(response), JSON.stringify(who)).toEqual(['FORBIDDEN']);
      expect(response.data?.learner?.learnerRecord ?? null).toBeNull();
    }
  });

  it('refuses the public', async () => {
    expect(codesOf(await graph.gateway.query(MY_RECORD))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await graph.gateway.query(RECORD_OF, { variables: { id: aisyah.id } }))).toEqual(['UNAUTHENTICATED']);
  });

  it("gives a learner her own record only: another learner's `me` is their own", async () => {
    const own = (await graph.gateway.ok(MY_RECORD, { as: { role: 'LEARNER', sub: priya.id } })).me.learnerRecord;
    expect(own.credentialSubject.id).toBe(`urn:uuid:${priya.id}`);
  });
});
