import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { decryptSeed, issuerKeyFromSeed, JWT_CLAIMS, signDataIntegrity, signJwt, type IssuerKey } from '@tauliah/credentials-vc';
import { courseByCode, demoId, learnerByKey, providers } from '@tauliah/demo-data';
import { codesOf, testConfig } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDidDocument, jwtPayload, outsideLoader } from '../../services/credentials/test/signed-support.ts';

/**
 * Leak 4: a leaked issuer key forged credentials forever (every key ever used
 * stayed an assertion key), and a credential without a status entry passed the
 * status check. Here the attacker holds a provider's private key (decrypted
 * from a dump with the key-encryption key the tests run with) and signs what
 * they like.
 */
let graph: TestGraph;
const se1101 = demoId('credential:aisyah:SE1101');
const firstAid = demoId('credential:priya:AKT-FA');
const aisyah = learnerByKey('aisyah');

const DOCUMENT = `query($id: ID!, $format: CredentialFormat!) { credential(id: $id) { document(format: $format) } }`;
const VERIFY_DOCUMENT = `query($document: JSON!) { verifyCredentialDocument(document: $document) { verified checks { check passed message } } }`;
const REPORT = `mutation($keyId: ID!, $compromisedFrom: DateTimeISO) { reportIssuerKeyCompromise(keyId: $keyId, compromisedFrom: $compromisedFrom) { id did } }`;
const ISSUE = `mutation($input: IssueCredentialInput!) { issueCredential(input: $input) { id jwt: document(format: VC_JWT) di: document(format: DATA_INTEGRITY) } }`;

type Checks = { verified: boolean; checks: Array<{ check: string; passed: boolean; message: string }> };
const documentOf = async (id: string, format: 'DATA_INTEGRITY' | 'VC_JWT') =>
  (await graph.gateway.ok(DOCUMENT, { as: 'ADMIN', variables: { id, format } })).credential.document;
const verifyDocument = async (document: unknown): Promise<Checks> => (await graph.gateway.ok(VERIFY_DOCUMENT, { variables: { document } })).verifyCredentialDocument;
const failed = (result: Checks) => result.checks.filter((c) => !c.passed).map((c) => c.check);
const credentialsUrl = () => graph.subgraph.credentials.url;

/** The provider's current signing key, as someone holding a database dump and the key-encryption key gets it. */
async function leakedKey(providerId: string): Promise<IssuerKey> {
  const [row] = await graph.connection.query<{ sealed_seed: string; did: string }>(
    `select k.sealed_seed, i.did from credentials.issuer_key k join credentials.issuer i using (provider_id) where k.provider_id = $1 and k.retired_at is null`,
    [providerId],
  );
  return issuerKeyFromSeed(row!.did, decryptSeed(testConfig().CREDENTIAL_KEY_ENCRYPTION_KEY, row!.sealed_seed, row!.did));
}

/** A credential the issuer never issued, made from one of theirs: a new id and another holder. */
function forgeFrom(genuineJwt: string, changes: Record<string, unknown> = {}): Record<string, unknown> {
  const payload = jwtPayload(genuineJwt) as Record<string, unknown>;
  const credential = Object.fromEntries(Object.entries(payload).filter(([k]) => !(JWT_CLAIMS as readonly string[]).includes(k)));
  const id = String(credential.id).replace(/[^/]+$/, randomUUID());
  const subject = { ...(credential.credentialSubject as object), id: `urn:uuid:${randomUUID()}` };
  return { ...credential, id, credentialSubject: subject, ...changes };
}

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

describe('a credential claiming one of our issuers must carry our status entry', () => {
  it('fails a credential forged with a leaked key and no credentialStatus, or with a status list that is not ours', async () => {
    const genuine = await documentOf(firstAid, 'VC_JWT');
    const key = await leakedKey(providers.trainingProvider.id);
    // (First aid lapses: the forgery leaves its expiry out, so that only the status is at issue.)
    const { credentialStatus: _status, validUntil: _until, ...unrevocable } = forgeFrom(genuine);
    const result = await verifyDocument(await signJwt(unrevocable as never, key));
    expect(result.verified).toBe(false);
    expect(failed(result)).toEqual(['STATUS']);
    expect(result.checks.find((c) => c.check === 'STATUS')!.message).toMatch(/no status entry/);
    const { validUntil: _lapses, ...elsewhere } = forgeFrom(genuine);
    elsewhere.credentialStatus = { ...(elsewhere.credentialStatus as object), statusListCredential: 'https://attacker.example/status-lists/1', id: 'https://attacker.example/status-lists/1#1' };
    expect(failed(await verifyDocument(await signDataIntegrity(elsewhere as never, key)))).toEqual(['STATUS']);
  });
});

describe('an issuer key reported compromised', () => {
  it('is refused to anyone but the staff of its provider or an administrator, and checks its input', async () => {
    const { keyId } = await currentKey(providers.odl.id);
    const variables = { keyId };
    expect(codesOf(await graph.gateway.query(REPORT, { variables }))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await graph.gateway.query(REPORT, { as: 'LEARNER', variables }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(REPORT, { as: 'EMPLOYER', variables }))).toEqual(['FORBIDDEN']);
    const otherStaff = { role: 'PROVIDER_STAFF' as const, sub: 'staff:uas:registrar', providerId: providers.publicUniversity.id };
    expect(codesOf(await graph.gateway.query(REPORT, { as: otherStaff, variables }))).toEqual(['FORBIDDEN']);
    const unknown = { keyId: `${keyId.split('#')[0]}#z6MkNoSuchKey` };
    expect(codesOf(await graph.gateway.query(REPORT, { as: 'PROVIDER_STAFF', variables: unknown }))).toEqual(['NOT_FOUND']);
    const future = { keyId, compromisedFrom: new Date(Date.now() + 3_600_000).toISOString() };
    expect(codesOf(await graph.gateway.query(REPORT, { as: 'PROVIDER_STAFF', variables: future }))).toEqual(['BAD_USER_INPUT']);
    // Nothing above changed the key.
    expect((await currentKey(providers.odl.id)).keyId).toBe(keyId);
  });

  it('leaves the DID document, and what it signs fails its own check, while what the record shows issued before still verifies', async () => {
    const genuineJwt = await documentOf(se1101, 'VC_JWT');
    const genuineDi = await documentOf(se1101, 'DATA_INTEGRITY');
    const key = await leakedKey(providers.odl.id);
    expect(genuineDi.proof[0].verificationMethod).toBe(key.id);
    const forgedJwt = await signJwt(forgeFrom(genuineJwt) as never, key);
    const forgedDi = await signDataIntegrity(forgeFrom(genuineJwt) as never, key);
    // The attack: until the key is reported, a forgery is as good as the real thing.
    expect((await verifyDocument(forgedJwt)).verified).toBe(true);

    const reported = await graph.gateway.ok(REPORT, { as: 'PROVIDER_STAFF', variables: { keyId: key.id } });
    expect(reported.reportIssuerKeyCompromise.did).toBe(genuineDi.issuer.id);

    for (const forged of [forgedJwt, forgedDi]) {
      const result = await verifyDocument(forged);
      expect(result.verified).toBe(false);
      expect(failed(result)).toEqual(['KEY_STANDING']);
      expect(result.checks.find((c) => c.check === 'KEY_STANDING')!.message).toMatch(/reported compromised from/);
    }
    // A signature cannot prove its own time: backdating the forgery does not help.
    const backdated = await signJwt(forgeFrom(genuineJwt, { validFrom: '2020-01-01T00:00:00Z' }) as never, key);
    expect(failed(await verifyDocument(backdated))).toEqual(['KEY_STANDING']);
    // Nor does changing a genuine credential's content under its own id.
    const altered = await signJwt({ ...forgeFrom(genuineJwt), id: genuineDi.id } as never, key);
    expect(failed(await verifyDocument(altered))).toEqual(['KEY_STANDING']);

    // The learner's genuine credential, issued before, verifies: our record vouches for it.
    for (const document of [genuineJwt, genuineDi]) {
      const result = await verifyDocument(document);
      expect(result.verified, JSON.stringify(result)).toBe(true);
      expect(result.checks.find((c) => c.check === 'KEY_STANDING')!.message).toMatch(/record shows this very credential issued before/);
    }

    // Outside verifiers no longer find the key: it is neither an assertion key nor listed at all.
    const did = await fetchDidDocument(credentialsUrl(), genuineDi.issuer.id);
    expect(did.assertionMethod).not.toContain(key.id);
    expect(did.verificationMethod.map((m) => m.id)).not.toContain(key.id);
    expect(did.assertionMethod).toHaveLength(1);
    const outside = await vc.verifyCredential({
      credential: forgedDi,
      suite: new DataIntegrityProof({ cryptosuite }),
      documentLoader: outsideLoader(credentialsUrl()),
      checkStatus: async () => ({ verified: true }),
    });
    expect(outside.verified).toBe(false);

    // The provider signs on with a fresh key.
    const issued = await graph.gateway.ok(ISSUE, { as: 'PROVIDER_STAFF', variables: { input: { learnerId: aisyah.id, courseId: courseByCode.get('SE2102')!.id } } });
    expect(issued.issueCredential.di.proof[0].verificationMethod).not.toBe(key.id);
    expect(did.assertionMethod).toContain(issued.issueCredential.di.proof[0].verificationMethod);
    expect((await verifyDocument(issued.issueCredential.jwt)).verified).toBe(true);
  });

  it('re-signs with the new key what was issued from the compromise on, so the genuine ones verify again', async () => {
    const { keyId } = await currentKey(providers.odl.id);
    const issued = await graph.gateway.ok(ISSUE, { as: 'PROVIDER_STAFF', variables: { input: { learnerId: aisyah.id, courseId: courseByCode.get('SE2201')!.id } } });
    const before = issued.issueCredential.jwt as string;
    expect(JSON.parse(Buffer.from(before.split('.')[0]!, 'base64url').toString()).kid).toBe(keyId);
    // Reported by an administrator, from a minute before that issuance: whoever held the key then could have signed it.
    const from = new Date(Date.now() - 60_000).toISOString();
    await graph.gateway.ok(REPORT, { as: 'ADMIN', variables: { keyId, compromisedFrom: from } });
    expect(failed(await verifyDocument(before))).toEqual(['KEY_STANDING']);
    const again = (await documentOf(issued.issueCredential.id, 'VC_JWT')) as string;
    expect(JSON.parse(Buffer.from(again.split('.')[0]!, 'base64url').toString()).kid).not.toBe(keyId);
    expect((await verifyDocument(again)).verified).toBe(true);
    expect((await verifyDocument(await documentOf(issued.issueCredential.id, 'DATA_INTEGRITY'))).verified).toBe(true);
    // A credential issued long before the compromise keeps its documents and verifies.
    expect((await verifyDocument(await documentOf(demoId('credential:aisyah:SE1102'), 'VC_JWT'))).verified).toBe(true);
  });
});

async function currentKey(providerId: string) {
  const [row] = await graph.connection.query<{ id: string }>(`select id from credentials.issuer_key where provider_id = $1 and retired_at is null`, [providerId]);
  return { keyId: row!.id };
}
