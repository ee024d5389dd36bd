import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';

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

const VERSION = 'v1';

/** The AES-256 key that wraps issuer keys at rest, from the configured key-encryption secret. */
const wrappingKey = (keyEncryptionKey: string) => createHash('sha256').update(keyEncryptionKey).digest();

/** Encrypts a secret seed with AES-256-GCM; the issuer's DID is bound in as associated data, so a ciphertext cannot be moved to another issuer. */
export function encryptSeed(keyEncryptionKey: string, seed: Uint8Array, boundTo: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey(keyEncryptionKey), iv);
  cipher.setAAD(Buffer.from(boundTo));
  const ciphertext = Buffer.concat([cipher.update(seed), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

export function decryptSeed(keyEncryptionKey: string, sealed: string, boundTo: string): Buffer {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || !ciphertext) throw new Error('Unrecognised sealed key format.');
  const decipher = createDecipheriv('aes-256-gcm', wrappingKey(keyEncryptionKey), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(boundTo));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
}
