/// <reference path="./digitalbazaar.d.ts" />
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { createDocumentLoader, type ControllerResolver, type DocumentLoader } from './document-loader.ts';
import type { DidDocument } from './did.ts';
import { publicJwkOf, publicKeyObject } from './keys.ts';
import { StatusBitstring, StatusValue } from './status-list.ts';
import { JWT_CLAIMS } from './sign.ts';

export type CheckName = 'PROOF' | 'ISSUER_KEY' | 'ISSUER_KNOWN' | 'VALIDITY' | 'STATUS';
export interface Check {
  check: CheckName;
  passed: boolean;
  message: string;
}
export type DocumentFormat = 'DATA_INTEGRITY' | 'VC_JWT';

export interface VerificationResult {
  verified: boolean;
  format: DocumentFormat | null;
  /** The credential as read (for a JWT, its payload without the JWT claims); null when unreadable. */
  credential: CredentialJson | null;
  checks: Check[];
}

export interface IssuerStanding {
  known: boolean;
  inGoodStanding: boolean;
  name?: string;
}

export interface VerifyOptions {
  /** Controller documents of issuers (our own from our database: nothing is fetched). */
  resolveController: ControllerResolver;
  /** Whether the issuer is one we know and in good standing. */
  issuerStanding(issuerId: string): Promise<IssuerStanding>;
  /** The status list credential at a URL, or null when unknown. */
  loadStatusList(url: string): Promise<object | null>;
  now?: Date;
}

/**
 * A credential handed to us: any JSON object, from outside. Nothing in it is
 * trusted until a check below has looked at it (typeof, Date.parse, Number).
 */
type CredentialJson = Record<string, unknown>;
interface StatusEntry {
  type?: unknown;
  statusPurpose?: unknown;
  statusSize?: unknown;
  statusListCredential?: unknown;
  statusListIndex?: unknown;
}
interface StatusListJson {
  id?: unknown;
  issuer?: unknown;
  proof?: unknown;
  credentialSubject?: { encodedList?: unknown };
}

const ORDER: CheckName[] = ['PROOF', 'ISSUER_KEY', 'ISSUER_KNOWN', 'VALIDITY', 'STATUS'];
const problem = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Verifies a credential in either format the way a third party would, and
 * reports each check separately: the proof, the key belonging to the issuer,
 * the issuer being known and in good standing, the validity dates, the status.
 */
export async function verifyCredentialDocument(document: unknown, options: VerifyOptions): Promise<VerificationResult> {
  const now = options.now ?? new Date();
  const loader = createDocumentLoader(options.resolveController);
  const read = readDocument(document);
  if ('error' in read) {
    return { verified: false, format: null, credential: null, checks: ORDER.map((check) => ({ check, passed: false, message: read.error })) };
  }
  const { credential, format } = read;
  const issuerId = typeof credential.issuer === 'string' ? credential.issuer : (credential.issuer as { id?: unknown } | null | undefined)?.id;
  const methodId = format === 'VC_JWT' ? read.kid : proofsOf(credential)[0]?.verificationMethod;
  const controller = typeof issuerId === 'string' ? await options.resolveController(issuerId).catch(() => null) : null;

  const checks: Check[] = [
    await (format === 'VC_JWT' ? checkJwtProof(document as string, controller, methodId) : checkDataIntegrityProof(credential, loader)),
    checkIssuerKey(issuerId, controller, methodId),
    await checkIssuer(issuerId, options),
    checkValidity(credential, now),
    await checkStatus(credential, issuerId, loader, options),
  ];
  return { verified: checks.every((c) => c.passed), format, credential, checks };
}

type Read = { credential: CredentialJson; format: DocumentFormat; kid?: string } | { error: string };

function readDocument(document: unknown): Read {
  if (typeof document === 'string') {
    try {
      const header = decodeProtectedHeader(document);
      const payload = JSON.parse(Buffer.from(document.split('.')[1] ?? '', 'base64url').toString('utf8')) as CredentialJson;
      const credential = Object.fromEntries(Object.entries(payload).filter(([k]) => !(JWT_CLAIMS as readonly string[]).includes(k)));
      return { credential, format: 'VC_JWT', kid: header.kid };
    } catch (error) {
      return { error: `Not a readable VC-JWT: ${problem(error)}` };
    }
  }
  if (document && typeof document === 'object' && !Array.isArray(document)) {
    if (!('proof' in document)) return { error: 'The document carries no proof.' };
    return { credential: document, format: 'DATA_INTEGRITY' };
  }
  return { error: 'A credential is a JSON-LD object with a Data Integrity proof, or a VC-JWT string.' };
}

type ProofJson = { verificationMethod?: string };
const proofsOf = (credential: CredentialJson): ProofJson[] =>
  Array.isArray(credential.proof) ? (credential.proof as ProofJson[]) : credential.proof ? [credential.proof] : [];

async function checkDataIntegrityProof(credential: object, documentLoader: DocumentLoader): Promise<Check> {
  try {
    // Dates and status are checked (and reported) on their own below, so the library is asked about the proof alone.
    const result = await vc.verifyCredential({
      credential,
      suite: new DataIntegrityProof({ cryptosuite }),
      documentLoader,
      now: 'validFrom' in credential && typeof credential.validFrom === 'string' ? credential.validFrom : undefined,
      checkStatus: async () => ({ verified: true }),
    });
    if (result.verified) return { check: 'PROOF', passed: true, message: 'The Data Integrity proof (eddsa-rdfc-2022) is valid.' };
    const error = result.error ?? result.results?.find((r) => !r.verified)?.error;
    return { check: 'PROOF', passed: false, message: `The Data Integrity proof does not verify: ${describe(error)}` };
  } catch (error) {
    return { check: 'PROOF', passed: false, message: `The Data Integrity proof does not verify: ${problem(error)}` };
  }
}

function describe(error: unknown): string {
  if (!error) return 'unknown reason';
  const errors = (error as { errors?: unknown[] }).errors;
  if (Array.isArray(errors) && errors.length) return errors.map(problem).join('; ');
  return problem(error);
}

async function checkJwtProof(jwt: string, controller: DidDocument | null, kid: string | undefined): Promise<Check> {
  const fail = (message: string): Check => ({ check: 'PROOF', passed: false, message });
  try {
    const header = decodeProtectedHeader(jwt);
    if (header.alg !== 'EdDSA' || header.typ !== 'JWT') return fail('The JWT header must say alg EdDSA and typ JWT.');
    const method = controller?.verificationMethod.find((m) => m.id === kid);
    if (!method) return fail(`The signing key ${kid ?? '(no kid)'} cannot be resolved.`);
    const jwk = await publicJwkOf(method.id, method.controller, method.publicKeyMultibase);
    await compactVerify(jwt, publicKeyObject(jwk), { algorithms: ['EdDSA'] });
    return { check: 'PROOF', passed: true, message: 'The VC-JWT signature (EdDSA) is valid.' };
  } catch (error) {
    return fail(`The VC-JWT signature does not verify: ${problem(error)}`);
  }
}

function checkIssuerKey(issuerId: unknown, controller: DidDocument | null, methodId: string | undefined): Check {
  const check = 'ISSUER_KEY';
  if (!methodId) return { check, passed: false, message: 'The proof names no key.' };
  if (!controller) return { check, passed: false, message: `The issuer ${String(issuerId)} has no controller document to list its keys.` };
  const listed = controller.assertionMethod.includes(methodId) && controller.verificationMethod.some((m) => m.id === methodId && m.controller === issuerId);
  return listed
    ? { check, passed: true, message: `The key ${methodId} is an assertion key of the issuer.` }
    : { check, passed: false, message: `The key ${methodId} is not an assertion key of the issuer ${String(issuerId)}.` };
}

async function checkIssuer(issuerId: unknown, options: VerifyOptions): Promise<Check> {
  const check = 'ISSUER_KNOWN';
  if (typeof issuerId !== 'string') return { check, passed: false, message: 'The credential names no issuer.' };
  const standing = await options.issuerStanding(issuerId);
  if (!standing.known) return { check, passed: false, message: `The issuer ${issuerId} is not a provider known to this platform.` };
  if (!standing.inGoodStanding) return { check, passed: false, message: `The issuer ${standing.name ?? issuerId} is not in good standing.` };
  return { check, passed: true, message: `Issued by ${standing.name ?? issuerId}, a provider in good standing.` };
}

function checkValidity(credential: CredentialJson, now: Date): Check {
  const check = 'VALIDITY';
  // String() is what Date.parse and a template literal would do to the value anyway.
  const validFrom = String(credential.validFrom);
  // An object gets no further than Date.parse below: '[object Object]' is not a date.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  const validUntil = credential.validUntil === undefined ? undefined : String(credential.validUntil);
  const from = Date.parse(validFrom);
  const until = validUntil === undefined ? undefined : Date.parse(validUntil);
  if (Number.isNaN(from) || (until !== undefined && Number.isNaN(until))) return { check, passed: false, message: 'validFrom / validUntil are not dates.' };
  if (now.getTime() < from) return { check, passed: false, message: `Not valid before ${validFrom}.` };
  if (until !== undefined && now.getTime() >= until) return { check, passed: false, message: `Expired on ${validUntil}.` };
  return { check, passed: true, message: until === undefined ? `Valid since ${validFrom}, without expiry.` : `Valid until ${validUntil}.` };
}

/** Verified status lists, by URL and proof, so a list is checked once however many credentials point at it. */
const verifiedLists = new Map<string, StatusBitstring>();

async function checkStatus(credential: CredentialJson, issuerId: unknown, documentLoader: DocumentLoader, options: VerifyOptions): Promise<Check> {
  const check = 'STATUS';
  const entry = credential.credentialStatus as StatusEntry | null | undefined;
  if (!entry) return { check, passed: true, message: 'The credential has no status entry: it cannot be revoked.' };
  if (entry.type !== 'BitstringStatusListEntry' || entry.statusPurpose !== 'message' || Number(entry.statusSize) !== 2) {
    return { check, passed: false, message: 'Unsupported status entry.' };
  }
  // The loader knows its own URLs; whatever else the entry names, it finds nothing.
  const listUrl = entry.statusListCredential as string;
  const list = (await options.loadStatusList(listUrl)) as StatusListJson | null;
  if (!list) return { check, passed: false, message: `The status list ${String(listUrl)} cannot be found.` };
  if (list.issuer !== issuerId) return { check, passed: false, message: 'The status list was not issued by the issuer of the credential.' };
  const cacheKey = `${String(list.id)}|${JSON.stringify(list.proof)}|${String((list.credentialSubject?.encodedList as string | undefined)?.length)}`;
  let bitstring = verifiedLists.get(cacheKey);
  if (!bitstring) {
    const proof = await checkDataIntegrityProof(list, documentLoader);
    if (!proof.passed) return { check, passed: false, message: `The status list's own proof fails: ${proof.message}` };
    bitstring = StatusBitstring.decode(list.credentialSubject!.encodedList as string);
    if (verifiedLists.size > 1000) verifiedLists.clear();
    verifiedLists.set(cacheKey, bitstring);
  }
  const value = bitstring.get(Number(entry.statusListIndex));
  if (value === StatusValue.REVOKED) return { check, passed: false, message: 'Revoked by the issuer.' };
  if (value === StatusValue.SUSPENDED) return { check, passed: false, message: 'Suspended by the issuer.' };
  if (value !== StatusValue.VALID) return { check, passed: false, message: `Unknown status value ${String(value)}.` };
  return { check, passed: true, message: 'Neither revoked nor suspended.' };
}
