import type { Database } from '@tauliah/core';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { createHash, randomBytes } from 'node:crypto';
import { credentialShareLink, type tables } from '../db/schema.ts';
import type { AccessCheck } from './routes.ts';

type Db = Database<typeof tables>;

/** A share link's secret: 256 random bits, base64url (43 characters). Only its hash is stored. */
export const newShareToken = () => randomBytes(32).toString('base64url');
export const hashShareToken = (token: string) => createHash('sha256').update(token).digest('hex');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Who may open a credential's page, badge, QR and documents without an
 * account: anyone when its holder made it PUBLIC (with the name they
 * published then, if any), or whoever holds a live share link the holder
 * made for exactly this credential (with the name read as them then).
 * Anyone else: null, as for an unknown id.
 */
export function credentialAccess(db: Db): AccessCheck {
  return async (row, url) => {
    const token = url.searchParams.get('share');
    if (token && TOKEN.test(token)) {
      const [link] = await db
        .select({ holderName: credentialShareLink.holderName, expiresAt: credentialShareLink.expiresAt })
        .from(credentialShareLink)
        .where(
          and(
            eq(credentialShareLink.tokenHash, hashShareToken(token)),
            eq(credentialShareLink.credentialId, row.id),
            // A link made by the credential's holder: it does not survive the credential changing hands (it cannot, but say so).
            eq(credentialShareLink.holderId, row.holderId),
            isNull(credentialShareLink.revokedAt),
            gt(credentialShareLink.expiresAt, sql`now()`),
          ),
        );
      if (link) return { holderName: link.holderName, share: { token, expiresAt: link.expiresAt } };
    }
    if (row.visibility === 'PUBLIC') return { holderName: row.publicHolderName, share: null };
    return null;
  };
}
