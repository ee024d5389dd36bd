import { SignJWT, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { createDevSigningKey, createTokenVerifier, signToken } from '../src/index.ts';

const issuer = 'https://tauliah.local/auth';
const audience = 'tauliah';
const key = await createDevSigningKey();
const verifier = createTokenVerifier({ issuer, audience, publicJwk: key.publicJwk });
const providerId = '7d1f0c6e-2f37-4c55-9d5e-1b7a0c8b9f10';

async function failure(authorization: string): Promise<string> {
  try {
    await verifier.viewerFor(authorization);
  } catch (error) {
    return `${(error as { extensions: { code: string } }).extensions.code}: ${(error as Error).message}`;
  }
  throw new Error('expected the token to be refused');
}

describe('token verification', () => {
  it('treats a request without a token as the public', async () => {
    expect(await verifier.viewerFor(undefined)).toEqual({ kind: 'public' });
  });

  it('accepts a signed token and reads the role and organisation', async () => {
    const token = await signToken(key, { sub: 'staff:1', role: 'PROVIDER_STAFF', providerId }, { issuer, audience });
    expect(await verifier.viewerFor(`Bearer ${token}`)).toEqual({
      kind: 'principal',
      subject: 'staff:1',
      role: 'PROVIDER_STAFF',
      providerId,
      employerId: undefined,
      funderId: undefined,
    });
  });

  it('refuses tokens for another audience, expired ones, and ones signed by another key', async () => {
    const other = await signToken(key, { sub: 'admin', role: 'ADMIN' }, { issuer, audience: 'someone-else' });
    expect(await failure(`Bearer ${other}`)).toMatch(/^UNAUTHENTICATED: .*aud/);
    const expired = await signToken(key, { sub: 'admin', role: 'ADMIN' }, { issuer, audience, expiresIn: '-10m' });
    expect(await failure(`Bearer ${expired}`)).toMatch(/expired/);
    const stranger = await generateKeyPair('EdDSA');
    const forged = await new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('admin')
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('1h')
      .sign(stranger.privateKey);
    expect(await failure(`Bearer ${forged}`)).toMatch(/signature/);
  });

  it('refuses a token whose role lacks the organisation it acts for', async () => {
    const token = await signToken(key, { sub: 'staff:1', role: 'PROVIDER_STAFF' }, { issuer, audience });
    expect(await failure(`Bearer ${token}`)).toMatch(/PROVIDER_STAFF needs a providerId/);
    const partner = await signToken(key, { sub: 'sis', role: 'PARTNER' }, { issuer, audience });
    expect(await failure(`Bearer ${partner}`)).toMatch(/PARTNER acts for exactly one/);
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    expect(await failure('Basic dXNlcjpwYXNz')).toMatch(/Bearer <token>/);
  });
});
