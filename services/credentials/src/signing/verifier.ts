import { builtOnce, isUuid, type Database } from '@tauliah/core';
import { didDocument, verifyCredentialDocument, type DidDocument, type VerificationResult, type VerifyOptions } from '@tauliah/credentials-vc';
import { asc, eq, sql } from 'drizzle-orm';
import type { CredentialsConfig } from '../config.ts';
import { credential, issuer, issuerKey, type tables } from '../db/schema.ts';
import { currentStatusLists } from './current-status-lists.ts';
import { credentialUrl, signedColumn, type DocumentFormat } from './documents.ts';
import { rememberingProofs } from './proof-cache.ts';
import { statusListUrl, suspensionListUrl } from './status-lists.ts';

type Db = Database<typeof tables>;

/**
 * One of our issuers as a verification reads it, in one statement: its
 * standing, and every key it ever had (those reported compromised too), oldest
 * first, with its controller document made from them.
 */
interface IssuerRecord {
  name: string;
  inGoodStanding: boolean;
  suspendedAt: Date | null;
  keys: Array<{ id: string; publicKeyMultibase: string; compromisedFrom: Date | null }>;
  document: DidDocument;
}

const issuerByDid = builtOnce((db: Db) =>
  db
    .select({
      did: issuer.did,
      name: issuer.name,
      inGoodStanding: issuer.inGoodStanding,
      suspendedAt: issuer.suspendedAt,
      keyId: issuerKey.id,
      publicKeyMultibase: issuerKey.publicKeyMultibase,
      compromisedFrom: issuerKey.compromisedFrom,
    })
    .from(issuer)
    .leftJoin(issuerKey, eq(issuerKey.providerId, issuer.providerId))
    .where(eq(issuer.did, sql.placeholder('did')))
    .orderBy(asc(issuerKey.createdAt), asc(issuerKey.id))
    .prepare('verify_issuer_by_did'),
);

async function readIssuer(db: Db, did: string): Promise<IssuerRecord | null> {
  const rows = await issuerByDid(db).execute({ did });
  const [first] = rows;
  if (!first) return null;
  const keys = rows.flatMap((r) => (r.keyId !== null && r.publicKeyMultibase !== null ? [{ id: r.keyId, publicKeyMultibase: r.publicKeyMultibase, compromisedFrom: r.compromisedFrom }] : []));
  return { name: first.name, inGoodStanding: first.inGoodStanding, suspendedAt: first.suspendedAt, keys, document: didDocument(first.did, keys) };
}

/** A credential as our record keeps it, in the signed form presented (only that large column read), with its issuer's DID and base URL: is a presented document ours? */
const recordedAs = (format: DocumentFormat, name: string) =>
  builtOnce((db: Db) =>
    db
      .select({ issuedAt: credential.issuedAt, stored: signedColumn[format], did: issuer.did, baseUrl: issuer.baseUrl })
      .from(credential)
      .innerJoin(issuer, eq(issuer.providerId, credential.issuerId))
      .where(eq(credential.id, sql.placeholder('id')))
      .prepare(name),
  );
const recordedJwt = recordedAs('VC_JWT', 'verify_recorded_jwt');
const recordedDataIntegrity = recordedAs('DATA_INTEGRITY', 'verify_recorded_data_integrity');

/**
 * Verification as a third party does it, with our own issuers resolved from
 * our database instead of over the network: a did:web of ours needs no
 * request, and anyone else's DID is unknown (the "issuer known" check fails).
 * Keys reported compromised are resolved here (unlike in the published DID
 * document) so that the KEY_STANDING check, not a failed proof, says why a
 * credential they signed is refused, and so that one our record shows issued
 * before the compromise still verifies.
 *
 * Everything is read live, once per verification (the options are made for
 * one): an issuer's standing, keys and controller document in one statement,
 * each status list's state in another.
 */
export function verifierFor(db: Db, config: CredentialsConfig): VerifyOptions {
  const issuers = new Map<string, Promise<IssuerRecord | null>>();
  const issuerOf = (did: string) => {
    let record = issuers.get(did);
    if (!record) issuers.set(did, (record = readIssuer(db, did)));
    return record;
  };
  const statusLists = currentStatusLists(db, config);
  return {
    resolveController: async (id) => (await issuerOf(id))?.document ?? null,
    issuerStanding: async (id) => {
      const row = await issuerOf(id);
      return row ? { known: true, inGoodStanding: row.inGoodStanding, name: row.name, suspendedFrom: row.suspendedAt } : { known: false, inGoodStanding: false };
    },
    loadStatusList: async (url) => {
      const [, listId, suspension] = /\/status-lists\/([^/#?]+)(\/suspension)?$/.exec(url) ?? [];
      if (!listId || !isUuid(listId)) return null;
      const list = (await statusLists(listId, suspension ? 'suspension' : 'status')) as { id?: string } | null;
      // Only the exact URL the list was published under: a look-alike on another host is not ours.
      const base = url.slice(0, url.indexOf('/status-lists/'));
      return list && list.id === url && list.id === (suspension ? suspensionListUrl : statusListUrl)(base, listId) ? list : null;
    },
    keyCompromisedFrom: async (methodId) => {
      // A key of an issuer this verification has read (the credential's own, always) is in that read.
      const did = methodId.split('#')[0]!;
      const known = issuers.has(did) ? (await issuerOf(did))?.keys.find((key) => key.id === methodId) : undefined;
      if (known) return known.compromisedFrom;
      const [row] = await db.select({ compromisedFrom: issuerKey.compromisedFrom }).from(issuerKey).where(eq(issuerKey.id, methodId));
      return row?.compromisedFrom ?? null;
    },
    onRecordBefore: async (document, presented, time) => {
      // Our record: the credential by the id it claims, issued before `time` by the issuer it names, with exactly this document stored.
      const id = typeof presented.id === 'string' ? /\/credentials\/([^/#?]+)$/.exec(presented.id)?.[1] : undefined;
      if (!id || !isUuid(id)) return false;
      const [row] = await (typeof document === 'string' ? recordedJwt : recordedDataIntegrity)(db).execute({ id });
      if (!row || row.issuedAt >= time || presented.id !== credentialUrl(row.baseUrl, id)) return false;
      const issuerId = typeof presented.issuer === 'string' ? presented.issuer : (presented.issuer as { id?: unknown } | undefined)?.id;
      if (issuerId !== row.did) return false;
      return typeof document === 'string' ? document === row.stored : row.stored !== null && canonical(document) === canonical(row.stored);
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

/** verifyCredentialDocument with `options`, each document's proof checked once while the keys it was checked with stand (proof-cache.ts). */
export const verifyRemembering = (document: unknown, options: VerifyOptions): Promise<VerificationResult> => verifyCredentialDocument(document, rememberingProofs(options));

export const verifyDocument = (db: Db, config: CredentialsConfig, document: unknown): Promise<VerificationResult> => verifyRemembering(document, verifierFor(db, config));
