import { isUuid, type Database } from '@tauliah/core';
import { verifyCredentialDocument, type VerificationResult, type VerifyOptions } from '@tauliah/credentials-vc';
import { eq } from 'drizzle-orm';
import type { CredentialsConfig } from '../config.ts';
import { credential, issuer, issuerKey, type tables } from '../db/schema.ts';
import { credentialUrl } from './documents.ts';
import { issuerDocument } from './issuers.ts';
import { statusListCredential, statusListUrl, suspensionListUrl } from './status-lists.ts';

type Db = Database<typeof tables>;

/**
 * Verification as a third party does it, with our own issuers resolved from
 * our database instead of over the network: a did:web of ours needs no
 * request, and anyone else's DID is unknown (the "issuer known" check fails).
 * Keys reported compromised are resolved here (unlike in the published DID
 * document) so that the KEY_STANDING check, not a failed proof, says why a
 * credential they signed is refused, and so that one our record shows issued
 * before the compromise still verifies.
 */
export function verifierFor(db: Db, config: CredentialsConfig): VerifyOptions {
  return {
    resolveController: async (id) => (await issuerDocument(db, { did: id }, { withCompromised: true }))?.document ?? null,
    issuerStanding: async (id) => {
      const [row] = await db.select({ name: issuer.name, inGoodStanding: issuer.inGoodStanding, suspendedAt: issuer.suspendedAt }).from(issuer).where(eq(issuer.did, id));
      return row ? { known: true, inGoodStanding: row.inGoodStanding, name: row.name, suspendedFrom: row.suspendedAt } : { known: false, inGoodStanding: false };
    },
    loadStatusList: async (url) => {
      const [, listId, suspension] = /\/status-lists\/([^/#?]+)(\/suspension)?$/.exec(url) ?? [];
      if (!listId || !isUuid(listId)) return null;
      const list = (await statusListCredential(db, config, listId, suspension ? 'suspension' : 'status')) as { id?: string } | null;
      // Only the exact URL the list was published under: a look-alike on another host is not ours.
      const base = url.slice(0, url.indexOf('/status-lists/'));
      return list && list.id === url && list.id === (suspension ? suspensionListUrl : statusListUrl)(base, listId) ? list : null;
    },
    keyCompromisedFrom: async (methodId) => {
      const [row] = await db.select({ compromisedFrom: issuerKey.compromisedFrom }).from(issuerKey).where(eq(issuerKey.id, methodId));
      return row?.compromisedFrom ?? null;
    },
    onRecordBefore: async (document, presented, time) => {
      // Our record: the credential by the id it claims, issued before `time` by the issuer it names, with exactly this document stored.
      const id = typeof presented.id === 'string' ? /\/credentials\/([^/#?]+)$/.exec(presented.id)?.[1] : undefined;
      if (!id || !isUuid(id)) return false;
      const [row] = await db
        .select({ issuedAt: credential.issuedAt, jwt: credential.documentJwt, dataIntegrity: credential.documentDataIntegrity, did: issuer.did, baseUrl: issuer.baseUrl })
        .from(credential)
        .innerJoin(issuer, eq(issuer.providerId, credential.issuerId))
        .where(eq(credential.id, id));
      if (!row || row.issuedAt >= time || presented.id !== credentialUrl(row.baseUrl, id)) return false;
      const issuerId = typeof presented.issuer === 'string' ? presented.issuer : (presented.issuer as { id?: unknown } | undefined)?.id;
      if (issuerId !== row.did) return false;
      return typeof document === 'string' ? document === row.jwt : row.dataIntegrity !== null && canonical(document) === canonical(row.dataIntegrity);
    },
  };
}

/** JSON with object keys sorted: the same document, however its keys were ordered (jsonb reorders them) or its objects made. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const verifyDocument = (db: Db, config: CredentialsConfig, document: unknown): Promise<VerificationResult> =>
  verifyCredentialDocument(document, verifierFor(db, config));
