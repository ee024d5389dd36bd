import { providerStandingEvent } from '@tauliah/core';
import type { Check } from '@tauliah/credentials-vc';
import { demoId, learnerByKey, providers } from '@tauliah/demo-data';
import { startTestSubgraph, testConfig } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProviderStanding } from '../src/events/provider-standing.ts';
import { credentialsService } from '../src/index.ts';
import { ProofMemory, rememberedProofs, rememberingProofs } from '../src/signing/proof-cache.ts';
import { verifierFor } from '../src/signing/verifier.ts';
import { jwtPayload } from './signed-support.ts';
import type { CredentialsGraph } from './support.ts';

let graph: CredentialsGraph;
const priya = learnerByKey('priya');
const se1101 = demoId('credential:aisyah:SE1101');
const se1102 = demoId('credential:aisyah:SE1102');
const se1201 = demoId('credential:aisyah:SE1201');
const firstAid = demoId('credential:priya:AKT-FA');
const ODL = 'Universiti Terbuka Nusantara';

const DOCUMENT = `query($id: ID!, $format: CredentialFormat!) { credential(id: $id) { document(format: $format) } }`;
const VERIFY = `query($id: ID!, $format: CredentialFormat!) { verifyCredential(id: $id, format: $format) { verified format checks { check passed message } } }`;
const VERIFY_DOCUMENT = `query($document: JSON!) { verifyCredentialDocument(document: $document) { verified format checks { check passed message } } }`;
const CHANGE = (name: string, withReason = true) =>
  `mutation($id: ID!${withReason ? ', $reason: String!' : ''}) { ${name}(id: $id${withReason ? ', reason: $reason' : ''}) { id status } }`;

beforeAll(async () => {
  graph = await startTestSubgraph(credentialsService);
});
afterAll(() => graph?.stop());

interface Verification {
  verified: boolean;
  checks: Array<{ check: string; passed: boolean; message: string }>;
}
const documentOf = async (id: string, format: 'DATA_INTEGRITY' | 'VC_JWT') => (await graph.client.ok(DOCUMENT, { as: 'ADMIN', variables: { id, format } })).credential.document;
const verify = async (id: string, format: 'DATA_INTEGRITY' | 'VC_JWT'): Promise<Verification> => (await graph.client.ok(VERIFY, { as: 'ADMIN', variables: { id, format } })).verifyCredential;
const verifyDocument = async (document: unknown): Promise<Verification> => (await graph.client.ok(VERIFY_DOCUMENT, { variables: { document } })).verifyCredentialDocument;
/** The checks that failed, each with its message. */
const failures = (result: Verification) => result.checks.filter((c) => !c.passed).map((c) => [c.check, c.message]);
const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'x' ? 'y' : 'x') + text.slice(at + 1);
/** A VC-JWT whose payload says something else, under the original signature. */
function withPayload(jwt: string, change: (payload: Record<string, unknown>) => void): string {
  const [header, , signature] = jwt.split('.');
  const payload = jwtPayload(jwt);
  change(payload);
  return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
}
const standing = (inGoodStanding: boolean, changedAt: string, version: number) => ({
  id: randomUUID(),
  subject: providerStandingEvent.subject,
  version,
  occurredAt: changedAt,
  data: providerStandingEvent.data.parse({ providerId: providers.odl.id, inGoodStanding, changedAt }),
});

describe('a credential verified before, verified again', () => {
  it('fails exactly as before when one character of its subject or of its proof changes, in either format', async () => {
    const di = await documentOf(se1101, 'DATA_INTEGRITY');
    const jwt: string = await documentOf(se1101, 'VC_JWT');
    for (const genuine of [di, jwt, di, jwt]) expect((await verifyDocument(genuine)).verified).toBe(true);

    const subject = structuredClone(di);
    subject.credentialSubject.id = flip(subject.credentialSubject.id, subject.credentialSubject.id.length - 1);
    const proofValue = structuredClone(di);
    proofValue.proof[0].proofValue = flip(proofValue.proof[0].proofValue, 10);
    for (const tampered of [subject, proofValue]) {
      expect(failures(await verifyDocument(tampered))).toEqual([['PROOF', 'The Data Integrity proof does not verify: Invalid signature.']]);
    }
    const jwtSubject = withPayload(jwt, (payload) => {
      const credentialSubject = payload.credentialSubject as { id: string };
      credentialSubject.id = flip(credentialSubject.id, credentialSubject.id.length - 1);
    });
    const signature = flip(jwt, jwt.length - 10);
    for (const tampered of [jwtSubject, signature]) {
      expect(failures(await verifyDocument(tampered))).toEqual([['PROOF', 'The VC-JWT signature does not verify: signature verification failed']]);
    }
    // The same content with its keys in another order is the same credential: checked again, and valid.
    expect((await verifyDocument(Object.fromEntries(Object.entries(di).reverse()))).verified).toBe(true);
    for (const genuine of [di, jwt]) expect((await verifyDocument(genuine)).verified).toBe(true);
  });

  it('says revoked, suspended, then valid again as soon as its issuer says so', async () => {
    const documents = { DATA_INTEGRITY: await documentOf(se1102, 'DATA_INTEGRITY'), VC_JWT: await documentOf(se1102, 'VC_JWT') };
    for (const format of ['DATA_INTEGRITY', 'VC_JWT'] as const) {
      expect((await verify(se1102, format)).verified).toBe(true);
      expect((await verifyDocument(documents[format])).verified).toBe(true);
    }
    await graph.client.ok(CHANGE('revokeCredential'), { as: 'PROVIDER_STAFF', variables: { id: se1102, reason: 'Assessment misconduct' } });
    for (const format of ['DATA_INTEGRITY', 'VC_JWT'] as const) {
      expect(failures(await verify(se1102, format))).toEqual([['STATUS', 'Revoked by the issuer.']]);
      expect(failures(await verifyDocument(documents[format]))).toEqual([['STATUS', 'Revoked by the issuer.']]);
    }

    expect((await verify(se1201, 'VC_JWT')).verified).toBe(true);
    await graph.client.ok(CHANGE('suspendCredential'), { as: 'PARTNER', variables: { id: se1201, reason: 'Under review' } });
    expect(failures(await verify(se1201, 'VC_JWT'))).toEqual([['STATUS', 'Suspended by the issuer.']]);
    expect(failures(await verify(se1201, 'DATA_INTEGRITY'))).toEqual([['STATUS', 'Suspended by the issuer.']]);
    await graph.client.ok(CHANGE('reinstateCredential', false), { as: 'PROVIDER_STAFF', variables: { id: se1201 } });
    for (const format of ['DATA_INTEGRITY', 'VC_JWT'] as const) expect((await verify(se1201, format)).verified).toBe(true);
  });

  it('says so when its issuer has lost its standing, and when the issuer was suspended only after issuing it', async () => {
    const jwt: string = await documentOf(se1101, 'VC_JWT');
    const di = await documentOf(se1101, 'DATA_INTEGRITY');
    for (const document of [jwt, di]) expect((await verifyDocument(document)).verified).toBe(true);

    await applyProviderStanding(graph.db, standing(false, '2000-01-01T00:00:00.000Z', 1));
    for (const document of [jwt, di]) expect(failures(await verifyDocument(document))).toEqual([['ISSUER_KNOWN', `The issuer ${ODL} is not in good standing.`]]);

    await applyProviderStanding(graph.db, standing(true, '2000-01-02T00:00:00.000Z', 2));
    const since = new Date(Date.now() - 60_000).toISOString();
    await applyProviderStanding(graph.db, standing(false, since, 3));
    for (const document of [jwt, di]) {
      const result = await verifyDocument(document);
      expect(result.verified).toBe(true);
      expect(result.checks.find((c) => c.check === 'ISSUER_KNOWN')!.message).toBe(`Issued by ${ODL} while in good standing; it has been suspended since ${since}.`);
    }
    await applyProviderStanding(graph.db, standing(true, new Date().toISOString(), 4));
    for (const document of [jwt, di]) expect((await verifyDocument(document)).verified).toBe(true);
  });

  it('says expired on every call, however often its proof was checked', async () => {
    for (let i = 0; i < 2; i++) {
      const result = (await graph.client.ok(VERIFY, { as: { role: 'LEARNER', sub: priya.id }, variables: { id: firstAid, format: 'VC_JWT' } })).verifyCredential as Verification;
      expect(failures(result).map(([check]) => check)).toEqual(['VALIDITY']);
      expect(result.checks.find((c) => c.check === 'VALIDITY')!.message).toMatch(/^Expired on /);
    }
  });

  it('reads its issuer and its status list, one SQL statement each', async () => {
    for (const format of ['DATA_INTEGRITY', 'VC_JWT'] as const) {
      const document = await documentOf(se1101, format);
      // The service's own workers (outbox relays, event consumers) may run a statement meanwhile and only ever add to
      // the count: the fewest over a few verifications is the verification's own.
      const counts: number[] = [];
      for (let i = 0; i < 5; i++) {
        const verification = await graph.statementsDuring(() => verifyDocument(document));
        expect(verification.result.verified).toBe(true);
        counts.push(verification.statements);
      }
      expect(Math.min(...counts)).toBe(2);
    }
  });

  it('has its proof checked once, in either format', async () => {
    rememberedProofs.clear();
    for (const format of ['DATA_INTEGRITY', 'VC_JWT'] as const) {
      const document = await documentOf(se1101, format);
      for (let i = 0; i < 3; i++) expect((await verifyDocument(document)).verified).toBe(true);
    }
    expect(rememberedProofs.size).toBe(2);
  });
});

describe('the proofs remembered', () => {
  const passed: Check = { check: 'PROOF', passed: true, message: 'The VC-JWT signature (EdDSA) is valid.' };
  /** A proof check that counts how often it was asked. */
  function counting(result: Check = passed) {
    const asked = { times: 0 };
    return { asked, check: async () => (asked.times++, result) };
  }
  /** What the verifier asks before checking a proof, as in one verification of its own. */
  const proofOnce = (memory: ProofMemory) => rememberingProofs(verifierFor(graph.db, testConfig()), memory).proofOnce;

  it('answer for exactly the same document while its issuer keeps the same keys, and never for a failed proof', async () => {
    const memory = new ProofMemory(10);
    const jwt: string = await documentOf(demoId('credential:aisyah:SE1202'), 'VC_JWT');
    const { asked, check } = counting();
    expect(await proofOnce(memory)(jwt, jwtPayload(jwt), check)).toEqual(passed);
    expect(await proofOnce(memory)(jwt, jwtPayload(jwt), check)).toEqual(passed);
    expect(asked.times).toBe(1);
    // Another document under the same id is checked on its own.
    const changed = withPayload(jwt, (payload) => (payload.awarded = 'yes'));
    await proofOnce(memory)(changed, jwtPayload(changed), check);
    expect(asked.times).toBe(2);

    // A new key in the issuer's controller document: checked again, then remembered again.
    await graph.client.ok(`mutation { rotateIssuerKey { id } }`, { as: 'PROVIDER_STAFF' });
    await proofOnce(memory)(jwt, jwtPayload(jwt), check);
    await proofOnce(memory)(jwt, jwtPayload(jwt), check);
    expect(asked.times).toBe(3);

    const failing = counting({ check: 'PROOF', passed: false, message: 'The VC-JWT signature does not verify: signature verification failed' });
    for (let i = 0; i < 2; i++) await proofOnce(memory)(jwt.slice(0, -2), jwtPayload(jwt), failing.check);
    expect(failing.asked.times).toBe(2);
  });

  it('never answer for a Data Integrity proof the library checks against the clock', async () => {
    const memory = new ProofMemory(10);
    const di = await documentOf(demoId('credential:aisyah:SE1202'), 'DATA_INTEGRITY');
    const undated = { ...di, validFrom: undefined };
    const { asked, check } = counting();
    for (let i = 0; i < 2; i++) await proofOnce(memory)(undated, undated, check);
    expect(asked.times).toBe(2);
    for (let i = 0; i < 2; i++) await proofOnce(memory)(di, di, check);
    expect(asked.times).toBe(3);
  });

  it('hold at most as many as they may, dropping the least recently asked for', () => {
    const memory = new ProofMemory(2);
    const entry = { check: passed, controllers: [] };
    memory.set('a', entry);
    memory.set('b', entry);
    expect(memory.get('a')).toBe(entry);
    memory.set('c', entry);
    expect(memory.size).toBe(2);
    expect([memory.get('a'), memory.get('b'), memory.get('c')]).toEqual([entry, undefined, entry]);
  });
});
