import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildStatusListCredential,
  createDocumentLoader,
  decryptSeed,
  documentLimitProblem,
  encryptSeed,
  generateIssuerKey,
  messageStatusEntry,
  signDataIntegrity,
  signJwt,
  StatusBitstring,
  StatusValue,
  verifyCredentialDocument,
  type DidDocument,
  type VerifyOptions,
} from '../src/index.ts';
import { testIssuer } from './support.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const ajv = new Ajv2019.default({ strict: false, allErrors: true });
addFormats.default(ajv);
const validateOb3 = ajv.compile(fixture('ob_v3p0_achievementcredential_schema.json'));
const failed = (result: { checks: Array<{ check: string; passed: boolean }> }) => result.checks.filter((c) => !c.passed).map((c) => c.check);

describe('Open Badges 3.0 credentials', () => {
  it('signs with Data Integrity and verifies, every check passing, and validates against the 1EdTech schema', async () => {
    const issuer = await testIssuer();
    const signed = await signDataIntegrity(issuer.credential(7), issuer.keys[0]!);
    expect(validateOb3(signed), JSON.stringify(validateOb3.errors)).toBe(true);
    const result = await verifyCredentialDocument(signed, issuer.options);
    expect(result.checks.every((c) => c.passed), JSON.stringify(result.checks)).toBe(true);
    expect(result).toMatchObject({ verified: true, format: 'DATA_INTEGRITY' });
  });

  it('signs a VC-JWT whose payload is the credential itself and verifies it', async () => {
    const issuer = await testIssuer();
    const jwt = await signJwt(issuer.credential(8), issuer.keys[0]!);
    const [header, payload] = jwt.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'EdDSA', kid: issuer.keys[0]!.id, typ: 'JWT' });
    expect(payload.vc).toBeUndefined();
    expect(payload).toMatchObject({ type: ['VerifiableCredential', 'OpenBadgeCredential'], iss: issuer.did, jti: payload.id });
    expect(validateOb3(payload), JSON.stringify(validateOb3.errors)).toBe(true);
    expect((await verifyCredentialDocument(jwt, issuer.options)).verified).toBe(true);
  });

  it('fails the proof when one character changes, in either format', async () => {
    const issuer = await testIssuer();
    const signed = await signDataIntegrity(issuer.credential(9), issuer.keys[0]!);
    const tampered = structuredClone(signed) as typeof signed & { credentialSubject: { achievement: { name: string } } };
    tampered.credentialSubject.achievement.name = 'Programming with Pythom';
    expect(failed(await verifyCredentialDocument(tampered, issuer.options))).toEqual(['PROOF']);
    const jwt = await signJwt(issuer.credential(9), issuer.keys[0]!);
    const payload = jwt.split('.')[1]!;
    const flipped = payload.slice(0, 40) + (payload[40] === 'A' ? 'B' : 'A') + payload.slice(41);
    const result = await verifyCredentialDocument(jwt.replace(payload, flipped), issuer.options);
    expect(result.checks.find((c) => c.check === 'PROOF')?.passed).toBe(false);
  });

  it('reports revocation, suspension and expiry each under its own check', async () => {
    const issuer = await testIssuer();
    const revoked = await signJwt(issuer.credential(10), issuer.keys[0]!);
    const suspended = await signJwt(issuer.credential(11), issuer.keys[0]!);
    issuer.setStatus(10, StatusValue.REVOKED);
    issuer.setStatus(11, StatusValue.SUSPENDED);
    const r = await verifyCredentialDocument(revoked, issuer.options);
    expect(failed(r)).toEqual(['STATUS']);
    expect(r.checks.find((c) => c.check === 'STATUS')?.message).toMatch(/revoked/i);
    expect((await verifyCredentialDocument(suspended, issuer.options)).checks.find((c) => c.check === 'STATUS')?.message).toMatch(/suspended/i);
    const lapsed = await signDataIntegrity(issuer.credential(12, { validUntil: new Date('2025-07-01T00:00:00Z') }), issuer.keys[0]!);
    expect(failed(await verifyCredentialDocument(lapsed, issuer.options))).toEqual(['VALIDITY']);
  });

  it('fails an unknown issuer on its own check', async () => {
    const issuer = await testIssuer();
    const stranger = await testIssuer('https://elsewhere.example');
    const signed = await signDataIntegrity(stranger.credential(1), stranger.keys[0]!);
    expect(failed(await verifyCredentialDocument(signed, issuer.options))).toContain('ISSUER_KNOWN');
  });

  it('still verifies a credential signed with a key since rotated out', async () => {
    const issuer = await testIssuer();
    const old = await signDataIntegrity(issuer.credential(13), issuer.keys[0]!);
    issuer.keys.push((await generateIssuerKey(issuer.did)).key);
    issuer.publish();
    const fresh = await signJwt(issuer.credential(14), issuer.keys[1]!);
    expect((await verifyCredentialDocument(old, issuer.options)).verified).toBe(true);
    expect((await verifyCredentialDocument(fresh, issuer.options)).verified).toBe(true);
  });

  it("is accepted by Digital Bazaar's verifier called directly with the bundled contexts", async () => {
    const issuer = await testIssuer();
    const signed = await signDataIntegrity(issuer.credential(15), issuer.keys[0]!);
    const result = await vc.verifyCredential({
      credential: signed,
      suite: new DataIntegrityProof({ cryptosuite }),
      documentLoader: createDocumentLoader(async (id) => issuer.documents.get(id) ?? null),
      checkStatus: async () => ({ verified: true }),
    });
    expect(result.verified, JSON.stringify(result.error)).toBe(true);
  });

  it("verifies 1EdTech's official Data Integrity test vector", async () => {
    const controller = fixture('1edtech-testvector-controller.json') as DidDocument;
    const result = await verifyCredentialDocument(fixture('1edtech-ob3-ldp-testvector.json'), {
      resolveController: async (id) => (id === controller.id ? controller : null),
      issuerStanding: async (id) => ({ known: id === controller.id, inGoodStanding: true }),
      loadStatusList: async () => null,
    });
    expect(result.checks.filter((c) => c.check !== 'VALIDITY' && c.check !== 'STATUS').every((c) => c.passed), JSON.stringify(result.checks)).toBe(true);
    // It carries no status entry, so it could never be revoked: not one of ours.
    expect(result.checks.find((c) => c.check === 'STATUS')).toMatchObject({ passed: false, message: expect.stringMatching(/no status entry/) });
  });

  it('never fetches an unknown context or document', async () => {
    await expect(createDocumentLoader()('https://example.com/evil-context.jsonld')).rejects.toThrow(/never fetched/);
  });
});

describe('keys and status lists', () => {
  it('encrypts issuer seeds at rest, bound to their issuer', () => {
    const seed = Buffer.alloc(32, 7);
    const sealed = encryptSeed('k'.repeat(32), seed, 'did:web:a');
    expect(sealed).not.toContain(seed.toString('base64url'));
    expect(decryptSeed('k'.repeat(32), sealed, 'did:web:a')).toEqual(seed);
    expect(() => decryptSeed('x'.repeat(32), sealed, 'did:web:a')).toThrow(/^Cannot open sealed issuer key seed: /);
    expect(() => decryptSeed('k'.repeat(32), sealed, 'did:web:b')).toThrow(/^Cannot open sealed issuer key seed: /);
  });

  it('opens issuer seeds sealed before sealing was shared across services, as stored keys hold them', () => {
    // Sealed by that release under the embedded default CREDENTIAL_KEY_ENCRYPTION_KEY.
    const keyEncryptionKey = 'embedded-development-credential-key-encryption-key-not-for-production';
    const sealed = 'v1.E9YBc4JG9inYfg34.CYWFOQvJAKCSnOaVw0ZVkg.8zQXX-VvQ9aGj-adyfBLDv6A-9pUQooVFPkMJsb5H5w';
    expect(decryptSeed(keyEncryptionKey, sealed, 'did:web:tauliah.my:issuers:odl')).toEqual(Buffer.alloc(32, 7));
    expect(() => decryptSeed(keyEncryptionKey, sealed, 'did:web:tauliah.my:issuers:uas')).toThrow(/^Cannot open sealed issuer key seed: /);
  });

  it('keeps at least 131,072 two-bit entries, gzip-compressed and multibase-encoded', () => {
    const list = new StatusBitstring();
    expect(list.entries).toBe(131_072);
    list.set(0, StatusValue.REVOKED);
    list.set(131_071, StatusValue.SUSPENDED);
    const encoded = list.encode();
    expect(encoded.startsWith('u')).toBe(true);
    const decoded = StatusBitstring.decode(encoded);
    expect([decoded.get(0), decoded.get(1), decoded.get(131_071)]).toEqual([StatusValue.REVOKED, StatusValue.VALID, StatusValue.SUSPENDED]);
    expect(decoded.bytes[0]).toBe(0b1000_0000);
  });

  it('keeps 1-bit entries for revocation lists, one bit per credential in the spec order', () => {
    const list = new StatusBitstring(undefined, 1);
    expect([list.entries, list.bytes.length]).toEqual([131_072, 16_384]);
    list.set(0, 1);
    list.set(9, 1);
    const decoded = StatusBitstring.decode(list.encode(), 1);
    expect([decoded.get(0), decoded.get(1), decoded.get(9)]).toEqual([1, 0, 1]);
    expect([decoded.bytes[0], decoded.bytes[1]]).toEqual([0b1000_0000, 0b0100_0000]);
  });
});

describe('status entries and keys that cannot be trusted', () => {
  it('writes one 1-bit revocation entry, which the OB 3.0 schema accepts', async () => {
    const issuer = await testIssuer();
    const credential = issuer.credential(3);
    expect(credential.credentialStatus).toEqual({
      id: 'https://tauliah.example/status-lists/l1#3',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '3',
      statusListCredential: 'https://tauliah.example/status-lists/l1',
    });
    expect(validateOb3(await signDataIntegrity(credential, issuer.keys[0]!)), JSON.stringify(validateOb3.errors)).toBe(true);
  });

  it('fails a credential of a known issuer that carries no status entry, or names a list that is not its issuer\'s', async () => {
    const issuer = await testIssuer();
    const { credentialStatus: _status, ...bare } = issuer.credential(4);
    const result = await verifyCredentialDocument(await signJwt(bare, issuer.keys[0]!), issuer.options);
    expect(failed(result)).toEqual(['STATUS']);
    const foreign = issuer.credential(5);
    foreign.credentialStatus = { ...(foreign.credentialStatus as object), statusListCredential: 'https://elsewhere.example/status-lists/l1' };
    expect(failed(await verifyCredentialDocument(await signJwt(foreign, issuer.keys[0]!), issuer.options))).toEqual(['STATUS']);
  });

  it('still reads the 2-bit message entries of credentials issued before revocation lists', async () => {
    const issuer = await testIssuer();
    const legacyUrl = 'https://tauliah.example/status-lists/l0';
    const legacy = new StatusBitstring();
    legacy.set(1, StatusValue.REVOKED);
    legacy.set(2, StatusValue.SUSPENDED);
    const options: VerifyOptions = {
      ...issuer.options,
      loadStatusList: async (url) =>
        url === legacyUrl
          ? signDataIntegrity(buildStatusListCredential({ listUrl: legacyUrl, issuer: issuer.did, validFrom: new Date('2025-01-01'), bitstring: legacy }), issuer.keys[0]!)
          : null,
    };
    const old = (index: number) => {
      const credential = issuer.credential(index);
      credential.credentialStatus = messageStatusEntry({ listUrl: legacyUrl, index });
      return signDataIntegrity(credential, issuer.keys[0]!);
    };
    expect((await verifyCredentialDocument(await old(0), options)).verified).toBe(true);
    const status = async (index: number) => (await verifyCredentialDocument(await old(index), options)).checks.find((c) => c.check === 'STATUS')!;
    expect(await status(1)).toMatchObject({ passed: false, message: 'Revoked by the issuer.' });
    expect(await status(2)).toMatchObject({ passed: false, message: 'Suspended by the issuer.' });
  });

  it('fails a credential signed with a key reported compromised under its own check, unless the record shows it issued before', async () => {
    const issuer = await testIssuer();
    const signed = await signJwt(issuer.credential(6), issuer.keys[0]!);
    const from = new Date('2025-07-01T00:00:00Z');
    let onRecord = false;
    const options: VerifyOptions = {
      ...issuer.options,
      keyCompromisedFrom: async (id) => (id === issuer.keys[0]!.id ? from : null),
      onRecordBefore: async (document, _credential, time) => onRecord && document === signed && time === from,
    };
    const result = await verifyCredentialDocument(signed, options);
    expect(failed(result)).toEqual(['KEY_STANDING']);
    expect(result.checks.find((c) => c.check === 'KEY_STANDING')?.message).toMatch(/compromised from 2025-07-01T00:00:00.000Z/);
    onRecord = true;
    expect((await verifyCredentialDocument(signed, options)).verified).toBe(true);
  });

  it("fails a suspended issuer's credential unless the record shows it issued while the issuer was in good standing", async () => {
    const issuer = await testIssuer();
    const signed = await signDataIntegrity(issuer.credential(7), issuer.keys[0]!);
    const from = new Date('2025-08-01T00:00:00Z');
    let onRecord = false;
    let suspendedFrom: Date | null = from;
    const options: VerifyOptions = {
      ...issuer.options,
      issuerStanding: async () => ({ known: true, inGoodStanding: false, name: 'Test University', suspendedFrom }),
      onRecordBefore: async (document, _credential, time) => onRecord && document === signed && time === from,
    };
    const refused = await verifyCredentialDocument(signed, options);
    expect(failed(refused)).toEqual(['ISSUER_KNOWN']);
    expect(refused.checks.find((c) => c.check === 'ISSUER_KNOWN')?.message).toBe('The issuer Test University is not in good standing.');

    onRecord = true;
    const kept = await verifyCredentialDocument(signed, options);
    expect(kept.verified).toBe(true);
    expect(kept.checks.find((c) => c.check === 'ISSUER_KNOWN')?.message).toBe(
      'Issued by Test University while in good standing; it has been suspended since 2025-08-01T00:00:00.000Z.',
    );
    // Not in good standing with no suspension time (struck off, say): the record does not help.
    suspendedFrom = null;
    expect(failed(await verifyCredentialDocument(signed, options))).toEqual(['ISSUER_KNOWN']);
  });

  it('refuses, before any cryptography, documents over the size cap or with more than one proof', async () => {
    const issuer = await testIssuer();
    const signed = (await signDataIntegrity(issuer.credential(7), issuer.keys[0]!)) as Record<string, unknown>;
    expect(documentLimitProblem(signed)).toBeNull();
    expect(documentLimitProblem(signed, 100)).toMatch(/at most 100/);
    expect(documentLimitProblem({ ...signed, proof: [signed.proof, signed.proof] })).toMatch(/exactly one proof/);
    const jwt = await signJwt(issuer.credential(8), issuer.keys[0]!);
    expect(documentLimitProblem(jwt)).toBeNull();
    expect(documentLimitProblem(await signJwt({ ...issuer.credential(8), proof: signed.proof } as ReturnType<typeof issuer.credential>, issuer.keys[0]!))).toMatch(/embedded/);
  });
});
