import { rowsLoader, uuidKeys, type Database, type InternalGraph, type Viewer } from '@tauliah/core';
import type DataLoader from 'dataloader';
import { asc, inArray } from 'drizzle-orm';
import { credential, type tables } from '../../db/schema.ts';
import { consentLoader } from './access.ts';

/** Per-request loaders of pathway progress: every holder's credentials in one statement, consent in one graph call. */
export function createProgressLoaders(db: Database<typeof tables>, _viewer: Viewer) {
  let consent: DataLoader<string, string[]> | undefined;
  return {
    /** Only the columns progress reads, for any number of holders at once. */
    heldCredentials: rowsLoader(
      (holderIds: readonly string[]) =>
        db
          .select({
            id: credential.id,
            holderId: credential.holderId,
            courseId: credential.courseId,
            credits: credential.credits,
            status: credential.status,
            expiresAt: credential.expiresAt,
            renewalOf: credential.renewalOf,
          })
          .from(credential)
          .where(inArray(credential.holderId, uuidKeys(holderIds)))
          .orderBy(asc(credential.holderId), asc(credential.issuedAt)),
      (row) => row.holderId,
    ),
    /** The request's consent loader; created on first use because it needs the request's graph client. */
    consent(graph: InternalGraph): DataLoader<string, string[]> {
      consent ??= consentLoader(graph);
      return consent;
    },
  };
}
