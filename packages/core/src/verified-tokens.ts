import { BoundedCache } from './bounded-cache.ts';
import type { TokenVerifier, Viewer } from './identity.ts';

export interface VerifiedTokenOptions {
  /** Distinct tokens remembered; the least recently used is forgotten first. */
  maxEntries?: number;
  /**
   * How long a verification is relied on at most, whatever the token's
   * expiry: a signing key withdrawn from the identity provider's JWKS stops
   * being trusted here within this much longer than it does for a verifier
   * without memory (which caches the JWKS itself for minutes).
   */
  maxAgeMs?: number;
  /** The clock, in milliseconds; tests pass their own. */
  now?: () => number;
}

interface Verified {
  viewer: Viewer;
  /** The token's `exp`, in milliseconds. */
  expiresAt: number;
  verifiedAt: number;
}

/**
 * A token verifier that checks each distinct token once and then relies on
 * the answer for as long as it cannot change: until the token expires (or
 * `maxAgeMs`, whichever comes first). Whether a signature verifies and what
 * the claims say do not change with time; expiry does, so a remembered token
 * is only accepted strictly before its `exp`, and from then on verified again
 * (the verifier then applies its clock tolerance, and refuses it in time).
 * Only tokens that verified are remembered: a refused token is verified, and
 * refused, every time. A token without a readable `exp` is never remembered.
 * The public (no Authorization header) costs nothing either way.
 */
export function rememberingVerifier(verifier: TokenVerifier, options: VerifiedTokenOptions = {}): TokenVerifier {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const verified = new BoundedCache<string, Verified>(options.maxEntries ?? 10_000);
  return {
    async viewerFor(authorization) {
      if (!authorization) return verifier.viewerFor(authorization);
      const known = verified.get(authorization);
      const at = now();
      if (known && at < known.expiresAt && at - known.verifiedAt < maxAgeMs) return known.viewer;
      if (known) verified.delete(authorization);
      const viewer = await verifier.viewerFor(authorization);
      const expiresAt = expiryOf(authorization);
      if (viewer.kind === 'principal' && expiresAt !== undefined) verified.set(authorization, { viewer: Object.freeze(viewer), expiresAt, verifiedAt: at });
      return viewer;
    },
  };
}

/** The `exp` claim of a verified bearer token, in milliseconds; undefined when it has none that is a number. */
function expiryOf(authorization: string): number | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
