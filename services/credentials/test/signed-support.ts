import { createDocumentLoader, type DidDocument } from '@tauliah/credentials-vc';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';

/** 1EdTech's OB 3.0 AchievementCredential JSON Schema, as copied into credentials-vc. */
const schema = JSON.parse(
  readFileSync(new URL('../../../packages/credentials-vc/test/fixtures/ob_v3p0_achievementcredential_schema.json', import.meta.url), 'utf8'),
);
const ajv = new Ajv2019.default({ strict: false, allErrors: true });
addFormats.default(ajv);
export const validateOb3 = ajv.compile(schema);

/** The payload of a compact JWT. */
export const jwtPayload = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

/** Where a document URL minted under the default base lives on the server under test (tests listen on any free port). */
export const onServer = (graphqlUrl: string, documentUrl: string) => new URL(new URL(documentUrl).pathname, graphqlUrl).toString();

/** A did:web resolved the way an outside verifier would: over HTTP, from the issuer's did.json (here on the server under test). */
export async function fetchDidDocument(graphqlUrl: string, did: string): Promise<DidDocument> {
  const path = did.split(':').slice(3).map(decodeURIComponent).join('/');
  const response = await fetch(new URL(`/${path}/did.json`, graphqlUrl));
  if (!response.ok) throw new Error(`did.json answered ${response.status}`);
  return (await response.json()) as DidDocument;
}

/** A document loader for an outside verifier: the bundled contexts plus DID documents fetched over HTTP. */
export const outsideLoader = (graphqlUrl: string) => createDocumentLoader(async (id) => (id.startsWith('did:web:') ? fetchDidDocument(graphqlUrl, id) : null));
