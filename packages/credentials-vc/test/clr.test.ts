import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildClrCredential,
  createDocumentLoader,
  didDocument,
  didWebFor,
  documentLimitProblem,
  generateIssuerKey,
  MAX_RECORD_CREDENTIALS,
  signDataIntegrity,
  signDataIntegrityAside,
  stackingAssociations,
  StatusValue,
  verifyCredentialDocument,
  type DidDocument,
  type IssuerKey,
  type VerifyOptions,
} from '../src/index.ts';
import { testIssuer } from './support.ts';

/**
 * 1EdTech's CLR 2.0 ClrCredential JSON Schema, copied verbatim as published at
 * https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json
 * (taken from the copy vendored in github.com/conform-ed/conform-ed,
 * packages/coverage/vendor/clr/v2_0/, fetched there from that URL).
 */
const clrSchema = JSON.parse(readFileSync(new URL('./fixtures/clr_v2p0_clrcredential_schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2019.default({ strict: false, allErrors: true });
addFormats.default(ajv);
const validateClr = ajv.compile(clrSchema);

type Json = Record<string, any>;
const SUBJECT = 'urn:uuid:6f1c2f7e-3c55-4b1c-9a53-4b5b8f7c2a11';
const BASE = 'https://tauliah.example';

/** A micro-credential document as issued: its own course as achievement. */
const micro = (n: number, overrides: Json = {}): Json => ({ id: `${BASE}/credentials/m${n}`, credentialSubject: { id: SUBJECT, achievement: { id: `${BASE}/courses/c${n}` } }, ...overrides });
/** A stacked award naming, in its evidence, the documents that earned it. */
const award = (n: number, evidenceIds: string[]): Json => ({
  id: `${BASE}/credentials/a${n}`,
  credentialSubject: { id: SUBJECT, achievement: { id: `${BASE}/pathways/p1/stages/${n}`, achievementType: 'Certificate' } },
  evidence: evidenceIds.map((id) => ({ id, type: ['Evidence'] })),
});

describe('isPartOf associations from the evidence of stacked awards', () => {
  it('goes from each micro-credential an award names to the award, by achievement', () => {
    const held = [micro(1), micro(2), micro(3), award(1, [micro(1).id, micro(2).id])];
    expect(stackingAssociations(held)).toEqual([
      { type: 'Association', associationType: 'isPartOf', sourceId: `${BASE}/courses/c1`, targetId: `${BASE}/pathways/p1/stages/1` },
      { type: 'Association', associationType: 'isPartOf', sourceId: `${BASE}/courses/c2`, targetId: `${BASE}/pathways/p1/stages/1` },
    ]);
  });

  it('leaves out evidence the record does not hold, the award itself, and repeats', () => {
    const held = [micro(1), award(1, [micro(1).id, micro(9).id, `${BASE}/credentials/a1`, micro(1).id])];
    expect(stackingAssociations(held).map((a) => a.sourceId)).toEqual([`${BASE}/courses/c1`]);
    expect(stackingAssociations([micro(1), micro(2)])).toEqual([]);
  });

  it('links awards that stack into a larger award, and reads a single evidence object', () => {
    const certificate = award(1, [micro(1).id]);
    const diploma = { ...award(2, []), evidence: { id: certificate.id, type: ['Evidence'] } };
    expect(stackingAssociations([micro(1), certificate, diploma]).map((a) => [a.sourceId, a.targetId])).toEqual([
      [`${BASE}/courses/c1`, `${BASE}/pathways/p1/stages/1`],
      [`${BASE}/pathways/p1/stages/1`, `${BASE}/pathways/p1/stages/2`],
    ]);
  });
});

describe('a learner record (CLR 2.0 ClrCredential)', () => {
  let issuer: Awaited<ReturnType<typeof testIssuer>>;
  let platform: { did: string; key: IssuerKey; seed: Uint8Array; documents: Map<string, DidDocument> };
  let options: VerifyOptions;
  /** Two micro-credentials and the award they stack into, each signed by the provider. */
  let held: Json[];

  beforeAll(async () => {
    issuer = await testIssuer(BASE);
    const did = didWebFor(BASE, 'issuers', 'platform');
    const { key, seed } = await generateIssuerKey(did);
    const documents = new Map([...issuer.documents, [did, didDocument(did, [key])]]);
    platform = { did, key, seed, documents };
    options = {
      ...issuer.options,
      resolveController: async (id) => documents.get(id) ?? null,
      issuerStanding: async (id) => ({ known: documents.has(id), inGoodStanding: true, name: id === did ? 'Tauliah' : 'Test University' }),
    };
    const course = (n: number) => {
      const credential = issuer.credential(n) as Json;
      credential.credentialSubject.achievement = { ...credential.credentialSubject.achievement, id: `${BASE}/courses/c${n}`, humanCode: `SE110${n}` };
      return credential;
    };
    const [first, second] = [await signDataIntegrity(course(1), issuer.keys[0]!), await signDataIntegrity(course(2), issuer.keys[0]!)];
    const certificate = issuer.credential(3) as Json;
    certificate.name = 'Professional Certificate in Programming';
    certificate.credentialSubject.achievement = {
      id: `${BASE}/pathways/p1/stages/1`,
      type: ['Achievement'],
      achievementType: 'Certificate',
      name: 'Professional Certificate in Programming',
      description: 'The first stage of the pathway.',
      criteria: { narrative: 'Hold both micro-credentials of the stage.' },
    };
    certificate.evidence = [first, second].map((c) => ({ id: c.id, type: ['Evidence'], name: c.name }));
    held = [first, second, await signDataIntegrity(certificate, issuer.keys[0]!)];
  });

  const record = (credentials: Json[] = held, subjectId = SUBJECT) =>
    buildClrCredential({
      id: 'urn:uuid:0b0b0b0b-0000-4000-8000-000000000001',
      issuer: { id: platform.did, name: 'Tauliah', url: BASE },
      subjectId,
      credentials,
      validFrom: new Date(),
      name: 'Learner record',
      description: 'What this learner holds.',
    });
  const signedRecord = async (credentials?: Json[]) => signDataIntegrity(record(credentials), platform.key) as Promise<Json>;

  it('holds the credentials as signed, their achievements and isPartOf associations, and validates against the 1EdTech schema', async () => {
    const signed = await signedRecord();
    expect(validateClr(signed), JSON.stringify(validateClr.errors)).toBe(true);
    expect(signed['@context']).toEqual(['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
    expect(signed.type).toEqual(['VerifiableCredential', 'ClrCredential']);
    expect(signed.issuer).toMatchObject({ id: platform.did, type: ['Profile'] });
    expect(signed.credentialStatus).toBeUndefined();
    const subject = signed.credentialSubject;
    expect(subject.verifiableCredential).toEqual(held);
    expect(subject.achievement.map((a: Json) => [a.id, a.creator?.id])).toEqual([
      [`${BASE}/courses/c1`, issuer.did],
      [`${BASE}/courses/c2`, issuer.did],
      [`${BASE}/pathways/p1/stages/1`, issuer.did],
    ]);
    expect(subject.association.map((a: Json) => `${a.sourceId} ${a.associationType} ${a.targetId}`)).toEqual([
      `${BASE}/courses/c1 isPartOf ${BASE}/pathways/p1/stages/1`,
      `${BASE}/courses/c2 isPartOf ${BASE}/pathways/p1/stages/1`,
    ]);
  });

  it('verifies, its own checks and each credential it holds, with the same verifier as OB 3.0 credentials', async () => {
    const result = await verifyCredentialDocument(await signedRecord(), options);
    expect(result.checks.every((c) => c.passed), JSON.stringify(result.checks)).toBe(true);
    expect(result.checks.find((c) => c.check === 'STATUS')?.message).toMatch(/no status of its own/);
    expect(result.held).toMatchObject({ passed: true, message: expect.stringMatching(/Each of the 3 credentials/) });
    expect(result.held!.results.map((r) => [r.credential?.id, r.verified])).toEqual(held.map((c) => [c.id, true]));
    expect(result.verified).toBe(true);
  });

  it("is accepted by Digital Bazaar's verifier called directly with the bundled contexts", async () => {
    const result = await vc.verifyCredential({
      credential: await signedRecord(),
      suite: new DataIntegrityProof({ cryptosuite }),
      documentLoader: createDocumentLoader(async (id) => platform.documents.get(id) ?? null),
      checkStatus: async () => ({ verified: true }),
    });
    expect(result.verified, JSON.stringify(result.error)).toBe(true);
  });

  it('signs on a signing thread just as on this one', async () => {
    const aside = (await signDataIntegrityAside(record(), platform.key, platform.seed)) as Json;
    expect(aside.proof[0].verificationMethod).toBe(platform.key.id);
    expect((await verifyCredentialDocument(aside, options)).verified).toBe(true);
  });

  it('fails the proof when the record or a credential in it is changed', async () => {
    const signed = await signedRecord();
    const renamed = structuredClone(signed);
    renamed.credentialSubject.achievement[0].name = 'Programming with Pythom';
    const result = await verifyCredentialDocument(renamed, options);
    expect(result.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(['PROOF']);
    expect(result.verified).toBe(false);

    const inside = structuredClone(signed);
    inside.credentialSubject.verifiableCredential[1].credentialSubject.achievement.name = 'Data structures (honours)';
    const tampered = await verifyCredentialDocument(inside, options);
    expect(tampered.checks.find((c) => c.check === 'PROOF')?.passed).toBe(false);
    expect(tampered.held?.passed).toBe(false);
    expect(tampered.held?.results.map((r) => r.verified)).toEqual([true, false, true]);
  });

  it('stops verifying once a credential it holds is revoked, and says which', async () => {
    const signed = await signedRecord();
    issuer.setStatus(2, StatusValue.REVOKED);
    try {
      const result = await verifyCredentialDocument(signed, options);
      expect(result.checks.every((c) => c.passed)).toBe(true);
      expect(result.verified).toBe(false);
      expect(result.held?.message).toMatch(new RegExp(`1 of the 3 credentials .*${held[1]!.id}: STATUS \\(Revoked by the issuer\\.\\)`));
    } finally {
      issuer.setStatus(2, StatusValue.VALID);
    }
  });

  it("refuses a credential about someone else than the record's subject", async () => {
    const signed = await signDataIntegrity(record(held, 'urn:uuid:00000000-0000-4000-8000-00000000beef'), platform.key);
    const result = await verifyCredentialDocument(signed, options);
    expect(result.held).toMatchObject({ passed: false, message: expect.stringMatching(/not about the record's subject/) });
    expect(result.verified).toBe(false);
  });

  it('is refused before any cryptography over its own size cap or credential count, or holding a record or many proofs', async () => {
    const signed = await signedRecord();
    // Bigger than one credential may be, within a record's cap.
    expect(documentLimitProblem(signed, 1024)).toBeNull();
    expect(documentLimitProblem(signed, 1024, 2048)).toMatch(/learner record is \d+ bytes; at most 2048/);
    const many = { ...signed, credentialSubject: { ...signed.credentialSubject, verifiableCredential: Array.from({ length: MAX_RECORD_CREDENTIALS + 1 }, () => held[0]) } };
    expect(documentLimitProblem(many, 1024, 10 * 1024 * 1024)).toMatch(new RegExp(`at most ${MAX_RECORD_CREDENTIALS} are verified`));
    const nested = { ...signed, credentialSubject: { ...signed.credentialSubject, verifiableCredential: [held[0], signed] } };
    expect(documentLimitProblem(nested)).toMatch(/Credential 2 of the learner record: A learner record inside/);
    const twoProofs = { ...held[0], proof: [held[0]!.proof[0], held[0]!.proof[0]] };
    expect(documentLimitProblem({ ...signed, credentialSubject: { ...signed.credentialSubject, verifiableCredential: [twoProofs] } })).toMatch(/exactly one proof/);
  });

  it('leaves other credentials as they were: no held credentials to report', async () => {
    const result = await verifyCredentialDocument(held[0], options);
    expect(result).toMatchObject({ verified: true, held: null });
  });
});
