import { demoId, employers, learnerByKey, providers, staffAdminOf } from '@tauliah/demo-data';
import { codesOf, eventually, startTestSubgraph, type Who } from '@tauliah/testing';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credential } from '../src/db/schema.ts';
import { credentialsService } from '../src/index.ts';
import { holdCredentials, validateClr, VERIFY_RECORD } from './learner-record.support.ts';
import { learnerReps, type CredentialsGraph } from './support.ts';

let graph: CredentialsGraph;
const aisyah = learnerByKey('aisyah');
const priya = learnerByKey('priya');
const karhoe = learnerByKey('karhoe');
const asLearner = (learner: { id: string }): Who => ({ role: 'LEARNER', sub: learner.id });
const asStaffOf = (providerId: string): Who => ({ role: 'PROVIDER_STAFF', sub: staffAdminOf(providerId), providerId });
const BASE = 'http://localhost:4005';
const PLATFORM = 'did:web:localhost%3A4005:issuers:platform';

/** Learner.learnerRecord as the gateway asks for it: through _entities with the learner's key. */
const RECORD = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Learner { id learnerRecord } } }`;
const recordOf = async (learnerId: string, who: Who = asLearner({ id: learnerId })) =>
  (await graph.client.ok(RECORD, { as: who, variables: { reps: learnerReps([learnerId]) } }))._entities[0].learnerRecord;
const verifyRecord = async (document: unknown) => (await graph.client.ok(VERIFY_RECORD, { variables: { document } })).verifyCredentialDocument;
const heldIds = (record: { credentialSubject: { verifiableCredential: Array<{ id: string }> } }) => record.credentialSubject.verifiableCredential.map((c) => c.id);
const documentIdOf = (credentialId: string) => `${BASE}/credentials/${credentialId}`;

async function credentialsOf(learnerId: string) {
  return graph.db.select({ id: credential.id, issuerId: credential.issuerId }).from(credential).where(eq(credential.holderId, learnerId)).orderBy(asc(credential.issuedAt), asc(credential.id));
}

beforeAll(async () => {
  graph = await startTestSubgraph(credentialsService);
});
afterAll(() => graph?.stop());

describe("a learner's record", () => {
  it('is a CLR 2.0 ClrCredential of everything they hold, signed by the platform and valid against the 1EdTech schema', async () => {
    const record = await recordOf(aisyah.id);
    expect(validateClr(record), JSON.stringify(validateClr.errors)).toBe(true);
    expect(record).toMatchObject({
      type: ['VerifiableCredential', 'ClrCredential'],
      issuer: { id: PLATFORM, type: ['Profile'], name: 'Tauliah' },
      credentialSubject: { id: `urn:uuid:${aisyah.id}`, type: ['ClrSubject'] },
      proof: [expect.objectContaining({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', verificationMethod: expect.stringMatching(new RegExp(`^${PLATFORM}#z`)) })],
    });
    expect(record.id).toMatch(/^urn:uuid:/);
    const held = await credentialsOf(aisyah.id);
    expect(heldIds(record)).toEqual(held.map((c) => documentIdOf(c.id)));
    // Each as its issuer signed it, with its own proof, and its achievement listed once.
    for (const c of record.credentialSubject.verifiableCredential) expect(c.proof[0].verificationMethod).toMatch(/^did:web:localhost%3A4005:issuers:[0-9a-f-]{36}#z/);
    expect(record.credentialSubject.achievement.map((a: { id: string }) => a.id)).toEqual(record.credentialSubject.verifiableCredential.map((c: { credentialSubject: { achievement: { id: string } } }) => c.credentialSubject.achievement.id));
    // A new record on every request.
    expect((await recordOf(aisyah.id)).id).not.toBe(record.id);
  });

  it('verifies with verifyCredentialDocument: the platform as issuer, and each credential it holds on its own', async () => {
    const record = await recordOf(aisyah.id);
    const result = await verifyRecord(record);
    expect(result.checks.map((c: { check: string; passed: boolean }) => `${c.check}:${c.passed}`)).toEqual([
      'PROOF:true',
      'ISSUER_KEY:true',
      'KEY_STANDING:true',
      'ISSUER_KNOWN:true',
      'VALIDITY:true',
      'STATUS:true',
      'CREDENTIALS:true',
    ]);
    expect(result).toMatchObject({ verified: true, format: 'DATA_INTEGRITY', documentId: record.id });
    expect(result.checks.find((c: { check: string }) => c.check === 'ISSUER_KNOWN').message).toBe('Issued by Tauliah, this platform itself.');
    expect(result.credentials.map((c: { documentId: string; verified: boolean }) => [c.documentId, c.verified])).toEqual(heldIds(record).map((id) => [id, true]));
  });

  it('fails verification when changed, in its own content or in a credential it holds', async () => {
    const record = await recordOf(aisyah.id);
    const renamed = structuredClone(record);
    renamed.name = 'Learner record (all distinctions)';
    const result = await verifyRecord(renamed);
    expect(result.verified).toBe(false);
    expect(result.checks.filter((c: { passed: boolean }) => !c.passed).map((c: { check: string }) => c.check)).toEqual(['PROOF']);
    const inflated = structuredClone(record);
    inflated.credentialSubject.verifiableCredential[0].credentialSubject.achievement.creditsAvailable = 40;
    const inside = await verifyRecord(inflated);
    expect(inside.checks.filter((c: { passed: boolean }) => !c.passed).map((c: { check: string }) => c.check)).toEqual(['PROOF', 'CREDENTIALS']);
    expect(inside.credentials[0].checks.find((c: { check: string }) => c.check === 'PROOF').passed).toBe(false);
  });

  it('holds only what can be relied on now: not expired, suspended, revoked or replaced credentials', async () => {
    // Priya's first-aid certificate lapsed; her PCB layout credential holds.
    expect(heldIds(await recordOf(priya.id))).toEqual([documentIdOf(demoId('credential:priya:AKT-PCB'))]);
    const [suspended, revoked, replaced, ...kept] = await credentialsOf(karhoe.id);
    await graph.db.update(credential).set({ status: 'SUSPENDED' }).where(eq(credential.id, suspended!.id));
    await graph.db.update(credential).set({ status: 'REVOKED' }).where(eq(credential.id, revoked!.id));
    await graph.db.update(credential).set({ replacedBy: kept[0]!.id }).where(eq(credential.id, replaced!.id));
    try {
      const record = await recordOf(karhoe.id);
      expect(heldIds(record)).toEqual(kept.map((c) => documentIdOf(c.id)));
      expect((await verifyRecord(record)).verified).toBe(true);
    } finally {
      await graph.db.update(credential).set({ status: 'ACTIVE', replacedBy: null }).where(eq(credential.holderId, karhoe.id));
    }
  });

  it('stops verifying once a credential it holds is revoked after the export, and says which', async () => {
    const record = await recordOf(karhoe.id);
    const [first] = await credentialsOf(karhoe.id);
    const REVOKE = `mutation($id: ID!, $reason: String!) { revokeCredential(id: $id, reason: $reason) { id status } }`;
    await graph.client.ok(REVOKE, { as: asStaffOf(first!.issuerId), variables: { id: first!.id, reason: 'Assessment misconduct' } });
    const result = await verifyRecord(record);
    expect(result.verified).toBe(false);
    const held = result.checks.find((c: { check: string }) => c.check === 'CREDENTIALS');
    expect(held).toMatchObject({ passed: false, message: expect.stringContaining(`${documentIdOf(first!.id)}: STATUS (Revoked by the issuer.)`) });
    expect(result.credentials[0]).toMatchObject({ documentId: documentIdOf(first!.id), verified: false });
    // Exported again, once the exit awards it earned are suspended with it (settled from the revocation's event), the record leaves them out and verifies.
    const activeAwardsNaming = async () =>
      Number(
        (
          await graph.connection.query<{ n: string | number }>(
            `select count(*) as n from credentials.award_constituent ac join credentials.credential award on award.id = ac.award_id
             where ac.credential_id = $1 and award.status = 'ACTIVE'`,
            [first!.id],
          )
        )[0]!.n,
      );
    await eventually(async () => (await activeAwardsNaming()) === 0, 'the exit awards the revoked credential earned are suspended');
    const fresh = await recordOf(karhoe.id);
    expect(heldIds(fresh)).not.toContain(documentIdOf(first!.id));
    expect((await verifyRecord(fresh)).verified).toBe(true);
  });

  it('is null for a learner who holds nothing', async () => {
    const newcomer = { id: randomUUID() };
    expect(await recordOf(newcomer.id)).toBeNull();
  });
});

describe('who may export a learner record', () => {
  const someoneElse: Array<[string, Who | undefined]> = [
    ['another learner', asLearner(priya)],
    ['an administrator', 'ADMIN'],
    ['the provider that issued her credentials', asStaffOf(providers.odl.id)],
    ['a partner system of that provider', { role: 'PARTNER', sub: 'system:utn-student-records', providerId: providers.odl.id }],
    ['an employer', { role: 'EMPLOYER', sub: 'staff:perisian:hr', employerId: employers.software.id }],
    ['the public', undefined],
  ];

  it.each(someoneElse)('refuses %s with FORBIDDEN, revealing nothing', async (_, who) => {
    const response = await graph.client.query(RECORD, { as: who, variables: { reps: learnerReps([aisyah.id]) } });
    expect(codesOf(response)).toEqual(['FORBIDDEN']);
    expect(response.data?._entities[0].learnerRecord ?? null).toBeNull();
  });
});

describe('the cost of a learner record', () => {
  /** Exports a record twice (its credentials' documents are signed and stored the first time) and verifies it, with the SQL statements of each. */
  async function measure(learnerId: string) {
    const first = await graph.statementsDuring(() => recordOf(learnerId));
    const second = await graph.statementsDuring(() => recordOf(learnerId));
    return { first, second, verification: await graph.statementsDuring(() => verifyRecord(second.result)) };
  }

  // Small enough for CI; the cost per credential is the signing, measured at 10 and 100 apart.
  const [few, many] = [4, 24];

  it(`costs the same SQL statements for ${few} credentials as for ${many}, to export and to verify`, async () => {
    const [someHolder, manyHolder] = [randomUUID(), randomUUID()];
    await holdCredentials(graph.db, someHolder, providers.odl.id, few);
    await holdCredentials(graph.db, manyHolder, providers.odl.id, many);
    const small = await measure(someHolder);
    const large = await measure(manyHolder);
    expect(heldIds(large.second.result)).toHaveLength(many);
    // First export: the credentials' documents are signed and stored on the way; then only read.
    expect(large.first.statements).toBe(small.first.statements);
    expect(large.second.statements).toBe(small.second.statements);
    expect(large.second.statements).toBeLessThanOrEqual(4);
    expect([small.verification.result.verified, large.verification.result.verified]).toEqual([true, true]);
    // Issuers, keys and status lists are looked up once per verification, not once per credential held.
    expect(large.verification.statements).toBe(small.verification.statements);
    const stillUnsigned = await graph.db.select({ id: credential.id }).from(credential).where(and(eq(credential.holderId, manyHolder), isNull(credential.documentDataIntegrity)));
    expect(stillUnsigned).toEqual([]);
  });
});
