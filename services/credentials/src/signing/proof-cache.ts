import type { Check, DidDocument, VerifyOptions } from '@tauliah/credentials-vc';
import { BoundedCache } from '@tauliah/core';
import { createHash } from 'node:crypto';

/**
 * Checks a document's proof through `check`, or answers with the PROOF check
 * remembered for it. The verifier (packages/credentials-vc) asks this before
 * checking a proof, when given it.
 */
export type ProofOnce = (document: unknown, credential: Record<string, unknown>, check: () => Promise<Check>) => Promise<Check>;

/** Proofs remembered per process: the demo set many times over, and a busy day's worth of verified credentials; the least recently asked for goes first. */
export const REMEMBERED_PROOFS = 20_000;

interface Remembered {
  check: Check;
  /** The controller documents the proof was checked with (the issuer's, and any the check resolved), by id, as digests. */
  controllers: Array<[id: string, digest: string]>;
}

/** Passed proofs, least recently asked for first: bounded, so it never holds more than `capacity`. */
export class ProofMemory extends BoundedCache<string, Remembered> {
  constructor(readonly capacity: number = REMEMBERED_PROOFS) {
    super(capacity);
  }
}

/** This process's proofs. */
export const rememberedProofs = new ProofMemory();

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/** Digests of controller documents, by document: within a verification each is resolved once, and asked about once per proof. */
const digests = new WeakMap<DidDocument, string>();
const digestOf = (document: DidDocument | null): string | null => {
  if (!document) return null;
  let digest = digests.get(document);
  if (digest === undefined) digests.set(document, (digest = sha256(JSON.stringify(document))));
  return digest;
};

/**
 * Where a proof is remembered: the credential's id and a digest of the exact
 * document as presented (the JWT's characters; the JSON of a Data Integrity
 * document, so one changed byte anywhere is another document). Null for a
 * document whose proof check could depend on the clock: the library checks a
 * Data Integrity proof as of `validFrom` when that is a string, and as of now
 * otherwise. A VC-JWT's signature check reads no clock.
 */
function keyOf(document: unknown, credential: Record<string, unknown>): string | null {
  if (typeof credential.id !== 'string') return null;
  if (typeof document === 'string') return `VC_JWT ${credential.id} ${sha256(document)}`;
  if (typeof credential.validFrom !== 'string') return null;
  return `DATA_INTEGRITY ${credential.id} ${sha256(JSON.stringify(document))}`;
}

/**
 * `options` remembering each passed proof: a signed document never changes,
 * so its proof needs checking once. A proof is answered from memory only for
 * exactly the same document (its id and content digest), and only while every
 * controller document it was checked with is still exactly the same (a key
 * added, dropped or changed means checking again); everything else (the key's
 * standing, the issuer's, the dates, the status) is checked live by the
 * verifier on every call. Failed proofs are not remembered, so no flood of
 * forged documents can push out the good ones.
 *
 * Made for one verification, like the options it wraps: controllers are
 * resolved once each, and which ones a proof check resolves is noted while
 * the check runs (a verification checks one proof at a time).
 */
export function rememberingProofs(options: VerifyOptions, memory: ProofMemory = rememberedProofs): VerifyOptions & { proofOnce: ProofOnce } {
  let consulted: Set<string> | null = null;
  // Each controller resolved once: what a proof was checked with is what its digest is taken of.
  const resolved = new Map<string, Promise<DidDocument | null>>();
  const resolveController: VerifyOptions['resolveController'] = (id) => {
    consulted?.add(id);
    let document = resolved.get(id);
    if (!document) resolved.set(id, (document = options.resolveController(id)));
    return document;
  };
  const digestNow = async (id: string) => digestOf(await resolveController(id).catch(() => null));
  const proofOnce: ProofOnce = async (document, credential, check) => {
    const key = keyOf(document, credential);
    const remembered = key === null ? undefined : memory.get(key);
    if (remembered) {
      const digestsNow = await Promise.all(remembered.controllers.map(([id]) => digestNow(id)));
      if (remembered.controllers.every(([, digest], i) => digestsNow[i] === digest)) return { ...remembered.check };
    }
    // The issuer's controller document is what a VC-JWT's key is taken from; a Data Integrity check resolves the ones it needs itself.
    const issuerId = typeof credential.issuer === 'string' ? credential.issuer : (credential.issuer as { id?: unknown } | null | undefined)?.id;
    const noted = new Set<string>(typeof issuerId === 'string' ? [issuerId] : []);
    consulted = noted;
    let result: Check;
    try {
      result = await check();
    } finally {
      consulted = null;
    }
    if (key !== null && result.passed) {
      const ids = [...noted];
      const digestsThen = await Promise.all(ids.map(digestNow));
      // A controller that could not be resolved is not one to vouch for a remembered proof.
      if (digestsThen.every((digest) => digest !== null)) memory.set(key, { check: { ...result }, controllers: ids.map((id, i) => [id, digestsThen[i]!]) });
    }
    return result;
  };
  return { ...options, resolveController, proofOnce };
}
