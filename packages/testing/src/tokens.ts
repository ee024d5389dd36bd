import { createDevSigningKey, createTokenVerifier, signToken, type DevSigningKey, type Role, type TokenClaims, type TokenVerifier } from '@tauliah/core';
import { personas } from '@tauliah/demo-data';
import { createPrivateKey, sign, type JsonWebKey } from 'node:crypto';

export const TEST_ISSUER = 'https://tauliah.local/auth';
export const TEST_AUDIENCE = 'tauliah';

export type Who = Role | TokenClaims;

const claimsOf = (who: Who): TokenClaims =>
  typeof who === 'string'
    ? (({ role, sub, providerId, employerId, funderId }) => ({ role, sub, providerId, employerId, funderId }))(personas[who])
    : who;

/** Signs tokens the graph under test accepts: a role's demo persona, or any claims. */
export class TokenFactory {
  private constructor(readonly key: DevSigningKey) {}

  static async create(key?: DevSigningKey): Promise<TokenFactory> {
    return new TokenFactory(key ?? (await createDevSigningKey()));
  }

  /** The verifier of a test graph or subgraph: trusts this factory's key, with the configured lifetime limit. */
  verifier(config: { MAX_TOKEN_LIFETIME_SECONDS: number }): TokenVerifier {
    return createTokenVerifier({ issuer: TEST_ISSUER, audience: TEST_AUDIENCE, publicJwk: this.key.publicJwk, maxLifetimeSeconds: config.MAX_TOKEN_LIFETIME_SECONDS });
  }

  async tokenFor(who: Who, options: { expiresIn?: string } = {}): Promise<string> {
    return signToken(this.key, claimsOf(who), { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, expiresIn: options.expiresIn });
  }

  /**
   * A token signed by the trusted key with exactly the time claims given (`iat`, `exp` in
   * seconds since the epoch; either left out when absent): for tests of the tokens the
   * verifier must refuse however well signed, such as one that never expires.
   */
  tokenWithTimes(who: Who, times: { iat?: number; exp?: number }): string {
    const header = { alg: 'EdDSA', kid: this.key.privateJwk.kid, typ: 'JWT' };
    const payload = { ...claimsOf(who), iss: TEST_ISSUER, aud: TEST_AUDIENCE, ...times };
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const input = `${encode(header)}.${encode(payload)}`;
    const key = createPrivateKey({ key: this.key.privateJwk as JsonWebKey, format: 'jwk' });
    return `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`;
  }
}
