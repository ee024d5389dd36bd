/// <reference path="./digitalbazaar.d.ts" />
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { BoundedCache } from '@tauliah/core/bounded-cache';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { isClrCredential, MAX_RECORD_CREDENTIALS, recordCredentials } from './clr.ts';
import { createDocumentLoader, type ControllerResolver, type DocumentLoader } from './document-loader.ts';
import type { DidDocument } from './did.ts';
import { publicJwkOf, publicKeyObject } from './keys.ts';
import { StatusBitstring, StatusValue, SUSPENSION_LIST_SUFFIX } from './status-list.ts';
import { JWT_CLAIMS } from './sign.ts';

export type CheckName = 'PROOF' | 'ISSUER_KEY' | 'KEY_STANDING' | 'ISSUER_KNOWN' | 'VALIDITY' | 'STATUS';
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
  /** For a learner record (a CLR 2.0 ClrCredential) only: the credentials it holds, each verified on its own. Null otherwise. */
  held: HeldCredentials | null;
}

/**
 * What a learner record holds, checked: passed when every credential in it
 * verifies on its own and is about the record's subject. Counts in `verified`
 * beside the record's own checks.
 */
export interface HeldCredentials {
  passed: boolean;
  message: string;
  /** Each credential it holds, verified on its own, in the record's order. */
  results: VerificationResult[];
}

export interface IssuerStanding {
  known: boolean;
  inGoodStanding: boolean;
  name?: string;
  /**
   * When a regulator suspended the issuer, if it is suspended now. What it
   * issued while in good standing stays valid: a credential the issuer's
   * record shows issued before then passes (onRecordBefore).
   */
  suspendedFrom?: Date | null;
  /** The platform itself (signer of learner records), not a provider. */
  platform?: boolean;
}

export interface VerifyOptions {
  /** Controller documents of issuers (our own from our database: nothing is fetched). */
  resolveController: ControllerResolver;
  /** Whether the issuer is one we know and in good standing. */
  issuerStanding(issuerId: string): Promise<IssuerStanding>;
  /** The status list credential at a URL, or null when unknown. */
  loadStatusList(url: string): Promise<object | null>;
  /** When the key was reported compromised, or null when it was not (or is not known). */
  keyCompromisedFrom?(methodId: string): Promise<Date | null>;
  /**
   * Whether the issuer's own record shows exactly this document (as presented)
   * issued before `time`: a signature cannot prove when it was made, so only a
   * record kept apart from the key can vouch for a credential signed by a key
   * reported compromised.
   */
  onRecordBefore?(document: unknown, credential: Record<string, unknown>, time: Date): Promise<boolean>;
  /**
   * Checks a document's proof through `check`, or answers with the PROOF check
   * it remembers for exactly this document: a signed document never changes,
   * so a verifier may check its proof once (what may be remembered, and for
   * how long, is the caller's to decide). Without it, every proof is checked.
   */
  proofOnce?: (document: unknown, credential: Record<string, unknown>, check: () => Promise<Check>) => Promise<Check>;
  now?: Date;
}

/** The most a document handed to us may weigh (UTF-8 bytes of its JSON, or of the JWT), by default. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 64 * 1024;
/** The most a learner record (a ClrCredential, which embeds whole credentials: ~3 KiB each) may weigh, by default. */
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

/**
 * Why a document handed to us for verification is refused before any
 * cryptography, or null when it may be verified: over `maxBytes`, or with
 * other than one proof (a Data Integrity `proof` array of several, or a
 * VC-JWT whose payload embeds a proof as well). A learner record (a
 * ClrCredential) may weigh up to `maxRecordBytes` and hold at most
 * MAX_RECORD_CREDENTIALS credentials, each with one proof: each is verified too.
 */
export function documentLimitProblem(document: unknown, maxBytes: number = DEFAULT_MAX_DOCUMENT_BYTES, maxRecordBytes: number = DEFAULT_MAX_RECORD_BYTES): string | null {
  const size = typeof document === 'string' ? Buffer.byteLength(document) : Buffer.byteLength(JSON.stringify(document) ?? '');
  if (isClrCredential(document)) {
    if (size > maxRecordBytes) return `The learner record is ${size} bytes; at most ${maxRecordBytes} are verified.`;
    const held = recordCredentials(document as CredentialJson);
    if (held.length > MAX_RECORD_CREDENTIALS) return `The learner record holds ${held.length} credentials; at most ${MAX_RECORD_CREDENTIALS} are verified.`;
    const problems = held.map((credential) => (isClrCredential(credential) ? 'A learner record inside a learner record is not verified.' : oneProofProblem(credential)));
    const first = problems.findIndex((p) => p !== null);
    return first < 0 ? oneProofProblem(document) : `Credential ${first + 1} of the learner record: ${problems[first]}`;
  }
  if (size > maxBytes) return `The document is ${size} bytes; at most ${maxBytes} are verified.`;
  return oneProofProblem(document);
}

function oneProofProblem(document: unknown): string | null {
  if (typeof document === 'string') {
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(document.split('.')[1] ?? '', 'base64url').toString('utf8'));
    } catch {
      return null; // Not a readable JWT: the verification reports that on its own.
    }
    if (payload && typeof payload === 'object' && 'proof' in payload) return 'A VC-JWT is its own proof: one with an embedded `proof` as well is refused.';
    return null;
  }
  if (document && typeof document === 'object' && 'proof' in document) {
    const { proof } = document;
    if (Array.isArray(proof) && proof.length !== 1) return `A document must carry exactly one proof; this one has ${proof.length}.`;
  }
  return null;
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
  credentialSubject?: { encodedList?: unknown; statusPurpose?: unknown };
}

const ORDER: CheckName[] = ['PROOF', 'ISSUER_KEY', 'KEY_STANDING', 'ISSUER_KNOWN', 'VALIDITY', 'STATUS'];
const unread = (error: string): VerificationResult => ({ verified: false, format: null, credential: null, checks: ORDER.map((check) => ({ check, passed: false, message: error })), held: null });
const problem = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Verifies a credential in either format the way a third party would, and
 * reports each check separately: the proof, the key belonging to the issuer,
 * the issuer being known and in good standing, the validity dates, the status.
 * A learner record (a CLR 2.0 ClrCredential) is checked the same way for its
 * own proof (the platform's), then each credential it holds on its own (`held`).
 */
export async function verifyCredentialDocument(document: unknown, options: VerifyOptions): Promise<VerificationResult> {
  const now = options.now ?? new Date();
  const read = readDocument(document);
  if ('error' in read) return unread(read.error);
  if (!isClrCredential(read.credential)) return verifyRead(document, read, { ...options, now });
  const record = await verifyRead(document, read, { ...options, now });
  const held = await verifyHeld(read.credential, { ...options, now });
  return { ...record, verified: record.verified && held.passed, held };
}

async function verifyRead(document: unknown, read: Readable, options: VerifyOptions & { now: Date }): Promise<VerificationResult> {
  const { now } = options;
  const loader = createDocumentLoader(options.resolveController);
  const { credential, format } = read;
  const issuerId = typeof credential.issuer === 'string' ? credential.issuer : (credential.issuer as { id?: unknown } | null | undefined)?.id;
  const methodId = format === 'VC_JWT' ? read.kid : proofsOf(credential)[0]?.verificationMethod;
  const controller = typeof issuerId === 'string' ? await options.resolveController(issuerId).catch(() => null) : null;

  const checkProof = () => (format === 'VC_JWT' ? checkJwtProof(document as string, controller, methodId) : checkDataIntegrityProof(credential, loader));
  const checks: Check[] = [
    await (options.proofOnce ? options.proofOnce(document, credential, checkProof) : checkProof()),
    checkIssuerKey(issuerId, controller, methodId),
    await checkKeyStanding(methodId, document, credential, options),
    await checkIssuer(issuerId, document, credential, options),
    checkValidity(credential, now),
    await checkStatus(credential, issuerId, loader, options),
  ];
  return { verified: checks.every((c) => c.passed), format, credential, checks, held: null };
}

/**
 * The credentials a learner record holds, each verified on its own as any
 * third party would (a record inside a record is not), and about the record's
 * own subject: the platform's signature says the record is as exported, not
 * that what it holds still stands, so a credential revoked since fails here.
 */
async function verifyHeld(record: CredentialJson, options: VerifyOptions & { now: Date }): Promise<HeldCredentials> {
  const held = recordCredentials(record);
  if (held.length === 0) return { passed: false, message: 'The learner record holds no credentials.', results: [] };
  const subjectOf = (credential: CredentialJson | null) => {
    const subject = credential?.credentialSubject;
    return (Array.isArray(subject) ? (subject[0] as { id?: unknown } | undefined) : (subject as { id?: unknown } | undefined))?.id;
  };
  const recordSubject = subjectOf(record);
  const results: VerificationResult[] = [];
  const failures: string[] = [];
  for (const [i, document] of held.entries()) {
    const read = readDocument(document);
    const result = 'error' in read ? unread(read.error) : isClrCredential(read.credential) ? unread('A learner record inside a learner record is not verified.') : await verifyRead(document, read, options);
    results.push(result);
    const name = typeof result.credential?.id === 'string' ? result.credential.id : `credential ${i + 1}`;
    const failed = result.checks.filter((c) => !c.passed);
    if (failed.length > 0) failures.push(`${name}: ${failed.map((c) => `${c.check} (${c.message})`).join(', ')}`);
    else if (typeof recordSubject !== 'string' || subjectOf(result.credential) !== recordSubject) failures.push(`${name}: it is not about the record's subject.`);
  }
  if (failures.length === 0) return { passed: true, message: `Each of the ${held.length} credentials it holds verifies on its own and is about the record's subject.`, results };
  return { passed: false, message: `${failures.length} of the ${held.length} credentials it holds do not stand: ${failures.join('; ')}`, results };
}

type Readable = { credential: CredentialJson; format: DocumentFormat; kid?: string };
type Read = Readable | { error: string };

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

async function checkKeyStanding(methodId: string | undefined, document: unknown, credential: CredentialJson, options: VerifyOptions): Promise<Check> {
  const check = 'KEY_STANDING';
  if (!methodId) return { check, passed: false, message: 'The proof names no key.' };
  const from = (await options.keyCompromisedFrom?.(methodId)) ?? null;
  if (!from) return { check, passed: true, message: `The key ${methodId} has not been reported compromised.` };
  const when = from.toISOString();
  if (await options.onRecordBefore?.(document, credential, from)) {
    return { check, passed: true, message: `The key was reported compromised from ${when}, but the issuer's record shows this very credential issued before then.` };
  }
  return {
    check,
    passed: false,
    message: `The key ${methodId} was reported compromised from ${when}: anyone may have signed with it since, and the issuer's record does not show this credential issued before then.`,
  };
}

async function checkIssuer(issuerId: unknown, document: unknown, credential: CredentialJson, options: VerifyOptions): Promise<Check> {
  const check = 'ISSUER_KNOWN';
  if (typeof issuerId !== 'string') return { check, passed: false, message: 'The credential names no issuer.' };
  const standing = await options.issuerStanding(issuerId);
  const name = standing.name ?? issuerId;
  if (!standing.known) return { check, passed: false, message: `The issuer ${issuerId} is not a provider known to this platform.` };
  if (standing.inGoodStanding) return { check, passed: true, message: standing.platform ? `Issued by ${name}, this platform itself.` : `Issued by ${name}, a provider in good standing.` };
  const from = standing.suspendedFrom ?? null;
  if (from && (await options.onRecordBefore?.(document, credential, from))) {
    return { check, passed: true, message: `Issued by ${name} while in good standing; it has been suspended since ${from.toISOString()}.` };
  }
  return { check, passed: false, message: `The issuer ${name} is not in good standing.` };
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

/**
 * Verified status lists, by URL and proof, so a list is checked once however
 * many credentials point at it; the least recently used of more than 1,000
 * are checked again when next asked.
 */
const verifiedLists = new BoundedCache<string, StatusBitstring>(1_000);

/**
 * The credential's status from its one status entry. A credential without one
 * fails: every credential our issuers sign carries one, so a document without
 * it (or naming a list that is not its issuer's) could never be revoked, and
 * is not one they issued. A `revocation` entry (1 bit) is read like any
 * Bitstring Status List verifier reads it; when set, the list's companion
 * `suspension` list says whether it is only suspended. A `message` entry (2
 * bits) is how credentials issued before were marked.
 */
async function checkStatus(credential: CredentialJson, issuerId: unknown, documentLoader: DocumentLoader, options: VerifyOptions): Promise<Check> {
  const check = 'STATUS';
  const fail = (message: string): Check => ({ check, passed: false, message });
  const entry = credential.credentialStatus as StatusEntry | StatusEntry[] | null | undefined;
  if (!entry && isClrCredential(credential)) {
    return { check, passed: true, message: 'A learner record is a snapshot signed when exported, with no status of its own: each credential it holds is checked for its own.' };
  }
  if (!entry) return fail("The credential carries no status entry, so its issuer could never revoke it: every credential our issuers sign has one.");
  if (Array.isArray(entry) || typeof entry !== 'object') return fail('The credential must carry exactly one status entry.');
  const legacy = entry.statusPurpose === 'message' && Number(entry.statusSize) === 2;
  const revocation = entry.statusPurpose === 'revocation' && (entry.statusSize === undefined || Number(entry.statusSize) === 1);
  if (entry.type !== 'BitstringStatusListEntry' || !(legacy || revocation)) return fail('Unsupported status entry.');
  const listUrl = entry.statusListCredential;
  if (typeof listUrl !== 'string') return fail('The status entry names no status list.');
  const read = await readList(listUrl, entry.statusPurpose, legacy ? 2 : 1, issuerId, documentLoader, options);
  if ('error' in read) return fail(read.error);
  const index = Number(entry.statusListIndex);
  if (!Number.isInteger(index) || index < 0 || index >= read.bitstring.entries) return fail(`The status index ${String(entry.statusListIndex)} is outside the list.`);
  const bits = read.bitstring.get(index);
  let value = bits as StatusValue;
  if (revocation && bits === 1) {
    // Set on the revocation list: revoked, unless the companion list says only suspended.
    const suspension = await readList(`${listUrl}${SUSPENSION_LIST_SUFFIX}`, 'suspension', 1, issuerId, documentLoader, options);
    value = !('error' in suspension) && suspension.bitstring.get(index) === 1 ? StatusValue.SUSPENDED : StatusValue.REVOKED;
  }
  if (value === StatusValue.REVOKED) return fail('Revoked by the issuer.');
  if (value === StatusValue.SUSPENDED) return fail('Suspended by the issuer.');
  if (value !== StatusValue.VALID) return fail(`Unknown status value ${String(value)}.`);
  return { check, passed: true, message: 'Neither revoked nor suspended.' };
}

async function readList(
  listUrl: string,
  purpose: unknown,
  size: 1 | 2,
  issuerId: unknown,
  documentLoader: DocumentLoader,
  options: VerifyOptions,
): Promise<{ bitstring: StatusBitstring } | { error: string }> {
  // The loader knows its own URLs; whatever else the entry names, it finds nothing.
  const list = (await options.loadStatusList(listUrl)) as StatusListJson | null;
  if (!list) return { error: `The status list ${listUrl} cannot be found.` };
  if (list.issuer !== issuerId) return { error: 'The status list was not issued by the issuer of the credential.' };
  if (list.credentialSubject?.statusPurpose !== purpose) return { error: `The status list is not a ${String(purpose)} list.` };
  const cacheKey = `${String(list.id)}|${JSON.stringify(list.proof)}|${String((list.credentialSubject?.encodedList as string | undefined)?.length)}`;
  let bitstring = verifiedLists.get(cacheKey);
  if (!bitstring) {
    const proof = await checkDataIntegrityProof(list, documentLoader);
    if (!proof.passed) return { error: `The status list's own proof fails: ${proof.message}` };
    try {
      bitstring = StatusBitstring.decode(list.credentialSubject!.encodedList as string, size);
    } catch (error) {
      return { error: `The status list cannot be read: ${problem(error)}` };
    }
    verifiedLists.set(cacheKey, bitstring);
  }
  return { bitstring };
}
