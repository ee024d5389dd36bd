import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, decodeJwt, importJWK } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import {
  baseConfigSchema,
  createDevSigningKey,
  createTokenVerifier,
  devSigningKeyPath,
  parseConfig,
  signToken,
  TokenLifetimeError,
  verifierFor,
  type DevSigningKey,
} from '../src/index.ts';

const issuer = 'https://tauliah.local/auth';
const audience = 'tauliah';
const key = await createDevSigningKey();
const now = () => Math.floor(Date.now() / 1000);

/** A well-signed token with exactly the time claims given. */
async function withTimes(signingKey: DevSigningKey, times: { iat?: number; exp?: number }): Promise<string> {
  return new SignJWT({ role: 'ADMIN', ...times })
    .setProtectedHeader({ alg: 'EdDSA', kid: signingKey.privateJwk.kid })
    .setSubject('admin')
    .setIssuer(issuer)
    .setAudience(audience)
    .sign(await importJWK(signingKey.privateJwk, 'EdDSA'));
}

async function outcome(verifier: ReturnType<typeof createTokenVerifier>, token: string): Promise<string> {
  try {
    const viewer = await verifier.viewerFor(`Bearer ${token}`);
    return `accepted as ${viewer.kind}`;
  } catch (error) {
    const e = error as Error & { extensions: { code: string; http?: { status: number } } };
    return `${e.extensions.code} ${e.extensions.http?.status}: ${e.message}`;
  }
}

describe('token lifetime', () => {
  const verifier = createTokenVerifier({ issuer, audience, publicJwk: key.publicJwk });

  it('requires exp and iat, and at most 24 h between them by default', async () => {
    const t = now();
    const cases: Array<[string, { iat?: number; exp?: number }, RegExp]> = [
      ['no exp', { iat: t }, /^UNAUTHENTICATED 401: The token has no expiry \(exp claim\).*86400 s/],
      ['no iat', { exp: t + 60 }, /^UNAUTHENTICATED 401: The token has no issue time \(iat claim\)/],
      ['25 h', { iat: t, exp: t + 25 * 3600 }, /^UNAUTHENTICATED 401: The token's lifetime is too long: it lives 90000 s .*at most 86400 s/],
      ['24 h and a second', { iat: t - 10, exp: t - 10 + 86_401 }, /lifetime is too long/],
      ['exactly 24 h', { iat: t - 10, exp: t - 10 + 86_400 }, /^accepted as principal$/],
      ['1 h', { iat: t, exp: t + 3600 }, /^accepted as principal$/],
      ['issued in an hour', { iat: t + 3600, exp: t + 7200 }, /^UNAUTHENTICATED 401: The token was issued in the future/],
      ['issued a second ahead (clock skew)', { iat: t + 1, exp: t + 3600 }, /^accepted as principal$/],
    ];
    for (const [what, times, expected] of cases) {
      expect(await outcome(verifier, await withTimes(key, times)), what).toMatch(expected);
    }
  });

  it('takes a configured maximum', async () => {
    const hourly = createTokenVerifier({ issuer, audience, publicJwk: key.publicJwk, maxLifetimeSeconds: 3600 });
    const t = now();
    expect(await outcome(hourly, await withTimes(key, { iat: t, exp: t + 3600 }))).toBe('accepted as principal');
    expect(await outcome(hourly, await withTimes(key, { iat: t, exp: t + 7200 }))).toMatch(/lives 7200 s \(exp - iat\), at most 3600 s/);
  });

  it('reads MAX_TOKEN_LIFETIME_SECONDS (24 h by default) and hands it to the verifier of every process', async () => {
    expect(parseConfig(baseConfigSchema, {}).MAX_TOKEN_LIFETIME_SECONDS).toBe(86_400);
    expect(() => parseConfig(baseConfigSchema, { MAX_TOKEN_LIFETIME_SECONDS: '0' })).toThrow(/MAX_TOKEN_LIFETIME_SECONDS/);
    const dataDir = await mkdtemp(join(tmpdir(), 'tauliah-token-'));
    afterAll(() => rm(dataDir, { recursive: true, force: true }));
    const config = parseConfig(baseConfigSchema, { DATA_DIR: dataDir, MAX_TOKEN_LIFETIME_SECONDS: '3600' });
    const processVerifier = await verifierFor(config);
    const localKey = JSON.parse(await readFile(devSigningKeyPath(config), 'utf8')) as DevSigningKey;
    const t = now();
    expect(await outcome(processVerifier, await withTimes(localKey, { iat: t, exp: t + 2 * 3600 }))).toMatch(/at most 3600 s/);
    expect(await outcome(processVerifier, await withTimes(localKey, { iat: t, exp: t + 3600 }))).toBe('accepted as principal');
  });

  it('mints local tokens for a working day, within the maximum, and refuses to mint longer ones', async () => {
    const lifetime = (token: string) => {
      const { exp = 0, iat = 0 } = decodeJwt(token);
      return exp - iat;
    };
    const admin = { sub: 'admin', role: 'ADMIN' } as const;
    const daily = await signToken(key, admin, { issuer, audience });
    expect(lifetime(daily)).toBeGreaterThanOrEqual(12 * 3600 - 1);
    expect(lifetime(daily)).toBeLessThanOrEqual(12 * 3600);
    expect(await outcome(verifier, daily)).toBe('accepted as principal');
    // A shorter maximum shortens the default rather than minting a token the graph refuses.
    expect(lifetime(await signToken(key, admin, { issuer, audience, maxLifetimeSeconds: 1800 }))).toBeLessThanOrEqual(1800);
    await expect(signToken(key, admin, { issuer, audience, expiresIn: '2d' })).rejects.toThrow(TokenLifetimeError);
    await expect(signToken(key, admin, { issuer, audience, expiresIn: '2h', maxLifetimeSeconds: 3600 })).rejects.toThrow(/at most 3600 s/);
  });
});
