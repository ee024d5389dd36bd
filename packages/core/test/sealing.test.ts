import { describe, expect, it } from 'vitest';
import { seal, SealedValueUnreadable, unseal, type SealingPurpose } from '../src/sealing.ts';

// The three uses, as their modules declare them (credentials-vc keys.ts, learners identity/nric.ts, providers webhooks/sealing.ts).
const SEED: SealingPurpose = { what: 'issuer key seed', key: 'sha256' };
const NRIC: SealingPurpose = { what: 'NRIC digits', key: { hkdfInfo: 'tauliah learners: NRIC last four digits' } };
const WEBHOOK: SealingPurpose = { what: 'webhook signing secret', key: { hkdfInfo: 'tauliah providers: webhook signing secrets' } };

/**
 * Values sealed by the three implementations this module replaced, each
 * written separately before it: every row already stored must still open.
 */
const STORED = {
  seed: {
    secret: 'issuer-key-encryption-key-of-at-least-32-chars',
    boundTo: 'did:web:tauliah.my:issuers:p-1',
    sealed: 'v1.5IXld622JqgS80r6.bs7anUAYmHMjcXhwl76WZw.9rn0GnaD8-3aVHbK7Uod_vfgSb6lGJ6C8jjUV0x35hg',
    plaintext: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  },
  nric: {
    secret: 'pii-encryption-key-of-at-least-32-characters',
    boundTo: 'learner-7',
    sealed: 'v1.KyxjZh8Scp82GPy4.ODX_elgYhKB0xZ5zfApOgw.N2MU8w',
    plaintext: '1234',
  },
  webhook: {
    secret: 'webhook-secret-encryption-key-at-least-32-chars',
    boundTo: 'endpoint-3',
    sealed: 'v1.lQoK4WElynr477fa.cQeMsU2gkY7DXaNSrJKHFg.W1OP08eQYCFTjCTyzKLGVDeAXvcwrNF-VsDRbWPsaoGr7n9Lsxc',
    plaintext: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  },
};

const SECRET = 'a-configured-secret-of-at-least-32-characters';
const CANNOT_OPEN = /^Cannot open sealed webhook signing secret: it was sealed under another secret, for another purpose or for another owner/;
const NOT_SEALED = /^Not a sealed webhook signing secret: expected v1\.<IV>\.<tag>\.<ciphertext> with a 12-byte IV and a 16-byte tag\.$/;

/** The sealed value with one bit of one part flipped. */
function flipped(sealed: string, part: 1 | 2 | 3): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[0] = bytes[0]! ^ 1;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

function refusal(attempt: () => unknown): SealedValueUnreadable {
  try {
    attempt();
  } catch (error) {
    if (error instanceof SealedValueUnreadable) return error;
    throw error;
  }
  throw new Error('it opened');
}

describe('sealing secrets at rest', () => {
  it('opens issuer key seeds, NRIC digits and webhook secrets sealed before the three shared one mechanism', () => {
    expect(unseal(STORED.seed.secret, STORED.seed.sealed, { purpose: SEED, boundTo: STORED.seed.boundTo }).toString('hex')).toBe(STORED.seed.plaintext);
    expect(unseal(STORED.nric.secret, STORED.nric.sealed, { purpose: NRIC, boundTo: STORED.nric.boundTo }).toString('utf8')).toBe(STORED.nric.plaintext);
    expect(unseal(STORED.webhook.secret, STORED.webhook.sealed, { purpose: WEBHOOK, boundTo: STORED.webhook.boundTo }).toString('utf8')).toBe(STORED.webhook.plaintext);
  });

  it('seals in the stored layout, with a fresh IV each time, and opens what it sealed', () => {
    const to = { purpose: WEBHOOK, boundTo: 'endpoint-1' };
    const [first, second] = [seal(SECRET, 'whsec_abc', to), seal(SECRET, 'whsec_abc', to)];
    expect(first).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{12}$/);
    expect(first).not.toBe(second);
    expect(unseal(SECRET, first, to).toString('utf8')).toBe('whsec_abc');
    const seed = Buffer.alloc(32, 7);
    expect(unseal(SECRET, seal(SECRET, seed, { purpose: SEED, boundTo: 'did:web:a' }), { purpose: SEED, boundTo: 'did:web:a' })).toEqual(seed);
  });

  it('refuses another secret, another purpose and another owner, saying so', () => {
    const sealed = seal(SECRET, 'whsec_abc', { purpose: WEBHOOK, boundTo: 'endpoint-1' });
    expect(refusal(() => unseal('another-secret-of-at-least-32-characters', sealed, { purpose: WEBHOOK, boundTo: 'endpoint-1' })).message).toMatch(CANNOT_OPEN);
    expect(refusal(() => unseal(SECRET, sealed, { purpose: WEBHOOK, boundTo: 'endpoint-2' })).message).toMatch(CANNOT_OPEN);
    // One secret configured for two uses still gives each its own key.
    for (const purpose of [NRIC, SEED]) {
      expect(refusal(() => unseal(SECRET, sealed, { purpose, boundTo: 'endpoint-1' })).message).toMatch(`Cannot open sealed ${purpose.what}:`);
    }
    expect(refusal(() => unseal(STORED.seed.secret, STORED.seed.sealed, { purpose: { ...SEED, key: { hkdfInfo: 'issuer key seeds' } }, boundTo: STORED.seed.boundTo })).message).toMatch(
      /^Cannot open sealed issuer key seed:/,
    );
  });

  it('refuses a value altered in its IV, its tag or its ciphertext', () => {
    const to = { purpose: WEBHOOK, boundTo: STORED.webhook.boundTo };
    for (const part of [1, 2, 3] as const) {
      expect(refusal(() => unseal(STORED.webhook.secret, flipped(STORED.webhook.sealed, part), to)).message).toMatch(CANNOT_OPEN);
    }
  });

  it('refuses what is not in the layout: another version, parts missing, a tag cut short', () => {
    const to = { purpose: WEBHOOK, boundTo: STORED.webhook.boundTo };
    const [, iv, tag, ciphertext] = STORED.webhook.sealed.split('.');
    const shortTag = Buffer.from(tag!, 'base64url').subarray(0, 4).toString('base64url');
    for (const bad of [`v2.${iv}.${tag}.${ciphertext}`, `v1.${iv}.${tag}`, 'whsec_in_clear', `v1.${iv}.${shortTag}.${ciphertext}`, `v1.${iv}AA.${tag}.${ciphertext}`]) {
      expect(refusal(() => unseal(STORED.webhook.secret, bad, to)).message, bad).toMatch(NOT_SEALED);
    }
  });
});
