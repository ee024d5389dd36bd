import { builtOnce, type Database } from '@tauliah/core';
import { StatusBitstring } from '@tauliah/credentials-vc';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { CredentialsConfig } from '../config.ts';
import { issuer, issuerKey, statusList, type tables } from '../db/schema.ts';
import { statusListCredential, statusListUrl, suspensionListUrl } from './status-lists.ts';

type Db = Database<typeof tables>;

/**
 * A list as it stands now, in one statement: where it is published, digests
 * of its bits (PostgreSQL's md5 of the stored bytes, so 32 KiB of bits never
 * leave the database to be compared) and its issuer's signing key.
 */
interface ListState {
  baseUrl: string;
  bits: string;
  suspensionBits: string | null;
  signingKeyId: string | null;
}

/**
 * The list documents handed to verifiers, by URL, with the version they carry
 * (digest of their bits, and the key that signed them): reused while the
 * list's bits and its issuer's signing key are unchanged, as
 * statusListCredential itself would reuse what it signed.
 */
const handedOut = new Map<string, { version: string; document: object }>();

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

/** What a signed list carries, read from the document itself: the version it is current for, or null when it cannot be told. */
function versionOf(document: object): string | null {
  const { credentialSubject, proof } = document as { credentialSubject?: { encodedList?: unknown }; proof?: unknown };
  const method = (Array.isArray(proof) ? (proof[0] as { verificationMethod?: unknown } | undefined) : (proof as { verificationMethod?: unknown } | undefined))?.verificationMethod;
  if (typeof credentialSubject?.encodedList !== 'string' || typeof method !== 'string') return null;
  try {
    return `${md5(StatusBitstring.decode(credentialSubject.encodedList, 1).bytes)}|${method}`;
  } catch {
    return null;
  }
}

/**
 * Status lists as one verification reads them: the signed list at
 * /status-lists/<id> (or its /suspension companion), exactly as
 * statusListCredential publishes it, read live on every verification. Each
 * list's state is one statement, asked once per verification (a revoked
 * credential's suspension companion is the same row); the signed document is
 * the one handed out before while the bits and the signing key it was made
 * from are still those stored, and statusListCredential's otherwise.
 */
export function currentStatusLists(db: Db, config: CredentialsConfig) {
  const states = new Map<string, Promise<ListState | null>>();
  const stateOf = (listId: string) => {
    let state = states.get(listId);
    if (!state) states.set(listId, (state = readState(db, listId)));
    return state;
  };
  return async (listId: string, which: 'status' | 'suspension'): Promise<object | null> => {
    const state = await stateOf(listId);
    // No such list, no bits (a message list has no suspension companion), or no key to sign with: statusListCredential says null to each.
    if (!state) return null;
    const bits = which === 'suspension' ? state.suspensionBits : state.bits;
    if (bits === null || state.signingKeyId === null) return null;
    const url = which === 'suspension' ? suspensionListUrl(state.baseUrl, listId) : statusListUrl(state.baseUrl, listId);
    const known = handedOut.get(url);
    if (known && known.version === `${bits}|${state.signingKeyId}`) return known.document;
    const document = await statusListCredential(db, config, listId, which);
    const version = document && versionOf(document);
    if (document && version) handedOut.set(url, { version, document });
    return document;
  };
}

const listState = builtOnce((db: Db) =>
  db
    .select({
      baseUrl: issuer.baseUrl,
      bits: sql<string>`md5(${statusList.bits})`,
      suspensionBits: sql<string | null>`md5(${statusList.suspensionBits})`,
      signingKeyId: issuerKey.id,
    })
    .from(statusList)
    .innerJoin(issuer, eq(issuer.providerId, statusList.providerId))
    // At most one key is active per issuer (issuer_key_one_active_idx): the one statusListCredential signs with.
    .leftJoin(issuerKey, and(eq(issuerKey.providerId, statusList.providerId), isNull(issuerKey.retiredAt)))
    .where(eq(statusList.id, sql.placeholder('listId')))
    .prepare('verify_status_list_state'),
);

async function readState(db: Db, listId: string): Promise<ListState | null> {
  const [row] = await listState(db).execute({ listId });
  return row ?? null;
}
