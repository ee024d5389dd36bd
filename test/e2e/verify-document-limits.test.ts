import { demoId } from '@tauliah/demo-data';
import { codesOf } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The edge under abuse: public `verifyCredentialDocument` (no account) did
 * canonicalisation and signature checks on whatever it was handed, however
 * large, with however many proofs. A document over the size cap, or with more
 * than one proof, is refused with BAD_USER_INPUT before any cryptography.
 */
let graph: TestGraph;
const se1101 = demoId('credential:aisyah:SE1101');
const DOCUMENT = `query($id: ID!, $format: CredentialFormat!) { credential(id: $id) { document(format: $format) } }`;
const VERIFY_DOCUMENT = `query($document: JSON!) { verifyCredentialDocument(document: $document) { verified checks { check passed } } }`;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const documentOf = async (format: 'DATA_INTEGRITY' | 'VC_JWT') => (await graph.gateway.ok(DOCUMENT, { as: 'ADMIN', variables: { id: se1101, format } })).credential.document;
const verify = (document: unknown) => graph.gateway.query(VERIFY_DOCUMENT, { variables: { document } });

describe('public verifyCredentialDocument limits', () => {
  it('verifies a genuine document of ordinary size in either format', async () => {
    for (const document of [await documentOf('DATA_INTEGRITY'), await documentOf('VC_JWT')]) {
      const response = await verify(document);
      expect(response.errors).toBeUndefined();
      expect(response.data!.verifyCredentialDocument.verified).toBe(true);
    }
  });

  it('refuses a document over the size cap (64 KiB by default) with BAD_USER_INPUT', async () => {
    const di = await documentOf('DATA_INTEGRITY');
    const padded = { ...di, description: 'x'.repeat(70 * 1024) };
    const response = await verify(padded);
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toMatch(/at most 65536/);
    const jwt = `${(await documentOf('VC_JWT')) as string}${'A'.repeat(70 * 1024)}`;
    expect(codesOf(await verify(jwt))).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses more than one proof: a Data Integrity proof array, or a VC-JWT with an embedded proof', async () => {
    const di = await documentOf('DATA_INTEGRITY');
    const proof = Array.isArray(di.proof) ? di.proof[0] : di.proof;
    const twice = await verify({ ...di, proof: [proof, { ...proof, proofValue: `${proof.proofValue}x` }] });
    expect(codesOf(twice)).toEqual(['BAD_USER_INPUT']);
    expect(twice.errors![0]!.message).toMatch(/exactly one proof/);
    expect(codesOf(await verify({ ...di, proof: [] }))).toEqual(['BAD_USER_INPUT']);
    // A JWT whose payload also carries a Data Integrity proof: which one would be believed?
    const jwt = (await documentOf('VC_JWT')) as string;
    const header = JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString());
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
    const unsigned = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify({ ...payload, proof })).toString('base64url')}`;
    const both = await verify(`${unsigned}.${jwt.split('.')[2]}`);
    expect(codesOf(both)).toEqual(['BAD_USER_INPUT']);
    expect(both.errors![0]!.message).toMatch(/embedded/);
  });
});
