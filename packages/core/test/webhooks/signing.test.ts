import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  activeSigningSecrets,
  generateWebhookSecret,
  InvalidWebhookSecret,
  parseWebhookSecret,
  SECRET_ROTATION_OVERLAP_MS,
  signWebhook,
  verifyWebhook,
  WebhookVerificationFailed,
} from '../../src/webhooks/index.ts';

const body = JSON.stringify({ type: 'credential.revoked', timestamp: '2025-03-01T08:00:00.000Z', data: { credentialId: '6f1c0d36-8a9e-4c55-9d43-2b1e0f7c5a10' } });
const id = '0f8e2a3c-5b7d-4e19-a6c4-3d2f1b0e9c87';
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The headers a delivery carries, signed with `secrets` at `timestamp`. */
function delivery(secrets: string[], timestamp = nowSeconds(), payload = body) {
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook({ id, timestamp, body: payload }, secrets) };
}

describe('webhook secrets', () => {
  it('are whsec_ and 32 random bytes in base64 by default, different every time', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(parseWebhookSecret(secret)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
    expect(parseWebhookSecret(generateWebhookSecret(24))).toHaveLength(24);
    expect(parseWebhookSecret(generateWebhookSecret(64))).toHaveLength(64);
  });

  it('refuses sizes outside the specification’s 24 to 64 bytes', () => {
    expect(() => generateWebhookSecret(16)).toThrow(InvalidWebhookSecret);
    expect(() => generateWebhookSecret(65)).toThrow(/24 to 64 random bytes/);
  });

  it('says what is wrong with a mangled secret', () => {
    const good = generateWebhookSecret().slice('whsec_'.length);
    expect(() => parseWebhookSecret(good)).toThrow(/starts with "whsec_"/);
    expect(() => parseWebhookSecret(`whsk_${good}`)).toThrow(/starts with "whsec_"/);
    expect(() => parseWebhookSecret(`whsec_${good.slice(0, -1)}`)).toThrow(/standard base64/);
    expect(() => parseWebhookSecret(`whsec_${good.replace(/.$/, '_')}`)).toThrow(/standard base64/);
    expect(() => parseWebhookSecret(`whsec_${Buffer.alloc(16).toString('base64')}`)).toThrow(/holds 16/);
    expect(() => parseWebhookSecret(`whsec_${Buffer.alloc(65).toString('base64')}`)).toThrow(/holds 65/);
    expect(() => parseWebhookSecret('whsec_')).toThrow(InvalidWebhookSecret);
  });
});

describe('signatures partners verify with the standardwebhooks library', () => {
  it('verify with the published Webhook class, which returns the payload', () => {
    const secret = generateWebhookSecret();
    const headers = delivery([secret]);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('are byte for byte what the library itself would sign', () => {
    const secret = generateWebhookSecret();
    const timestamp = 1_740_816_000;
    expect(signWebhook({ id, timestamp, body }, [secret])).toBe(new Webhook(secret).sign(id, new Date(timestamp * 1000), body));
    // Non-ASCII text signs as its UTF-8 bytes, whether passed as a string or a Buffer.
    const malay = JSON.stringify({ title: 'Sijil Kemahiran — Pengurusan Ladang' });
    expect(signWebhook({ id, timestamp, body: Buffer.from(malay) }, [secret])).toBe(new Webhook(secret).sign(id, new Date(timestamp * 1000), malay));
  });

  it('during a rotation carry one signature per secret, and a partner holding either verifies', () => {
    const [previous, current, stranger] = [generateWebhookSecret(), generateWebhookSecret(), generateWebhookSecret()];
    const headers = delivery([current, previous]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(stranger).verify(body, headers)).toThrow(/No matching signature/);
  });

  it('fail for a tampered body, another id, or an old timestamp', () => {
    const secret = generateWebhookSecret();
    const headers = delivery([secret]);
    expect(() => new Webhook(secret).verify(body.replace('revoked', 'issued'), headers)).toThrow(/No matching signature/);
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'another-event' })).toThrow(/No matching signature/);
    const replayed = delivery([secret], nowSeconds() - 10 * 60);
    expect(() => new Webhook(secret).verify(body, replayed)).toThrow(/too old/);
  });

  it('refuse an id with a dot, which could make two messages sign alike', () => {
    expect(() => signWebhook({ id: 'a.b', timestamp: 1, body }, [generateWebhookSecret()])).toThrow(/no "\."/);
    expect(() => signWebhook({ id: '', timestamp: 1, body }, [generateWebhookSecret()])).toThrow(/non-empty/);
    expect(() => signWebhook({ id, timestamp: 1.5, body }, [generateWebhookSecret()])).toThrow(/whole Unix seconds/);
    expect(() => signWebhook({ id, timestamp: 1, body }, [])).toThrow(/at least one secret/);
  });
});

describe('verifying as a receiver', () => {
  it('accepts what the standardwebhooks library signs, with any of the receiver’s secrets', () => {
    const [old, fresh] = [generateWebhookSecret(), generateWebhookSecret()];
    const timestamp = new Date();
    const headers = { 'Webhook-Id': id, 'Webhook-Timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'Webhook-Signature': new Webhook(fresh).sign(id, timestamp, body) };
    expect(verifyWebhook(headers, body, [old, fresh])).toBe(id);
    expect(verifyWebhook(headers, Buffer.from(body), [fresh])).toBe(id);
    expect(() => verifyWebhook(headers, body, [old])).toThrow(WebhookVerificationFailed);
  });

  it('refuses a tampered body, missing headers and timestamps outside the tolerance either way', () => {
    const secret = generateWebhookSecret();
    const headers = delivery([secret]);
    expect(() => verifyWebhook(headers, `${body} `, [secret])).toThrow(/No v1 signature/);
    expect(() => verifyWebhook({ ...headers, 'webhook-signature': undefined }, body, [secret])).toThrow(/are all required/);
    expect(() => verifyWebhook({ ...headers, 'webhook-timestamp': '17e8' }, body, [secret])).toThrow(/whole Unix seconds/);
    expect(() => verifyWebhook(delivery([secret], nowSeconds() - 301), body, [secret])).toThrow(/more than 300 s/);
    expect(() => verifyWebhook(delivery([secret], nowSeconds() + 301), body, [secret])).toThrow(/more than 300 s/);
    expect(verifyWebhook(delivery([secret], nowSeconds() - 3_000), body, [secret], { toleranceSeconds: 3_600 })).toBe(id);
  });

  it('skips signatures of other schemes and of the wrong length instead of failing on them', () => {
    const secret = generateWebhookSecret();
    const headers = delivery([secret]);
    const mixed = `v1a,${Buffer.alloc(64).toString('base64')} v1,c2hvcnQ= v1 ${headers['webhook-signature']}`;
    expect(verifyWebhook({ ...headers, 'webhook-signature': mixed }, body, [secret])).toBe(id);
    expect(() => verifyWebhook({ ...headers, 'webhook-signature': 'v1,c2hvcnQ=' }, body, [secret])).toThrow(WebhookVerificationFailed);
  });
});

describe('rotating a secret', () => {
  it('signs with the old secret beside the new one for the overlap, then with the new one alone', () => {
    const rotatedAt = new Date('2025-03-01T08:00:00Z');
    const [previous, current] = [generateWebhookSecret(), generateWebhookSecret()];
    const secrets = [
      { secret: previous, retiresAt: new Date(rotatedAt.getTime() + SECRET_ROTATION_OVERLAP_MS) },
      { secret: current, retiresAt: null },
    ];
    expect(activeSigningSecrets(secrets, new Date(rotatedAt.getTime() + 23 * 3_600_000))).toEqual([current, previous]);
    expect(activeSigningSecrets(secrets, new Date(rotatedAt.getTime() + SECRET_ROTATION_OVERLAP_MS))).toEqual([current]);
  });
});
