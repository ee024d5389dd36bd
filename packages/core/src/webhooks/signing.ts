import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures as the Standard Webhooks specification defines them
 * (https://www.standardwebhooks.com), so a partner verifies ours with the
 * published `standardwebhooks` library of their language: HMAC-SHA256 over
 * `<webhook-id>.<webhook-timestamp>.<body>` with the endpoint's secret,
 * sent as `v1,<base64>`.
 */

const SECRET_PREFIX = 'whsec_';
/** The specification's bounds for a symmetric secret: 192 to 512 bits. */
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;
const DEFAULT_SECRET_BYTES = 32;
/** How long a rotated-out secret keeps signing beside its successor, so partners can switch without missing a delivery. */
export const SECRET_ROTATION_OVERLAP_MS = 24 * 3_600_000;
/** The specification's replay window: a receiver refuses a timestamp further than this from its clock. */
export const DEFAULT_TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export class InvalidWebhookSecret extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidWebhookSecret';
  }
}

export class WebhookVerificationFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationFailed';
  }
}

/** A new endpoint secret, `whsec_` and 32 random bytes in base64: shown to the partner once, stored to sign with. */
export function generateWebhookSecret(bytes = DEFAULT_SECRET_BYTES): string {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
    throw new InvalidWebhookSecret(`A webhook secret has ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} random bytes, not ${bytes}.`);
  }
  return `${SECRET_PREFIX}${randomBytes(bytes).toString('base64')}`;
}

/**
 * The HMAC key inside a `whsec_` secret. Strict, so a secret mangled in
 * storage or in a copy and paste fails loudly here rather than producing
 * signatures nobody can verify.
 */
export function parseWebhookSecret(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) {
    throw new InvalidWebhookSecret(`A webhook secret starts with "${SECRET_PREFIX}" followed by base64.`);
  }
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    throw new InvalidWebhookSecret(`The part of a webhook secret after "${SECRET_PREFIX}" must be standard base64 (A-Z, a-z, 0-9, +, /, padded with =).`);
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    throw new InvalidWebhookSecret(`A webhook secret holds ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes; this one holds ${key.length}.`);
  }
  return key;
}

export interface WebhookSigningInput {
  /** The `webhook-id`: the event's id, the same on every retry, which receivers dedupe by. */
  id: string;
  /** The `webhook-timestamp`: this attempt's time in Unix seconds, new on every retry. */
  timestamp: number;
  /** The exact bytes sent; a receiver that re-serialises the JSON breaks the signature. */
  body: string | Buffer;
}

function signedContent({ id, timestamp, body }: WebhookSigningInput): Buffer {
  return Buffer.concat([Buffer.from(`${id}.${timestamp}.`), typeof body === 'string' ? Buffer.from(body) : body]);
}

const hmac = (key: Buffer, content: Buffer): Buffer => createHmac('sha256', key).update(content).digest();

/**
 * The `webhook-signature` header: one `v1,<base64>` per secret, space
 * separated. During a rotation the old and the new secret both sign, so a
 * receiver holding either accepts the delivery.
 */
export function signWebhook(input: WebhookSigningInput, secrets: readonly string[]): string {
  // The id and timestamp are joined with dots: a dot inside either could make two messages sign alike.
  if (input.id.length === 0 || input.id.includes('.')) throw new Error(`A webhook id must be non-empty and hold no ".", not "${input.id}".`);
  if (!Number.isSafeInteger(input.timestamp) || input.timestamp < 0) throw new Error(`A webhook timestamp is whole Unix seconds, not ${input.timestamp}.`);
  if (secrets.length === 0) throw new InvalidWebhookSecret('A webhook is signed with at least one secret.');
  const content = signedContent(input);
  return secrets.map((secret) => `v1,${hmac(parseWebhookSecret(secret), content).toString('base64')}`).join(' ');
}

/**
 * The secrets that sign now: the current one, and one rotated out less than
 * SECRET_ROTATION_OVERLAP_MS ago (its `retiresAt` still ahead), newest first.
 */
export function activeSigningSecrets(secrets: readonly { secret: string; retiresAt: Date | null }[], now: Date): string[] {
  return secrets
    .filter((entry) => entry.retiresAt === null || entry.retiresAt.getTime() > now.getTime())
    .sort((a, b) => (b.retiresAt?.getTime() ?? Infinity) - (a.retiresAt?.getTime() ?? Infinity))
    .map((entry) => entry.secret);
}

type HeaderBag = Record<string, string | readonly string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return typeof entry === 'string' ? entry : entry?.[0];
}

export interface VerifyWebhookOptions {
  /** How far the timestamp may be from `now`, either way (default 5 minutes). */
  toleranceSeconds?: number;
  now?: Date;
}

/**
 * Checks a delivery as a receiver would: the three headers present, the
 * timestamp within tolerance (a replayed old request fails), and one `v1`
 * signature made by one of `secrets` over these exact bytes, compared in
 * constant time so the check cannot be used to guess a signature byte by
 * byte. Throws WebhookVerificationFailed saying what is wrong; returns the
 * webhook id otherwise.
 */
export function verifyWebhook(headers: HeaderBag, body: string | Buffer, secrets: readonly string[], options: VerifyWebhookOptions = {}): string {
  const id = header(headers, 'webhook-id');
  const timestampText = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestampText || !signatures) throw new WebhookVerificationFailed('The webhook-id, webhook-timestamp and webhook-signature headers are all required.');
  if (!/^\d{1,15}$/.test(timestampText)) throw new WebhookVerificationFailed('webhook-timestamp must be whole Unix seconds.');
  const timestamp = Number(timestampText);
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TIMESTAMP_TOLERANCE_SECONDS;
  if (Math.abs(now - timestamp) > tolerance) throw new WebhookVerificationFailed(`webhook-timestamp is more than ${tolerance} s from now: a replay, or a clock out of step.`);
  const content = signedContent({ id, timestamp, body });
  const expected = secrets.map((secret) => hmac(parseWebhookSecret(secret), content));
  for (const entry of signatures.split(' ')) {
    const [version, encoded] = entry.split(',');
    if (version !== 'v1' || !encoded) continue;
    const presented = Buffer.from(encoded, 'base64');
    if (expected.some((mac) => mac.length === presented.length && timingSafeEqual(mac, presented))) return id;
  }
  throw new WebhookVerificationFailed('No v1 signature in webhook-signature matches: wrong secret, or the body changed after signing.');
}
