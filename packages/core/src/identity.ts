import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
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
  /** The longest a token may live, `exp` - `iat` in seconds (MAX_TOKEN_LIFETIME_SECONDS); 24 h unless set. */
  maxLifetimeSeconds?: number;
}

const ALGORITHMS = ['EdDSA', 'ES256', 'RS256'];

/** The longest a token may live unless MAX_TOKEN_LIFETIME_SECONDS says otherwise: 24 h. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 86_400;
/** How far the clocks of the identity provider and this process may disagree, for `exp` and `iat`. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** The tokens minted locally (`npm start`, `tauliah token`, tests) last a working day, within the maximum. */
export const DEV_TOKEN_LIFETIME_SECONDS = 12 * 3600;

export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  if (!options.jwksUrl && !options.publicJwk) throw new Error('A token verifier needs either a JWKS URL or a public key');
  const jwks = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 })
    : undefined;
  const localKey = options.publicJwk ? importJWK(options.publicJwk, options.publicJwk.alg ?? 'EdDSA') : undefined;
  const verifyOptions = { issuer: options.issuer, audience: options.audience, algorithms: ALGORITHMS, clockTolerance: CLOCK_TOLERANCE_SECONDS };
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;

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
      const lifetimeProblem = lifetimeProblemOf(payload, maxLifetime);
      if (lifetimeProblem) throw new Unauthenticated(lifetimeProblem, 401);
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) {
        throw new Unauthenticated(`The token's claims are not usable: ${claims.error.issues.map((i) => i.message).join('; ')}.`, 401);
      }
      const { sub, role, providerId, employerId, funderId } = claims.data;
      return { kind: 'principal', subject: sub, role, providerId, employerId, funderId };
    },
  };
}

/**
 * A well-signed token is still refused when it does not say when it expires and
 * when it was issued, lives longer than the maximum, or claims to be issued in
 * the future (which would stretch its lifetime past the maximum unnoticed).
 * jose has already checked that `exp` and `iat`, when present, are numbers and
 * that `exp` has not passed.
 */
function lifetimeProblemOf(payload: JWTPayload, maxLifetime: number): string | undefined {
  const { exp, iat } = payload;
  if (exp === undefined) return `The token has no expiry (exp claim): tokens must expire, at most ${maxLifetime} s after they are issued.`;
  if (iat === undefined) return `The token has no issue time (iat claim): tokens must say when they were issued, to bound their lifetime (at most ${maxLifetime} s).`;
  if (exp - iat > maxLifetime) {
    return `The token's lifetime is too long: it lives ${exp - iat} s (exp - iat), at most ${maxLifetime} s is accepted. Get a shorter-lived token.`;
  }
  if (iat > Math.floor(Date.now() / 1000) + CLOCK_TOLERANCE_SECONDS) return 'The token was issued in the future (iat claim): check the clock of its issuer.';
  return undefined;
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

/** A token asked to live longer than the verifiers accept: it would be refused, so it is not minted. */
export class TokenLifetimeError extends Error {
  constructor(
    readonly lifetimeSeconds: number,
    readonly maxLifetimeSeconds: number,
  ) {
    super(`A token may live at most ${maxLifetimeSeconds} s (MAX_TOKEN_LIFETIME_SECONDS); this one would live ${lifetimeSeconds} s.`);
    this.name = 'TokenLifetimeError';
  }
}

/**
 * Signs a token with the local key: issued now, expiring after `expiresIn`
 * ("90m", "8h", ...; a negative one, "-1m", for an expired token), by default a
 * working day (12 h) or the maximum lifetime if that is shorter. Throws
 * TokenLifetimeError rather than mint a token the verifiers would refuse.
 */
export async function signToken(
  key: DevSigningKey,
  claims: TokenClaims,
  options: { issuer: string; audience: string; expiresIn?: string; maxLifetimeSeconds?: number },
): Promise<string> {
  const privateKey = await importJWK(key.privateJwk, 'EdDSA');
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const { sub, role, providerId, employerId, funderId } = claims;
  const token = await new SignJWT({ role, providerId, employerId, funderId })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.privateJwk.kid, typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    // Expiry before issue time: should the clock tick between the two, the token lives a second less, never more.
    .setExpirationTime(options.expiresIn ?? `${Math.min(DEV_TOKEN_LIFETIME_SECONDS, maxLifetime)}s`)
    .setIssuedAt()
    .sign(privateKey);
  const { exp = 0, iat = 0 } = decodeJwt(token);
  if (exp - iat > maxLifetime) throw new TokenLifetimeError(exp - iat, maxLifetime);
  return token;
}
