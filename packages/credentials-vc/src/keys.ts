import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
// Core's sealing module alone, not the package: the signing threads load this file, and all of core would triple their start-up.
import { seal, unseal, type SealingPurpose } from '@tauliah/core/sealing';

/** An issuer's signing key as used in memory: never stored like this. */
export interface IssuerKey {
  /** The verification method id (also the JWT `kid`): `<did>#<publicKeyMultibase>`. */
  id: string;
  controller: string;
  publicKeyMultibase: string;
  /** Digital Bazaar's key pair, for Data Integrity proofs. */
  multikey: Ed25519Multikey.MultikeyPair;
  /** The same key for jose (VC-JWT). */
  privateKey: KeyObject;
  publicJwk: { kty: string; crv: string; x: string };
}

/** A new Ed25519 key for an issuer: the 32-byte seed is the secret, everything else derives from it. */
export async function generateIssuerKey(controller: string): Promise<{ key: IssuerKey; seed: Buffer }> {
  const seed = randomBytes(32);
  return { key: await issuerKeyFromSeed(controller, seed), seed };
}

export async function issuerKeyFromSeed(controller: string, seed: Uint8Array): Promise<IssuerKey> {
  const generated = await Ed25519Multikey.generate({ seed, controller });
  const id = `${controller}#${generated.publicKeyMultibase}`;
  const multikey = await Ed25519Multikey.generate({ seed, controller, id });
  const publicJwk = await Ed25519Multikey.toJwk({ keyPair: multikey });
  // ed25519-multikey's private `d` is seed + public key (64 bytes); JOSE wants the 32-byte seed alone.
  const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x, d: Buffer.from(seed).toString('base64url') }, format: 'jwk' });
  return { id, controller, publicKeyMultibase: multikey.publicKeyMultibase, multikey, privateKey, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x } };
}

/** The public key of a Multikey as a JWK (JWKS for VC-JWT verifiers). */
export async function publicJwkOf(id: string, controller: string, publicKeyMultibase: string) {
  const keyPair = await Ed25519Multikey.from({ id, controller, type: 'Multikey', publicKeyMultibase });
  const { kty, crv, x } = await Ed25519Multikey.toJwk({ keyPair });
  return { kty, crv, x, kid: id, alg: 'EdDSA', use: 'sig' };
}

export function publicKeyObject(jwk: { kty: string; crv: string; x: string }): KeyObject {
  return createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
}

/**
 * Issuer key seeds at rest: sealed (core's seal) under
 * CREDENTIAL_KEY_ENCRYPTION_KEY, the issuer's DID bound in as associated
 * data, so a sealed seed cannot be moved to another issuer. Their key is the
 * SHA-256 of the setting, as seeds have been sealed from the start.
 */
const ISSUER_KEY_SEED: SealingPurpose = { what: 'issuer key seed', key: 'sha256' };

export function encryptSeed(keyEncryptionKey: string, seed: Uint8Array, boundTo: string): string {
  return seal(keyEncryptionKey, seed, { purpose: ISSUER_KEY_SEED, boundTo });
}

/** The 32-byte seed; throws SealedValueUnreadable when it was not sealed for this issuer under this key. */
export function decryptSeed(keyEncryptionKey: string, sealed: string, boundTo: string): Buffer {
  return unseal(keyEncryptionKey, sealed, { purpose: ISSUER_KEY_SEED, boundTo });
}
