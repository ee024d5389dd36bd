import type { Database } from '@tauliah/core';
import { buildStatusListCredential, signDataIntegrity, StatusBitstring, STATUS_LIST_ENTRIES, StatusValue, SUSPENSION_LIST_SUFFIX } from '@tauliah/credentials-vc';
import { and, desc, eq, sql } from 'drizzle-orm';
import { createHash, randomInt } from 'node:crypto';
import type { CredentialsConfig } from '../config.ts';
import { credential, issuer, statusList, type tables } from '../db/schema.ts';
import { signingKeyOf } from './issuers.ts';

type Db = Database<typeof tables>;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** A list takes new credentials until half full, so a random free index is found in a few draws and indexes stay unguessable. */
const FILL_LIMIT = STATUS_LIST_ENTRIES / 2;

export const statusListUrl = (baseUrl: string, listId: string) => `${baseUrl}/status-lists/${listId}`;
/** A revocation list's companion: which of the credentials set on it are only suspended. */
export const suspensionListUrl = (baseUrl: string, listId: string) => `${statusListUrl(baseUrl, listId)}${SUSPENSION_LIST_SUFFIX}`;

/** An empty 1-bit list, as stored. */
const emptyBits = () => Buffer.from(new StatusBitstring(undefined, 1).bytes);

/**
 * Random free slots in the issuer's current list for `count` new credentials.
 * The list row is locked for the transaction, so concurrent issuances never
 * draw the same index (a unique constraint backs this up).
 */
export async function allocateStatusSlots(tx: Tx, providerId: string, count: number): Promise<{ listId: string; indexes: number[] }> {
  // Only revocation lists take new credentials; the old 2-bit message lists keep those they have.
  let [list] = await tx
    .select({ id: statusList.id, allocated: statusList.allocated })
    .from(statusList)
    .where(and(eq(statusList.providerId, providerId), eq(statusList.purpose, 'revocation')))
    .orderBy(desc(statusList.createdAt))
    .limit(1)
    .for('update');
  if (!list || list.allocated + count > FILL_LIMIT) {
    [list] = await tx
      .insert(statusList)
      .values({ providerId, purpose: 'revocation', bits: emptyBits(), suspensionBits: emptyBits() })
      .returning({ id: statusList.id, allocated: statusList.allocated });
  }
  const listId = list!.id;
  const used = new Set(
    (await tx.select({ index: credential.statusIndex }).from(credential).where(eq(credential.statusListId, listId))).map((r) => r.index),
  );
  const indexes: number[] = [];
  while (indexes.length < count) {
    const index = randomInt(STATUS_LIST_ENTRIES);
    if (used.has(index)) continue;
    used.add(index);
    indexes.push(index);
  }
  await tx.update(statusList).set({ allocated: sql`${statusList.allocated} + ${count}` }).where(eq(statusList.id, listId));
  return { listId, indexes };
}

/** Postgres numbers a bytea's bits from the least significant bit of each byte; the spec from the most significant. */
const pgBit = (position: number) => (position & ~7) + (7 - (position & 7));

/**
 * Writes a credential's status into its list, in the caller's transaction. A
 * revocation list: the revocation bit set while revoked or suspended (any
 * verifier then reads "not valid"), the suspension bit while only suspended.
 * A message list (credentials issued before): the 2-bit value.
 */
export async function writeStatus(tx: Tx, listId: string, index: number, value: StatusValue): Promise<void> {
  const [list] = await tx.select({ purpose: statusList.purpose }).from(statusList).where(eq(statusList.id, listId));
  if (!list) return;
  if (list.purpose === 'revocation') {
    const bit = pgBit(index);
    await tx
      .update(statusList)
      .set({
        bits: sql`set_bit(${statusList.bits}, ${bit}, ${value === StatusValue.VALID ? 0 : 1})`,
        suspensionBits: sql`set_bit(${statusList.suspensionBits}, ${bit}, ${value === StatusValue.SUSPENDED ? 1 : 0})`,
        updatedAt: sql`now()`,
      })
      .where(eq(statusList.id, listId));
    return;
  }
  const high = pgBit(index * 2);
  const low = pgBit(index * 2 + 1);
  await tx
    .update(statusList)
    .set({
      bits: sql`set_bit(set_bit(${statusList.bits}, ${high}, ${(value >> 1) & 1}), ${low}, ${value & 1})`,
      updatedAt: sql`now()`,
    })
    .where(eq(statusList.id, listId));
}

/** Signed lists by URL, with the version (bits and signing key) they were signed at: a list is re-signed only after it changed. */
const signedLists = new Map<string, { version: string; document: object }>();

/**
 * The signed BitstringStatusListCredential at /status-lists/<id> (`revocation`,
 * or `message` for a list from before), or with `suspension` the companion
 * list at /status-lists/<id>/suspension; null for an unknown list (or a
 * `message` list's suspension companion, which it never had).
 */
export async function statusListCredential(db: Db, config: CredentialsConfig, listId: string, which: 'status' | 'suspension' = 'status'): Promise<object | null> {
  const [row] = await db
    .select({
      id: statusList.id,
      providerId: statusList.providerId,
      purpose: statusList.purpose,
      bits: statusList.bits,
      suspensionBits: statusList.suspensionBits,
      createdAt: statusList.createdAt,
      baseUrl: issuer.baseUrl,
    })
    .from(statusList)
    .innerJoin(issuer, eq(issuer.providerId, statusList.providerId))
    .where(eq(statusList.id, listId));
  if (!row) return null;
  const bits = which === 'suspension' ? row.suspensionBits : row.bits;
  if (!bits) return null;
  const signer = await signingKeyOf(db, config, row.providerId);
  if (!signer) return null;
  const listUrl = which === 'suspension' ? suspensionListUrl(row.baseUrl, row.id) : statusListUrl(row.baseUrl, row.id);
  // A new signing key (a rotation, or a compromise) re-signs the list even when its bits did not change.
  const version = `${createHash('sha256').update(bits).digest('base64url')}|${signer.key.id}`;
  const cached = signedLists.get(listUrl);
  if (cached && cached.version === version) return cached.document;
  const purpose = which === 'suspension' ? 'suspension' : row.purpose;
  const unsigned = buildStatusListCredential({
    listUrl,
    issuer: signer.row.did,
    validFrom: row.createdAt,
    bitstring: new StatusBitstring(new Uint8Array(bits), purpose === 'message' ? 2 : 1),
    purpose,
  });
  const document = await signDataIntegrity(unsigned, signer.key);
  signedLists.set(listUrl, { version, document });
  return document;
}
