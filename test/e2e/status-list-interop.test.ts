import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list';
import { messageStatusEntry, StatusBitstring } from '@tauliah/credentials-vc';
import { courseByCode, demoId, learners } from '@tauliah/demo-data';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtPayload, onServer, outsideLoader } from '../../services/credentials/test/signed-support.ts';

/**
 * Leak 8: our status entries were 2-bit `message` entries, which the Digital
 * Bazaar status-list library (what DCC's verifier-core and much of the VC
 * ecosystem check status with) reads as one bit: a credential we revoked looked
 * valid to it. Here that library is an independent verifier: it fetches our
 * status list over HTTP, checks its proof against the issuer's did.json, and
 * reads the credential's entry.
 */
let graph: TestGraph;
const learner = learners[2]!;

const ISSUE = `mutation($input: IssueCredentialInput!) { issueCredential(input: $input) { id di: document(format: DATA_INTEGRITY) jwt: document(format: VC_JWT) } }`;
const CHANGE = (name: string) => `mutation($id: ID!, $reason: String!) { ${name}(id: $id, reason: $reason) { id status } }`;
const REINSTATE = `mutation($id: ID!) { reinstateCredential(id: $id) { id status } }`;
const VERIFY = `query($id: ID!, $format: CredentialFormat!) { verifyCredential(id: $id, format: $format) { verified checks { check passed message } } }`;
const VERIFY_DOCUMENT = `query($document: JSON!) { verifyCredentialDocument(document: $document) { verified checks { check passed message } } }`;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const credentialsUrl = () => graph.subgraph.credentials.url;

/** Digital Bazaar's documentLoader for an outside verifier: our status lists and DID documents over HTTP, the bundled contexts. */
function statusLoader() {
  const base = outsideLoader(credentialsUrl());
  return async (url: string) => {
    if (url.includes('/status-lists/')) {
      const response = await fetch(onServer(credentialsUrl(), url));
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      return { contextUrl: null, documentUrl: url, document: (await response.json()) as object };
    }
    return base(url);
  };
}

/** What the library says about a credential: its `status` bit (true: revoked, for a revocation entry). */
async function outsideStatus(credential: object): Promise<boolean> {
  const result = await checkStatus({ credential, documentLoader: statusLoader(), suite: new DataIntegrityProof({ cryptosuite }), verifyBitstringStatusListCredential: true });
  expect(result.verified, String(result.error)).toBe(true);
  return result.results![0]!.status;
}

const issue = async (code: string) =>
  (await graph.gateway.ok(ISSUE, { as: 'PROVIDER_STAFF', variables: { input: { learnerId: learner.id, courseId: courseByCode.get(code)!.id } } })).issueCredential as {
    id: string;
    di: Record<string, unknown> & { credentialStatus: { statusListCredential: string; statusListIndex: string } };
    jwt: string;
  };
const statusCheck = async (id: string, format: 'DATA_INTEGRITY' | 'VC_JWT') =>
  (await graph.gateway.ok(VERIFY, { as: 'PROVIDER_STAFF', variables: { id, format } })).verifyCredential as { verified: boolean; checks: Array<{ check: string; passed: boolean; message: string }> };

describe('revocation other verifiers can see', () => {
  it('carries one 1-bit revocation entry that Digital Bazaar reads as revoked once we revoke', async () => {
    const { id, di, jwt } = await issue('SE1301');
    expect(di.credentialStatus).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation' });
    expect(jwtPayload(jwt).credentialStatus).toEqual(di.credentialStatus);
    expect(await outsideStatus(di)).toBe(false);

    await graph.gateway.ok(CHANGE('revokeCredential'), { as: 'PROVIDER_STAFF', variables: { id, reason: 'Assessment misconduct' } });
    expect(await outsideStatus(di)).toBe(true);
    expect(await outsideStatus(jwtPayload(jwt))).toBe(true);
    // Our own verifier still tells revoked from suspended.
    for (const format of ['DATA_INTEGRITY', 'VC_JWT'] as const) {
      const result = await statusCheck(id, format);
      expect(result.checks.filter((c) => !c.passed)).toEqual([{ check: 'STATUS', passed: false, message: 'Revoked by the issuer.' }]);
    }
    const handed = (await graph.gateway.ok(VERIFY_DOCUMENT, { variables: { document: di } })).verifyCredentialDocument;
    expect(handed.checks.find((c: { check: string }) => c.check === 'STATUS')).toEqual({ check: 'STATUS', passed: false, message: 'Revoked by the issuer.' });
  });

  it('shows a suspended credential as not valid to Digital Bazaar, as suspended to our verifier, and valid again once reinstated', async () => {
    const { id, di } = await issue('SE1302');
    await graph.gateway.ok(CHANGE('suspendCredential'), { as: 'PROVIDER_STAFF', variables: { id, reason: 'Under review' } });
    expect(await outsideStatus(di)).toBe(true);
    const suspended = await statusCheck(id, 'DATA_INTEGRITY');
    expect(suspended.checks.filter((c) => !c.passed)).toEqual([{ check: 'STATUS', passed: false, message: 'Suspended by the issuer.' }]);
    // The companion suspension list is a Bitstring Status List of its own that says so.
    const suspensionList = (await (await fetch(onServer(credentialsUrl(), `${di.credentialStatus.statusListCredential}/suspension`))).json()) as {
      credentialSubject: { statusPurpose: string; encodedList: string };
    };
    expect(suspensionList.credentialSubject.statusPurpose).toBe('suspension');
    expect(StatusBitstring.decode(suspensionList.credentialSubject.encodedList, 1).get(Number(di.credentialStatus.statusListIndex))).toBe(1);

    await graph.gateway.ok(REINSTATE, { as: 'PROVIDER_STAFF', variables: { id } });
    expect(await outsideStatus(di)).toBe(false);
    expect((await statusCheck(id, 'VC_JWT')).verified).toBe(true);
  });

  it('gives the seeded demo credentials revocation entries too', async () => {
    const di = (await graph.gateway.ok(`query($id: ID!) { credential(id: $id) { document(format: DATA_INTEGRITY) } }`, { as: 'ADMIN', variables: { id: demoId('credential:aisyah:SE1101') } }))
      .credential.document;
    expect(di.credentialStatus.statusPurpose).toBe('revocation');
    expect(await outsideStatus(di)).toBe(false);
  });

  it('keeps serving and reading the 2-bit message list of a credential issued before', async () => {
    // A database from before: a credential on a `message` list, its documents carrying the 2-bit entry.
    const { id } = await issue('SE2101');
    const [list] = await graph.connection.query<{ id: string; provider_id: string }>(
      `insert into credentials.status_list (provider_id, bits) select issuer_id, decode(repeat('00', 32768), 'hex') from credentials.credential where id = $1 returning id, provider_id`,
      [id],
    );
    const [{ document }] = (await graph.connection.query<{ document: Record<string, unknown> & { credentialStatus: { statusListCredential: string } } }>(
      `select document from credentials.credential where id = $1`,
      [id],
    )) as [{ document: Record<string, unknown> & { credentialStatus: { statusListCredential: string } } }];
    const listUrl = document.credentialStatus.statusListCredential.replace(/[^/]+$/, list!.id);
    const legacy = {
      ...document,
      credentialStatus: messageStatusEntry({ listUrl, index: 7 }),
    };
    await graph.connection.query(
      `update credentials.credential set status_list_id = $2, status_index = 7, document = $3::jsonb, document_jwt = null, document_data_integrity = null where id = $1`,
      [id, list!.id, JSON.stringify(legacy)],
    );
    const served = (await (await fetch(onServer(credentialsUrl(), listUrl))).json()) as { credentialSubject: { statusPurpose: string } };
    expect(served.credentialSubject.statusPurpose).toBe('message');
    expect((await statusCheck(id, 'DATA_INTEGRITY')).verified).toBe(true);
    await graph.gateway.ok(CHANGE('suspendCredential'), { as: 'PROVIDER_STAFF', variables: { id, reason: 'Under review' } });
    expect((await statusCheck(id, 'VC_JWT')).checks.find((c) => c.check === 'STATUS')!.message).toBe('Suspended by the issuer.');
    await graph.gateway.ok(CHANGE('revokeCredential'), { as: 'PROVIDER_STAFF', variables: { id, reason: 'Withdrawn' } });
    expect((await statusCheck(id, 'DATA_INTEGRITY')).checks.find((c) => c.check === 'STATUS')!.message).toBe('Revoked by the issuer.');
  });
});
