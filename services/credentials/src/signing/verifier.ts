import { isUuid, type Database } from '@tauliah/core';
import { verifyCredentialDocument, type VerificationResult, type VerifyOptions } from '@tauliah/credentials-vc';
import { eq } from 'drizzle-orm';
import type { CredentialsConfig } from '../config.ts';
import { issuer, type tables } from '../db/schema.ts';
import { issuerDocument } from './issuers.ts';
import { statusListCredential, statusListUrl } from './status-lists.ts';

type Db = Database<typeof tables>;

/**
 * Verification as a third party does it, with our own issuers resolved from
 * our database instead of over the network: a did:web of ours needs no
 * request, and anyone else's DID is unknown (the "issuer known" check fails).
 */
export function verifierFor(db: Db, config: CredentialsConfig): VerifyOptions {
  return {
    resolveController: async (id) => (await issuerDocument(db, { did: id }))?.document ?? null,
    issuerStanding: async (id) => {
      const [row] = await db.select({ name: issuer.name, inGoodStanding: issuer.inGoodStanding }).from(issuer).where(eq(issuer.did, id));
      return row ? { known: true, inGoodStanding: row.inGoodStanding, name: row.name } : { known: false, inGoodStanding: false };
    },
    loadStatusList: async (url) => {
      const listId = /\/status-lists\/([^/#?]+)$/.exec(url)?.[1];
      if (!listId || !isUuid(listId)) return null;
      const list = (await statusListCredential(db, config, listId)) as { id?: string } | null;
      // Only the exact URL the list was published under: a look-alike on another host is not ours.
      return list && list.id === url && list.id === statusListUrl(url.slice(0, url.indexOf('/status-lists/')), listId) ? list : null;
    },
  };
}

export const verifyDocument = (db: Db, config: CredentialsConfig, document: unknown): Promise<VerificationResult> =>
  verifyCredentialDocument(document, verifierFor(db, config));
