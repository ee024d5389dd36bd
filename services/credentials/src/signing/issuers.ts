import { DEFAULT_PORTS, type BaseConfig, type Database } from '@tauliah/core';
import { decryptSeed, didDocument, didWebFor, encryptSeed, generateIssuerKey, issuerKeyFromSeed, type DidDocument, type IssuerKey } from '@tauliah/credentials-vc';
import { and, asc, eq, gte, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { CredentialsConfig } from '../config.ts';
import { credential, issuer, issuerKey, type IssuerKeyRow, type IssuerRow, type tables } from '../db/schema.ts';

type Db = Database<typeof tables>;

/** Where our documents live. Without PUBLIC_BASE_URL, the embedded graph's credentials port, so ids do not depend on which port a test server got. */
export const publicBaseOf = (config: Pick<BaseConfig, 'PUBLIC_BASE_URL'>) =>
  (config.PUBLIC_BASE_URL ?? `http://localhost:${DEFAULT_PORTS.credentials}`).replace(/\/$/, '');

export interface IssuerProvider {
  id: string;
  name: string;
  website: string | null;
  mqaRegistration: string | null;
  inGoodStanding: boolean;
}

/** Decrypted keys, by key id: unsealing costs a scalar multiplication, not worth repeating per credential. */
const unsealed = new Map<string, Promise<IssuerKey>>();
/** The seed behind a key, for handing to this process's signing threads. */
const seeds = new WeakMap<IssuerKey, Uint8Array>();
export const seedOf = (key: IssuerKey): Uint8Array => seeds.get(key)!;

function unseal(config: CredentialsConfig, row: { id: string; sealedSeed: string }, did: string): Promise<IssuerKey> {
  let key = unsealed.get(row.id);
  if (!key) {
    const seed = decryptSeed(config.CREDENTIAL_KEY_ENCRYPTION_KEY, row.sealedSeed, did);
    key = issuerKeyFromSeed(did, seed).then((k) => (seeds.set(k, seed), k));
    unsealed.set(row.id, key);
  }
  return key;
}

/**
 * The issuer record of each provider, created on its first issuance with a
 * did:web and an Ed25519 key; its name and standing refreshed from the
 * providers service's answer. Returns the issuers with their signing keys.
 */
export async function ensureIssuers(db: Db, config: CredentialsConfig, providers: IssuerProvider[]): Promise<Map<string, { row: IssuerRow; key: IssuerKey }>> {
  const result = new Map<string, { row: IssuerRow; key: IssuerKey }>();
  if (providers.length === 0) return result;
  const baseUrl = publicBaseOf(config);
  const rows = await db
    .insert(issuer)
    .values(providers.map((p) => ({ providerId: p.id, did: didWebFor(baseUrl, 'issuers', p.id), baseUrl, name: p.name, website: p.website, mqaRegistration: p.mqaRegistration, inGoodStanding: p.inGoodStanding })))
    .onConflictDoUpdate({
      target: issuer.providerId,
      set: { name: sql`excluded.name`, website: sql`excluded.website`, mqaRegistration: sql`excluded.mqa_registration`, inGoodStanding: sql`excluded.in_good_standing`, updatedAt: sql`now()` },
    })
    .returning();
  const active = await activeKeys(db, rows.map((r) => r.providerId));
  const missing = rows.filter((row) => !active.has(row.providerId));
  if (missing.length > 0) {
    const fresh = await Promise.all(missing.map(async (row) => ({ row, ...(await generateIssuerKey(row.did)) })));
    // Two first issuances racing: the partial unique index keeps one active key; the loser reads the winner's.
    await db
      .insert(issuerKey)
      .values(fresh.map(({ row, key, seed }) => ({ id: key.id, providerId: row.providerId, publicKeyMultibase: key.publicKeyMultibase, sealedSeed: encryptSeed(config.CREDENTIAL_KEY_ENCRYPTION_KEY, seed, row.did) })))
      .onConflictDoNothing();
    for (const [providerId, keyRow] of await activeKeys(db, missing.map((r) => r.providerId))) active.set(providerId, keyRow);
  }
  for (const row of rows) {
    const keyRow = active.get(row.providerId);
    if (!keyRow) throw new Error(`issuer ${row.providerId} has no signing key`);
    result.set(row.providerId, { row, key: await unseal(config, keyRow, row.did) });
  }
  return result;
}

/**
 * Records each provider's standing as the providers service just reported it,
 * for those already issuers: a provider that lost its standing fails the
 * "issuer known and in good standing" check from then on, though it issues nothing new.
 */
export async function refreshStanding(db: Db, providers: IssuerProvider[]): Promise<void> {
  for (const p of new Map(providers.map((p) => [p.id, p])).values()) {
    await db
      .update(issuer)
      // Lost: since now, unless the providers service's event already said when. Regained: no suspension.
      .set({ inGoodStanding: p.inGoodStanding, suspendedAt: p.inGoodStanding ? null : sql`coalesce(${issuer.suspendedAt}, now())`, updatedAt: sql`now()` })
      .where(and(eq(issuer.providerId, p.id), sql`${issuer.inGoodStanding} <> ${p.inGoodStanding}`));
  }
}

async function activeKeys(db: Db, providerIds: string[]) {
  const rows = await db
    .select()
    .from(issuerKey)
    .where(and(inArray(issuerKey.providerId, providerIds), isNull(issuerKey.retiredAt)));
  return new Map(rows.map((row) => [row.providerId, row]));
}

/** The issuer's signing key, for signing a stored credential later (lazily, or a status list). */
export async function signingKeyOf(db: Db, config: CredentialsConfig, providerId: string): Promise<{ row: IssuerRow; key: IssuerKey } | null> {
  const [row] = await db.select().from(issuer).where(eq(issuer.providerId, providerId));
  if (!row) return null;
  const [keyRow] = (await activeKeys(db, [providerId])).values();
  return keyRow ? { row, key: await unseal(config, keyRow, row.did) } : null;
}

/** Retires the current key and makes a new one sign from now on; the old public key stays in the DID document. */
export async function rotateIssuerKey(db: Db, config: CredentialsConfig, providerId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(issuer).where(eq(issuer.providerId, providerId)).for('update');
    if (!row) return false;
    await replaceActiveKey(tx, config, row);
    return true;
  });
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

async function replaceActiveKey(tx: Tx, config: CredentialsConfig, row: IssuerRow): Promise<void> {
  const { key, seed } = await generateIssuerKey(row.did);
  await tx.update(issuerKey).set({ retiredAt: sql`now()` }).where(and(eq(issuerKey.providerId, row.providerId), isNull(issuerKey.retiredAt)));
  await tx.insert(issuerKey).values({ id: key.id, providerId: row.providerId, publicKeyMultibase: key.publicKeyMultibase, sealedSeed: encryptSeed(config.CREDENTIAL_KEY_ENCRYPTION_KEY, seed, row.did) });
}

/** The key with this id, with its issuer: null for a key that is not one of ours. */
export async function issuerKeyById(db: Db, keyId: string): Promise<IssuerKeyRow | null> {
  const [row] = await db.select().from(issuerKey).where(eq(issuerKey.id, keyId));
  return row ?? null;
}

/**
 * Records that a key leaked, from `from` on (at most now; a later report may
 * only move the time earlier). In one transaction: the key leaves the DID
 * document; if it was signing, a new key takes over; and the stored documents
 * it signed for credentials issued from `from` on are dropped, so they are
 * signed again with the new key when next asked for (their content is the
 * frozen document, so nothing but the proof changes). What it signed for
 * credentials issued before keeps verifying through our record (verifier.ts).
 */
export async function reportKeyCompromise(db: Db, config: CredentialsConfig, key: IssuerKeyRow, from: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(issuer).where(eq(issuer.providerId, key.providerId)).for('update');
    const [current] = await tx.select().from(issuerKey).where(eq(issuerKey.id, key.id)).for('update');
    if (!row || !current) return;
    const since = current.compromisedFrom && current.compromisedFrom < from ? current.compromisedFrom : from;
    await tx
      .update(issuerKey)
      .set({ compromisedFrom: since, compromiseReportedAt: current.compromiseReportedAt ?? sql`now()` })
      .where(eq(issuerKey.id, key.id));
    if (current.retiredAt === null) await replaceActiveKey(tx, config, row);
    const signed = await tx
      .select({ id: credential.id, documentJwt: credential.documentJwt, documentDataIntegrity: credential.documentDataIntegrity })
      .from(credential)
      .where(
        and(
          eq(credential.issuerId, key.providerId),
          gte(credential.issuedAt, since),
          or(isNotNull(credential.documentJwt), isNotNull(credential.documentDataIntegrity)),
        ),
      );
    const jwtBy = (jwt: string | null) => {
      try {
        return jwt ? (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8')) as { kid?: string }).kid : undefined;
      } catch {
        return undefined;
      }
    };
    const diBy = (document: Record<string, unknown> | null) => {
      const proof = document?.proof as { verificationMethod?: string } | Array<{ verificationMethod?: string }> | undefined;
      return Array.isArray(proof) ? proof[0]?.verificationMethod : proof?.verificationMethod;
    };
    const jwtIds = signed.filter((c) => jwtBy(c.documentJwt) === key.id).map((c) => c.id);
    const diIds = signed.filter((c) => diBy(c.documentDataIntegrity) === key.id).map((c) => c.id);
    for (let i = 0; i < jwtIds.length; i += 5000) await tx.update(credential).set({ documentJwt: null }).where(inArray(credential.id, jwtIds.slice(i, i + 5000)));
    for (let i = 0; i < diIds.length; i += 5000) await tx.update(credential).set({ documentDataIntegrity: null }).where(inArray(credential.id, diIds.slice(i, i + 5000)));
  });
  unsealed.delete(key.id);
}

/**
 * The DID document of one of our issuers, by DID or provider id: null for
 * anyone else. Every key it signed with stays listed, so credentials signed
 * before a rotation keep verifying; a key reported compromised is left out
 * (no verifier should accept it for anything). `withCompromised` is for our
 * own verifier only, which judges those keys against our record.
 */
export async function issuerDocument(
  db: Db,
  by: { did: string } | { providerId: string },
  options: { withCompromised?: boolean } = {},
): Promise<{ row: IssuerRow; document: DidDocument } | null> {
  const [row] = await db
    .select()
    .from(issuer)
    .where('did' in by ? eq(issuer.did, by.did) : eq(issuer.providerId, by.providerId));
  if (!row) return null;
  const keys = await db
    .select()
    .from(issuerKey)
    .where(and(eq(issuerKey.providerId, row.providerId), options.withCompromised ? undefined : isNull(issuerKey.compromisedFrom)))
    .orderBy(asc(issuerKey.createdAt), asc(issuerKey.id));
  return { row, document: didDocument(row.did, keys) };
}
