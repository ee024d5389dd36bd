import {
  buildOpenBadgeCredential,
  buildStatusListCredential,
  didDocument,
  didWebFor,
  generateIssuerKey,
  signDataIntegrity,
  StatusBitstring,
  StatusValue,
  SUSPENSION_LIST_SUFFIX,
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
  const bitstring = new StatusBitstring(undefined, 1);
  const suspensions = new StatusBitstring(undefined, 1);
  /** Marks a credential as the service does: the revocation bit while revoked or suspended, the suspension bit while suspended. */
  const setStatus = (index: number, value: StatusValue) => {
    bitstring.set(index, value === StatusValue.VALID ? 0 : 1);
    suspensions.set(index, value === StatusValue.SUSPENDED ? 1 : 0);
  };
  const list = (url: string, purpose: 'revocation' | 'suspension', bits: StatusBitstring) =>
    signDataIntegrity(buildStatusListCredential({ listUrl: url, issuer: did, validFrom: new Date('2025-01-01'), bitstring: bits, purpose }), keys.at(-1)!);
  const documents = new Map<string, DidDocument>();
  const publish = () => documents.set(did, didDocument(did, keys));
  publish();
  const options: VerifyOptions = {
    resolveController: async (id) => documents.get(id) ?? null,
    issuerStanding: async (id) => ({ known: documents.has(id), inGoodStanding: true, name: 'Test University' }),
    loadStatusList: async (url) =>
      url === listUrl ? list(url, 'revocation', bitstring) : url === `${listUrl}${SUSPENSION_LIST_SUFFIX}` ? list(url, 'suspension', suspensions) : null,
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
  return { did, keys, bitstring, setStatus, options, credential, documents, publish };
}
