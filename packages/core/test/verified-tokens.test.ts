import { TEST_AUDIENCE, TEST_ISSUER, TokenFactory } from '@tauliah/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, rememberingVerifier, type TokenVerifier } from '../src/index.ts';

let tokens: TokenFactory;
let verifier: TokenVerifier;
beforeAll(async () => {
  tokens = await TokenFactory.create();
  verifier = createTokenVerifier({ issuer: TEST_ISSUER, audience: TEST_AUDIENCE, publicJwk: tokens.key.publicJwk });
});

/** The real verifier, counting how often it is asked, behind a remembering one on a clock the test moves. */
function remembering(options: { maxAgeMs?: number } = {}) {
  let asked = 0;
  let now = Date.now();
  const counted: TokenVerifier = {
    viewerFor(authorization) {
      asked += 1;
      return verifier.viewerFor(authorization);
    },
  };
  return {
    verifier: rememberingVerifier(counted, { ...options, now: () => now }),
    asked: () => asked,
    advance: (ms: number) => (now += ms),
    setClock: (ms: number) => (now = ms),
  };
}

const expiryOf = (token: string): number => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp * 1000;

describe('a remembered token', () => {
  it('is checked once and then recognised, with the same viewer', async () => {
    const { verifier: edge, asked } = remembering();
    const authorization = `Bearer ${await tokens.tokenFor('FUNDER')}`;
    const first = await edge.viewerFor(authorization);
    const again = await edge.viewerFor(authorization);
    expect(again).toEqual(first);
    expect(first).toMatchObject({ kind: 'principal', role: 'FUNDER' });
    expect(asked()).toBe(1);
  });

  it('keeps each token to its own viewer', async () => {
    const { verifier: edge } = remembering();
    const learner = await edge.viewerFor(`Bearer ${await tokens.tokenFor('LEARNER')}`);
    const employer = await edge.viewerFor(`Bearer ${await tokens.tokenFor('EMPLOYER')}`);
    expect(learner).toMatchObject({ role: 'LEARNER' });
    expect(employer).toMatchObject({ role: 'EMPLOYER' });
    expect(await edge.viewerFor(`Bearer ${await tokens.tokenFor('LEARNER')}`)).toEqual(learner);
  });

  it('is verified again from the moment it expires, never recognised past its expiry', async () => {
    const { verifier: edge, asked, setClock } = remembering({ maxAgeMs: 24 * 3_600_000 });
    const token = await tokens.tokenFor('LEARNER', { expiresIn: '10m' });
    await edge.viewerFor(`Bearer ${token}`);
    setClock(expiryOf(token) - 1);
    await edge.viewerFor(`Bearer ${token}`);
    expect(asked()).toBe(1);
    setClock(expiryOf(token));
    await edge.viewerFor(`Bearer ${token}`);
    expect(asked()).toBe(2);
  });

  it('is verified again after the longest it is relied on, however long it lives', async () => {
    const { verifier: edge, asked, advance } = remembering({ maxAgeMs: 60_000 });
    const authorization = `Bearer ${await tokens.tokenFor('EMPLOYER')}`;
    await edge.viewerFor(authorization);
    advance(59_000);
    await edge.viewerFor(authorization);
    expect(asked()).toBe(1);
    advance(1_000);
    await edge.viewerFor(authorization);
    expect(asked()).toBe(2);
  });

  it('refuses a forged or expired token every time it is sent, each time checking it', async () => {
    const { verifier: edge, asked } = remembering();
    const genuine = await tokens.tokenFor('LEARNER');
    const [header, payload] = genuine.split('.');
    const forged = `Bearer ${header}.${payload}.${Buffer.alloc(64).toString('base64url')}`;
    const expired = `Bearer ${await tokens.tokenFor('LEARNER', { expiresIn: '-1m' })}`;
    for (let i = 0; i < 2; i++) {
      await expect(edge.viewerFor(forged)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
      await expect(edge.viewerFor(expired)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    }
    expect(asked()).toBe(4);
  });

  it('lets the public through as the public', async () => {
    const { verifier: edge } = remembering();
    expect(await edge.viewerFor(undefined)).toEqual({ kind: 'public' });
  });
});
