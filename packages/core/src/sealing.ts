import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets kept at rest that must be read back (an issuer's signing-key seed,
 * a learner's NRIC digits, a webhook endpoint's signing secret) are sealed
 * with AES-256-GCM, one layout for all of them:
 *
 *   v1.<IV>.<tag>.<ciphertext>   each part base64url, no padding
 *
 * with a random 12-byte IV per value and GCM's 16-byte tag. The associated
 * data is the id of what the value belongs to (`boundTo`: the issuer's DID,
 * the learner's or the endpoint's id), so a sealed value copied onto another
 * row does not open there. Each purpose has a key of its own, derived from
 * the configured secret, so a value sealed for one use does not open as
 * another even where the settings share a secret.
 *
 * This module imports nothing but node:crypto: the credential signing
 * threads load it, and must not load the rest of core to do so.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** What values are sealed for, and how their AES-256 key comes from the configured secret. */
export interface SealingPurpose {
  /** What the values are, as errors name them: 'webhook signing secret' ("Cannot open sealed webhook signing secret: ..."). */
  readonly what: string;
  /**
   * `{ hkdfInfo }`: HKDF-SHA256 of the secret (no salt) with this info, a key
   * of the purpose's own. `'sha256'`: the SHA-256 digest of the secret, as
   * issuer key seeds have been sealed from the start; kept so that every seed
   * already stored still opens. New purposes take `hkdfInfo`.
   */
  readonly key: { readonly hkdfInfo: string } | 'sha256';
}

export interface SealedFor {
  purpose: SealingPurpose;
  /** The associated data: the id of the row (or issuer) the value belongs to. */
  boundTo: string;
}

/** A sealed value that cannot be read: not in the sealed layout, or it does not authenticate. */
export class SealedValueUnreadable extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SealedValueUnreadable';
  }
}

export function seal(secret: string, plaintext: string | Uint8Array, to: SealedFor): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret, to.purpose), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(to.boundTo, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

/** The plaintext bytes; throws SealedValueUnreadable unless the value was sealed for this purpose and owner under this secret, unaltered. */
export function unseal(secret: string, sealed: string, from: SealedFor): Buffer {
  const parts = sealed.split('.');
  const [, iv, tag, ciphertext] = parts.map((part) => Buffer.from(part, 'base64url'));
  if (parts.length !== 4 || parts[0] !== VERSION || iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || !ciphertext) {
    throw new SealedValueUnreadable(`Not a sealed ${from.purpose.what}: expected ${VERSION}.<IV>.<tag>.<ciphertext> with a ${IV_BYTES}-byte IV and a ${TAG_BYTES}-byte tag.`);
  }
  // authTagLength pins the tag at 16 bytes: GCM would otherwise accept one cut short, which is easier to forge.
  const decipher = createDecipheriv('aes-256-gcm', keyFor(secret, from.purpose), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(from.boundTo, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (error) {
    throw new SealedValueUnreadable(
      `Cannot open sealed ${from.purpose.what}: it was sealed under another secret, for another purpose or for another owner than the one asked for, or it has been altered.`,
      { cause: error },
    );
  }
}

/** Derived keys by purpose and secret: a learner list opens one value per row. */
const keys = new Map<string, Buffer>();

function keyFor(secret: string, purpose: SealingPurpose): Buffer {
  const id = purpose.key === 'sha256' ? `sha256\0${secret}` : `hkdf\0${purpose.key.hkdfInfo}\0${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = purpose.key === 'sha256' ? createHash('sha256').update(secret).digest() : Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), purpose.key.hkdfInfo, 32));
    keys.set(id, key);
  }
  return key;
}
