import { didDocument, didWebFor, issuerKeyFromSeed, type DidDocument, type IssuerKey, type IssuerProfile } from '@tauliah/credentials-vc';
import { createHash } from 'node:crypto';
import type { CredentialsConfig } from '../config.ts';
import { publicBaseOf } from '../signing/issuers.ts';

/** What learner records name as their issuer: the platform itself, not any one provider. */
export const PLATFORM_NAME = 'Tauliah';

/** Derived once per configuration: deriving costs a scalar multiplication. */
const signers = new Map<string, Promise<PlatformSigner>>();

export interface PlatformSigner {
  did: string;
  profile: IssuerProfile;
  key: IssuerKey;
  /** The key's seed, for the signing threads. */
  seed: Uint8Array;
  document: DidDocument;
}

/**
 * The platform as an issuer, beside the providers: a did:web under the same
 * public base as theirs (`did:web:<host>:issuers:platform`, its DID document
 * at <base>/issuers/platform/did.json), with one Ed25519 key derived from
 * PLATFORM_SIGNING_SEED. No row in the database: the key is configuration,
 * like the key-encryption key, so every replica signs with the same one.
 */
export function platformSigner(config: Pick<CredentialsConfig, 'PLATFORM_SIGNING_SEED' | 'PUBLIC_BASE_URL'>): Promise<PlatformSigner> {
  const baseUrl = publicBaseOf(config);
  const cacheKey = `${baseUrl} ${config.PLATFORM_SIGNING_SEED}`;
  let signer = signers.get(cacheKey);
  if (!signer) {
    const did = didWebFor(baseUrl, 'issuers', 'platform');
    const seed = createHash('sha256').update(config.PLATFORM_SIGNING_SEED).digest();
    signer = issuerKeyFromSeed(did, seed).then((key) => ({
      did,
      profile: { id: did, name: PLATFORM_NAME, url: baseUrl },
      key,
      seed,
      document: didDocument(did, [key]),
    }));
    signers.set(cacheKey, signer);
  }
  return signer;
}

