import { rowLoader, rowsLoader, uuidKeys, type Database, type Viewer } from '@tauliah/core';
import { asc, inArray } from 'drizzle-orm';
import { credential, credentialSkill, type tables } from './db/schema.ts';
import { createProgressLoaders } from './graph/progress/index.ts';

/** Loaders read rows whoever asks: what the viewer may see is decided per row in policy.ts. */
export function createLoaders(db: Database<typeof tables>, viewer: Viewer) {
  return {
    /** Pathway progress (graph/progress). */
    progress: createProgressLoaders(db, viewer),
    credential: rowLoader(
      (ids: readonly string[]) => db.select().from(credential).where(inArray(credential.id, uuidKeys(ids))),
      (row) => row.id,
    ),
    /** Every credential of each holder, in issue order: one statement for any number of learners. */
    credentialsOfHolder: rowsLoader(
      (holderIds: readonly string[]) =>
        db
          .select()
          .from(credential)
          .where(inArray(credential.holderId, uuidKeys(holderIds)))
          .orderBy(asc(credential.holderId), asc(credential.issuedAt), asc(credential.id)),
      (row) => row.holderId,
    ),
    /** The skill codes of each credential: one statement for all the credentials of a response. */
    skillsOfCredential: rowsLoader(
      (credentialIds: readonly string[]) =>
        db
          .select()
          .from(credentialSkill)
          .where(inArray(credentialSkill.credentialId, uuidKeys(credentialIds)))
          .orderBy(asc(credentialSkill.credentialId), asc(credentialSkill.skillCode)),
      (row) => row.credentialId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
