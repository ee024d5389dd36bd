import { createDevSigningKey, signToken, type DevSigningKey, type Role, type TokenClaims } from '@tauliah/core';
import { personas } from '@tauliah/demo-data';

export const TEST_ISSUER = 'https://tauliah.local/auth';
export const TEST_AUDIENCE = 'tauliah';

export type Who = Role | TokenClaims;

/** Signs tokens the graph under test accepts: a role's demo persona, or any claims. */
export class TokenFactory {
  private constructor(readonly key: DevSigningKey) {}

  static async create(key?: DevSigningKey): Promise<TokenFactory> {
    return new TokenFactory(key ?? (await createDevSigningKey()));
  }

  async tokenFor(who: Who, options: { expiresIn?: string } = {}): Promise<string> {
    const claims: TokenClaims =
      typeof who === 'string'
        ? (({ role, sub, providerId, employerId, funderId }) => ({ role, sub, providerId, employerId, funderId }))(personas[who])
        : who;
    return signToken(this.key, claims, { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, expiresIn: options.expiresIn });
  }
}
