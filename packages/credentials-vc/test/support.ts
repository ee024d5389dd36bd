import {
  buildOpenBadgeCredential,
  buildStatusListCredential,
  didDocument,
  didWebFor,
  generateIssuerKey,
  signDataIntegrity,
  StatusBitstring,
  type DidDocument,
  type IssuerKey,
  type VerifyOptions,
} from '../src/index.ts';

/** An issuer with its key, DID document and status list, all in memory: what the service keeps in its database. */
export async function testIssuer(base = 'https://tauliah.example') {
  const did = didWebFor(base, 'issuers', 'p1');
  const { key } = await generateIssuerKey(did);
  const keys: IssuerKey[] = [key];
  const listUrl = `${base}/status-lists/l1`;
  const bitstring = new StatusBitstring();
  const documents = new Map<string, DidDocument>();
  const publish = () => documents.set(did, didDocument(did, keys));
  publish();
  const options: VerifyOptions = {
    resolveController: async (id) => documents.get(id) ?? null,
    issuerStanding: async (id) => ({ known: documents.has(id), inGoodStanding: true, name: 'Test University' }),
    loadStatusList: async (url) =>
      url === listUrl ? signDataIntegrity(buildStatusListCredential({ listUrl, issuer: did, validFrom: new Date('2025-01-01'), bitstring }), keys.at(-1)!) : null,
  };
  const credential = (index: number, overrides: { validUntil?: Date | null; validFrom?: Date } = {}) =>
    buildOpenBadgeCredential({
      id: `${base}/credentials/c${index}`,
      issuer: { id: did, name: 'Test University', url: 'https://uni.example' },
      subjectId: 'urn:uuid:6f1c2f7e-3c55-4b1c-9a53-4b5b8f7c2a11',
      achievement: {
        id: `${base}/courses/SE1101`,
        code: 'SE1101',
        name: 'Programming with Python',
        description: 'Variables, control flow, functions.',
        learningOutcomes: ['Write small programs', 'Test them'],
        skills: [{ code: 'PROG-FUND', name: 'Programming fundamentals', url: `${base}/skills/PROG-FUND` }],
        credits: 5,
        mqfLevel: 4,
      },
      validFrom: overrides.validFrom ?? new Date('2025-06-01T00:00:00Z'),
      validUntil: overrides.validUntil === undefined ? null : overrides.validUntil,
      status: { listUrl, index },
    });
  return { did, keys, bitstring, options, credential, documents, publish };
}
