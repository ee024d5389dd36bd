import type { Database } from '@tauliah/core';
import { buildStatusListCredential, signDataIntegrity, StatusBitstring, STATUS_LIST_ENTRIES, StatusValue } from '@tauliah/credentials-vc';
import { desc, eq, sql } from 'drizzle-orm';
import { createHash, randomInt } from 'node:crypto';
import type { CredentialsConfig } from '../config.ts';
import { credential, issuer, statusList, type tables } from '../db/schema.ts';
import { signingKeyOf } from './issuers.ts';

type Db = Database<typeof tables>;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** A list takes new credentials until half full, so a random free index is found in a few draws and indexes stay unguessable. */
const FILL_LIMIT = STATUS_LIST_ENTRIES / 2;

export const statusListUrl = (baseUrl: string, listId: string) => `${baseUrl}/status-lists/${listId}`;

/**
 * Random free slots in the issuer's current list for `count` new credentials.
 * The list row is locked for the transaction, so concurrent issuances never
 * draw the same index (a unique constraint backs this up).
 */
export async function allocateStatusSlots(tx: Tx, providerId: string, count: number): Promise<{ listId: string; indexes: number[] }> {
  let [list] = await tx
    .select({ id: statusList.id, allocated: statusList.allocated })
    .from(statusList)
    .where(eq(statusList.providerId, providerId))
    .orderBy(desc(statusList.createdAt))
    .limit(1)
    .for('update');
  if (!list || list.allocated + count > FILL_LIMIT) {
    [list] = await tx
      .insert(statusList)
      .values({ providerId, bits: Buffer.from(new StatusBitstring().bytes) })
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

/** Writes a credential's 2-bit status into its list, in the caller's transaction. */
export async function writeStatus(tx: Tx, listId: string, index: number, value: StatusValue): Promise<void> {
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

/** Signed lists by list id and version: a list is re-signed only after it changed. */
const signedLists = new Map<string, { version: string; document: object }>();

/** The signed BitstringStatusListCredential at /status-lists/<id>, or null for an unknown list. */
export async function statusListCredential(db: Db, config: CredentialsConfig, listId: string): Promise<object | null> {
  const [row] = await db
    .select({ id: statusList.id, providerId: statusList.providerId, bits: statusList.bits, createdAt: statusList.createdAt  , baseUrl: issuer.baseUrl })
    .from(statusList)
    .innerJoin(issuer, eq(issuer.providerId, statusList.providerId))
    .where(eq(statusList.id, listId));
  if (!row) return null;
  const version = createHash('sha256').update(row.bits).digest('base64url');
  const cached = signedLists.get(listId);
  if (cached && cached.version === version) return cached.document;
  const signer = await signingKeyOf(db, config, row.providerId);
  if (!signer) return null;
  const unsigned = buildStatusListCredential({
    listUrl: statusListUrl(row.baseUrl, row.id),
    issuer: signer.row.did,
    validFrom: row.createdAt,
    bitstring: new StatusBitstring(new Uint8Array(row.bits)),
  });
  const document = await signDataIntegrity(unsigned, signer.key);
  signedLists.set(listId, { version, document });
  return document;
}
