import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { generateKeyPair, exportJWK, importJWK, type JWK } from 'jose';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { Unauthenticated } from './errors.ts';

export const ROLES = ['LEARNER', 'PROVIDER_STAFF', 'EMPLOYER', 'FUNDER', 'PARTNER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: the public, or a verified principal acting for at most one organisation. */
export type Viewer =
  | { kind: 'public' }
  | {
      kind: 'principal';
      subject: string;
      role: Role;
      providerId?: string;
      employerId?: string;
      funderId?: string;
    };

export type Principal = Extract<Viewer, { kind: 'principal' }>;
export const PUBLIC_VIEWER: Viewer = Object.freeze({ kind: 'public' });

const claimsSchema = z
  .object({
    sub: z.string().min(1),
    role: z.enum(ROLES),
    providerId: z.string().uuid().optional(),
    employerId: z.string().uuid().optional(),
    funderId: z.string().uuid().optional(),
  })
  .superRefine((claims, ctx) => {
    const need: Partial<Record<Role, Array<'providerId' | 'employerId' | 'funderId'>>> = {
      PROVIDER_STAFF: ['providerId'],
      EMPLOYER: ['employerId'],
      FUNDER: ['funderId'],
    };
    for (const claim of need[claims.role] ?? []) {
      if (!claims[claim]) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `role ${claims.role} needs a ${claim} claim` });
    }
    if (claims.role === 'PARTNER' && !claims.providerId === !claims.employerId) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'role PARTNER acts for exactly one providerId or employerId' });
    }
    if (claims.role === 'LEARNER' && !z.string().uuid().safeParse(claims.sub).success) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'a LEARNER token has the learner id as sub' });
    }
  });

export type TokenClaims = z.infer<typeof claimsSchema>;

export interface TokenVerifier {
  /** Resolves the Authorization header to a viewer; no header is the public. Throws Unauthenticated. */
  viewerFor(authorization: string | undefined | null): Promise<Viewer>;
}

export interface VerifierOptions {
  issuer: string;
  audience: string;
  /** Production: the identity provider's JWKS. */
  jwksUrl?: string;
  /** Embedded mode and tests: the local signing key's public half. */
  publicJwk?: JWK;
}

const ALGORITHMS = ['EdDSA', 'ES256', 'RS256'];

export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  if (!options.jwksUrl && !options.publicJwk) throw new Error('A token verifier needs either a JWKS URL or a public key');
  const jwks = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 })
    : undefined;
  const localKey = options.publicJwk ? importJWK(options.publicJwk, options.publicJwk.alg ?? 'EdDSA') : undefined;
  const verifyOptions = { issuer: options.issuer, audience: options.audience, algorithms: ALGORITHMS, clockTolerance: 5 };

  return {
    async viewerFor(authorization) {
      if (!authorization) return PUBLIC_VIEWER;
      const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
      if (!match?.[1]) throw new Unauthenticated('The Authorization header must be "Bearer <token>".', 401);
      let payload: JWTPayload;
      try {
        ({ payload } = jwks
          ? await jwtVerify(match[1], jwks, verifyOptions)
          : await jwtVerify(match[1], (await localKey)!, verifyOptions));
      } catch (error) {
        throw new Unauthenticated(describeTokenFailure(error), 401);
      }
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) {
        throw new Unauthenticated(`The token's claims are not usable: ${claims.error.issues.map((i) => i.message).join('; ')}.`, 401);
      }
      const { sub, role, providerId, employerId, funderId } = claims.data;
      return { kind: 'principal', subject: sub, role, providerId, employerId, funderId };
    },
  };
}

function describeTokenFailure(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired: get a new one.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The token was not issued for this graph (${error.claim} claim).`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The token signature is not valid.';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'The token is signed with an algorithm this graph does not accept.';
  return 'The token is malformed or not signed by a trusted key.';
}

/** The local key that signs tokens in embedded mode, created once and kept in the data directory. */
export interface DevSigningKey {
  privateJwk: JWK;
  publicJwk: JWK;
}

export async function loadOrCreateDevSigningKey(path: string): Promise<DevSigningKey> {
  try {
    const stored = JSON.parse(await readFile(path, 'utf8')) as DevSigningKey;
    if (stored.privateJwk && stored.publicJwk) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = await createDevSigningKey();
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(key, null, 2), { mode: 0o600 });
  return key;
}

export async function createDevSigningKey(): Promise<DevSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = `dev-${Date.now().toString(36)}`;
  const privateJwk = { ...(await exportJWK(privateKey)), alg: 'EdDSA', kid };
  const publicJwk = { ...(await exportJWK(publicKey)), alg: 'EdDSA', kid };
  return { privateJwk, publicJwk };
}

export async function signToken(
  key: DevSigningKey,
  claims: TokenClaims,
  options: { issuer: string; audience: string; expiresIn?: string },
): Promise<string> {
  const privateKey = await importJWK(key.privateJwk, 'EdDSA');
  const { sub, role, providerId, employerId, funderId } = claims;
  return new SignJWT({ role, providerId, employerId, funderId })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.privateJwk.kid, typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(privateKey);
}
