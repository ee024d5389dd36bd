import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { generateIssuerKey, signDataIntegrity, StatusBitstring } from '@tauliah/credentials-vc';
import { demoId, learnerByKey, providers, staffAdminOf } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph } from '@tauliah/testing';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsService } from '../src/index.ts';
import type { CredentialsGraph } from './support.ts';
import { fetchDidDocument, jwtPayload, onServer, outsideLoader, validateOb3 } from './signed-support.ts';

let graph: CredentialsGraph;
const aisyah = learnerByKey('aisyah');
const priya = learnerByKey('priya');
const asLearner = (learner: { id: string }) => ({ role: 'LEARNER' as const, sub: learner.id });
const asStaffOf = (providerId: string) => ({ role: 'PROVIDER_STAFF' as const, sub: staffAdminOf(providerId), providerId });
const se1101 = demoId('credential:aisyah:SE1101');
const se1102 = demoId('credential:aisyah:SE1102');
const firstAid = demoId('credential:priya:AKT-FA');

const DOCUMENT = `query($id: ID!, $format: CredentialFormat!) { credential(id: $id) { document(format: $format) } }`;
const VERIFY = `query($id: ID!, $format: CredentialFormat!) { verifyCredential(id: $id, format: $format) { verified format checks { check passed message } } }`;
const VERIFY_DOCUMENT = `query($document: JSON!) { verifyCredentialDocument(document: $document) { verified format checks { check passed message } } }`;
const CHANGE = (name: string, withReason = true) =>
  `mutation($id: ID!${withReason ? ', $reason: String!' : ''}) { ${name}(id: $id${withReason ? ', reason: $reason' : ''}) { id status statusReason } }`;

beforeAll(async () => {
  graph = await startTestSubgraph(credentialsService);
});
afterAll(() => graph?.stop());

const documentOf = async (id: string, format: 'DATA_INTEGRITY' | 'VC_JWT') =>
  (await graph.client.ok(DOCUMENT, { as: 'ADMIN', variables: { id, format } })).credential.document;
const verify = async (id: string, format: 'DATA_INTEGRITY' | 'VC_JWT') =>
  (await graph.client.ok(VERIFY, { as: 'ADMIN', variables: { id, format } })).verifyCredential;
const verifyDocument = async (document: unknown) => (await graph.client.ok(VERIFY_DOCUMENT, { variables: { document } })).verifyCredentialDocument;
const failedChecks = (result: { checks: Array<{ check: string; passed: boolean }> }) => result.checks.filter((c) => !c.passed).map((c) => c.check);

describe('the seeded credentials are real signed Open Badges 3.0 credentials', () => {
  it('serves both formats, valid against the 1EdTech schema, naming the learner without their NRIC', async () => {
    const di = await documentOf(se1101, 'DATA_INTEGRITY');
    expect(validateOb3(di), JSON.stringify(validateOb3.errors)).toBe(true);
    expect(di).toMatchObject({
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      credentialSubject: { id: `urn:uuid:${aisyah.id}`, achievement: { name: 'Programming with Python', humanCode: 'SE1101', creditsAvailable: 5 } },
      credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
    });
    expect(di.proof).toEqual([expect.objectContaining({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod' })]);
    expect(di.credentialSubject.achievement.alignment).toContainEqual(expect.objectContaining({ targetType: 'ceasn:Competency', targetCode: 'PROG-FUND' }));
    expect(JSON.stringify(di)).not.toMatch(/\d{6}-\d{2}-\d{4}/);
    const jwt = await documentOf(se1101, 'VC_JWT');
    expect(typeof jwt).toBe('string');
    const payload = jwtPayload(jwt);
    expect(validateOb3(payload), JSON.stringify(validateOb3.errors)).toBe(true);
    expect(payload.id).toBe(di.id);
    expect(await documentOf(se1101, 'DATA_INTEGRITY')).toEqual(di);
  });

  it('verifies in both formats, each check passing', async () => {
    for (const format of ['DATA_INTEGRITY', 'VC_JWT'] as const) {
      const result = await verify(se1102, format);
      expect(result.verified, JSON.stringify(result.checks)).toBe(true);
      expect(result.format).toBe(format);
      expect(result.checks.map((c: { check: string }) => c.check)).toEqual(['PROOF', 'ISSUER_KEY', 'KEY_STANDING', 'ISSUER_KNOWN', 'VALIDITY', 'STATUS']);
    }
  });

  it('fails a lapsed first-aid certificate on the validity check alone', async () => {
    const result = (await graph.client.ok(VERIFY, { as: asLearner(priya), variables: { id: firstAid, format: 'VC_JWT' } })).verifyCredential;
    expect(failedChecks(result)).toEqual(['VALIDITY']);
  });

  it('fails the proof when one character of either format changes', async () => {
    const di = structuredClone(await documentOf(se1101, 'DATA_INTEGRITY'));
    di.credentialSubject.achievement.description += '.';
    expect(failedChecks(await verifyDocument(di))).toEqual(['PROOF']);
    const jwt: string = await documentOf(se1101, 'VC_JWT');
    const at = jwt.indexOf('.') + 30;
    const tampered = jwt.slice(0, at) + (jwt[at] === 'x' ? 'y' : 'x') + jwt.slice(at + 1);
    expect(failedChecks(await verifyDocument(tampered))).toContain('PROOF');
  });

  it('fails a credential from an issuer it does not know on the issuer check', async () => {
    const did = 'did:web:elsewhere.example:issuers:x';
    const { key } = await generateIssuerKey(did);
    const genuine = await documentOf(se1101, 'DATA_INTEGRITY');
    const { proof: _proof, ...unsigned } = genuine;
    const { credentialStatus: _status, ...withoutStatus } = unsigned;
    const forged = await signDataIntegrity({ ...withoutStatus, issuer: { ...unsigned.issuer, id: did } }, key);
    const result = await verifyDocument(JSON.parse(JSON.stringify(forged)));
    expect(failedChecks(result)).toContain('ISSUER_KNOWN');
    expect(result.verified).toBe(false);
  });

  it('answers a document that is neither format with every check failed', async () => {
    const result = await verifyDocument({ hello: 'world' });
    expect(result).toMatchObject({ verified: false, format: null });
    expect(failedChecks(result)).toHaveLength(6);
  });
});

describe('a verifier that is not us', () => {
  it("accepts the Data Integrity form with Digital Bazaar's verifier, resolving the issuer's did:web over HTTP", async () => {
    const di = await documentOf(se1101, 'DATA_INTEGRITY');
    const result = await vc.verifyCredential({
      credential: di,
      suite: new DataIntegrityProof({ cryptosuite }),
      documentLoader: outsideLoader(graph.url),
      checkStatus: async () => ({ verified: true }),
    });
    expect(result.verified, JSON.stringify(result.error)).toBe(true);
  });

  it("accepts the VC-JWT with jose and the issuer's JWKS", async () => {
    const jwt: string = await documentOf(se1101, 'VC_JWT');
    const did = jwtPayload(jwt).iss as string;
    const jwks = (await (await fetch(onServer(graph.url, `https://x/issuers/${providers.odl.id}/jwks.json`))).json()) as Parameters<typeof createLocalJWKSet>[0];
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: did });
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'JWT' });
    expect(payload.jti).toMatch(/\/credentials\//);
    expect((await fetchDidDocument(graph.url, did)).id).toBe(did);
  });
});

describe('revoking and suspending', () => {
  it('lets only the issuing provider revoke, and the status list says so at once', async () => {
    const variables = { id: se1102, reason: 'Assessment misconduct' };
    const otherProvider = asStaffOf(providers.publicUniversity.id);
    expect(codesOf(await graph.client.query(CHANGE('revokeCredential'), { as: otherProvider, variables }))).toEqual(['NOT_FOUND']);
    // Even when the learner made it public, seeing a credential is not issuing it.
    await graph.client.ok(`mutation { setCredentialVisibility(id: "${se1102}", visibility: PUBLIC) { id } }`, { as: 'LEARNER' });
    expect(codesOf(await graph.client.query(CHANGE('revokeCredential'), { as: otherProvider, variables }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(CHANGE('revokeCredential'), { as: 'LEARNER', variables }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(CHANGE('revokeCredential'), { variables }))).toEqual(['UNAUTHENTICATED']);
    expect((await verify(se1102, 'DATA_INTEGRITY')).verified).toBe(true);

    const revoked = await graph.client.ok(CHANGE('revokeCredential'), { as: 'PROVIDER_STAFF', variables });
    expect(revoked.revokeCredential).toEqual({ id: se1102, status: 'REVOKED', statusReason: 'Assessment misconduct' });
    for (const format of ['DATA_INTEGRITY', 'VC_JWT'] as const) {
      const result = await verify(se1102, format);
      expect(failedChecks(result)).toEqual(['STATUS']);
      expect(result.checks.find((c: { check: string }) => c.check === 'STATUS').message).toMatch(/revoked/i);
    }
    // An outside verifier reading the published list sees the same bit.
    const di = await documentOf(se1102, 'DATA_INTEGRITY');
    const list = (await (await fetch(onServer(graph.url, di.credentialStatus.statusListCredential))).json()) as { credentialSubject: { encodedList: string; statusPurpose: string } };
    expect(list.credentialSubject.statusPurpose).toBe('revocation');
    expect(StatusBitstring.decode(list.credentialSubject.encodedList, 1).get(Number(di.credentialStatus.statusListIndex))).toBe(1);
    expect(list.credentialSubject.encodedList.length).toBeGreaterThan(10);
    expect(codesOf(await graph.client.query(CHANGE('suspendCredential'), { as: 'PROVIDER_STAFF', variables }))).toEqual(['CONFLICT']);
  });

  it('suspends and reinstates, the suspension failing only the status check', async () => {
    const id = demoId('credential:aisyah:SE1201');
    await graph.client.ok(CHANGE('suspendCredential'), { as: 'PARTNER', variables: { id, reason: 'Under review' } });
    const suspended = await verify(id, 'VC_JWT');
    expect(failedChecks(suspended)).toEqual(['STATUS']);
    expect(suspended.checks.find((c: { check: string }) => c.check === 'STATUS').message).toMatch(/suspended/i);
    const reinstated = await graph.client.ok(CHANGE('reinstateCredential', false), { as: 'PROVIDER_STAFF', variables: { id } });
    expect(reinstated.reinstateCredential.status).toBe('ACTIVE');
    expect((await verify(id, 'DATA_INTEGRITY')).verified).toBe(true);
    expect(codesOf(await graph.client.query(CHANGE('reinstateCredential', false), { as: 'PROVIDER_STAFF', variables: { id } }))).toEqual(['CONFLICT']);
  });

  it('refuses an empty reason and a malformed id', async () => {
    expect(codesOf(await graph.client.query(CHANGE('revokeCredential'), { as: 'PROVIDER_STAFF', variables: { id: se1101, reason: ' ' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await graph.client.query(CHANGE('revokeCredential'), { as: 'PROVIDER_STAFF', variables: { id: 'x', reason: 'r' } }))).toEqual(['BAD_USER_INPUT']);
    const unknown = { id: demoId('credential:nobody'), reason: 'r' };
    expect(codesOf(await graph.client.query(CHANGE('revokeCredential'), { as: 'PROVIDER_STAFF', variables: unknown }))).toEqual(['NOT_FOUND']);
  });
});

describe('issuer keys', () => {
  it('keeps verifying credentials signed with a key rotated out, and signs new ones with the new key', async () => {
    const before = await documentOf(se1101, 'DATA_INTEGRITY');
    const oldKey = before.proof[0].verificationMethod;
    const rotated = await graph.client.ok(`mutation { rotateIssuerKey { id did } }`, { as: 'PROVIDER_STAFF' });
    expect(rotated.rotateIssuerKey.did).toBe(before.issuer.id);
    expect((await verifyDocument(before)).verified).toBe(true);
    const later = await documentOf(demoId('credential:aisyah:SE1202'), 'DATA_INTEGRITY');
    expect(later.proof[0].verificationMethod).not.toBe(oldKey);
    expect((await verifyDocument(later)).verified).toBe(true);
    const did = await fetchDidDocument(graph.url, before.issuer.id);
    expect(did.assertionMethod).toHaveLength(2);
    expect(codesOf(await graph.client.query(`mutation { rotateIssuerKey { id } }`, { as: 'LEARNER' }))).toEqual(['FORBIDDEN']);
  });

  it('stores private keys only encrypted', async () => {
    const rows = await graph.connection.query<{ sealed_seed: string }>('select sealed_seed from credentials.issuer_key');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.sealed_seed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});

describe('documents a verifier follows', () => {
  it('serves a public credential by its id URL and hides a private one', async () => {
    const di = await documentOf(se1101, 'DATA_INTEGRITY');
    expect((await fetch(onServer(graph.url, di.id))).status).toBe(404);
    await graph.client.ok(`mutation { setCredentialVisibility(id: "${se1101}", visibility: PUBLIC) { id } }`, { as: 'LEARNER' });
    const served = await fetch(onServer(graph.url, di.id));
    expect(served.headers.get('content-type')).toBe('application/vc+ld+json');
    expect(await served.json()).toEqual(di);
    const jwt = await fetch(onServer(graph.url, di.id), { headers: { accept: 'application/vc+jwt' } });
    expect(await jwt.text()).toBe(await documentOf(se1101, 'VC_JWT'));
    expect((await graph.client.ok(VERIFY, { variables: { id: se1101, format: 'VC_JWT' } })).verifyCredential.verified).toBe(true);
  });

  it('answers 404 for unknown issuers and lists', async () => {
    expect((await fetch(onServer(graph.url, `https://x/issuers/${demoId('provider:nobody')}/did.json`))).status).toBe(404);
    expect((await fetch(onServer(graph.url, `https://x/status-lists/${demoId('list:nobody')}`))).status).toBe(404);
  });
});
