import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Endpoints' signing secrets at rest. A secret must be read back to sign
 * every delivery, so it is sealed with AES-256-GCM rather than hashed, under
 * a key derived from WEBHOOK_SECRET_ENCRYPTION_KEY for this use only. A
 * random IV per secret; the endpoint's id is the associated data, so a sealed
 * secret copied onto another endpoint's row does not open there.
 */
const VERSION = 'v1';

const keys = new Map<string, Buffer>();
const keyOf = (setting: string): Buffer => {
  let key = keys.get(setting);
  if (!key) keys.set(setting, (key = Buffer.from(hkdfSync('sha256', setting, Buffer.alloc(0), 'tauliah providers: webhook signing secrets', 32))));
  return key;
};

export function sealWebhookSecret(secret: string, endpointId: string, setting: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(setting), iv);
  cipher.setAAD(Buffer.from(endpointId));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

/** The `whsec_` secret, or an error when it was not sealed for this endpoint under this key. */
export function openWebhookSecret(sealed: string, endpointId: string, setting: string): string {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || !ciphertext) throw new Error('Unrecognised sealed webhook secret format.');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(setting), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(endpointId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}
