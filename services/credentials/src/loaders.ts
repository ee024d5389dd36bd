import DataLoader from 'dataloader';
import { anyUuid, builtOnceByKeys, graphLoader, rowLoader, rowsLoader, type Database, type LoaderContext } from '@tauliah/core';
import { and, asc, count, desc, isNull } from 'drizzle-orm';
import type { CredentialsConfig } from './config.ts';
import { credential, credentialRecord, credentialShareLink, credentialSkill, issuer, type CredentialRow, type tables } from './db/schema.ts';
import { signedDocuments, type DocumentFormat } from './signing/documents.ts';
import { createProgressLoaders } from './graph/progress/index.ts';
import { skillInUseLoader } from './talent/successions.ts';
import { ISSUABLE_COURSES, KNOWN_LEARNERS, LEARNER_NAMES, LEARNERS_BY_STUDENT_NUMBER } from './graph-reads.ts';

type Db = Database<typeof tables>;

/** Credentials by id: the lookup under every credential a response names (public verification's first), built once. */
const credentialsById = builtOnceByKeys(credential.id, 'uuid', (db: Db, byIds, shape) => db.select(credentialRecord).from(credential).where(byIds).prepare(`credentials_by_id_${shape}`));

/** Every credential of each holder, in issue order (`me { credentials }`): built once. */
const credentialsOfHolders = builtOnceByKeys(credential.holderId, 'uuid', (db: Db, byIds, shape) =>
  db
    .select(credentialRecord)
    .from(credential)
    .where(byIds)
    .orderBy(asc(credential.holderId), asc(credential.issuedAt), asc(credential.id))
    .prepare(`credentials_of_holders_${shape}`),
);

/** Loaders read rows whoever asks: what the viewer may see is decided per row in policy.ts. */
export function createLoaders(context: LoaderContext<typeof tables, CredentialsConfig>) {
  const { db, config, graph } = context;
  const loaders = {
    /** Pathway progress (graph/progress). */
    progress: createProgressLoaders(context),
    /** Courses to credential, as the caller may see them in the catalogue (graph read, graph-reads.ts). */
    issuableCourse: graphLoader(graph, ISSUABLE_COURSES),
    /** Learners to credential that the caller may see (graph read). */
    knownLearner: graphLoader(graph, KNOWN_LEARNERS),
    /** Learners to credential by the caller's own student numbers (graph read). */
    learnerByStudentNumber: graphLoader(graph, LEARNERS_BY_STUDENT_NUMBER),
    /** Learners' names as the caller may see them (the holder, their own): for what they publish (graph read). */
    learnerName: graphLoader(graph, LEARNER_NAMES),
    credential: rowLoader((ids: readonly string[]) => credentialsById(db, ids), (row) => row.id),
    /** Every credential of each holder, in issue order: one statement for any number of learners. */
    credentialsOfHolder: rowsLoader((holderIds: readonly string[]) => credentialsOfHolders(db, holderIds), (row) => row.holderId),
    /** The skill codes of each credential: one statement for all the credentials of a response. */
    skillsOfCredential: rowsLoader(
      (credentialIds: readonly string[]) =>
        db
          .select()
          .from(credentialSkill)
          .where(anyUuid(credentialSkill.credentialId, credentialIds))
          .orderBy(asc(credentialSkill.credentialId), asc(credentialSkill.skillCode)),
      (row) => row.credentialId,
    ),
    /** The share links of each credential, newest first: one statement for all the credentials of a response. */
    shareLinksOfCredential: rowsLoader(
      (credentialIds: readonly string[]) =>
        db
          .select()
          .from(credentialShareLink)
          .where(anyUuid(credentialShareLink.credentialId, credentialIds))
          .orderBy(asc(credentialShareLink.credentialId), desc(credentialShareLink.createdAt), asc(credentialShareLink.id)),
      (row) => row.credentialId,
    ),
    /** Each skill code as the skill in use it stands for, and the codes that prove it: one statement for a response. */
    skillInUse: skillInUseLoader(db),
    issuer: rowLoader(
      (providerIds: readonly string[]) => db.select().from(issuer).where(anyUuid(issuer.providerId, providerIds)),
      (row) => row.providerId,
    ),
    /** Credentials issued by each provider that still count (not replaced by a renewal): one statement for all. */
    issuedCount: new DataLoader<string, number>(async (providerIds) => {
      const rows = await db
        .select({ providerId: credential.issuerId, n: count() })
        .from(credential)
        .where(and(anyUuid(credential.issuerId, providerIds), isNull(credential.replacedBy)))
        .groupBy(credential.issuerId);
      const counts = new Map(rows.map((r) => [r.providerId, r.n]));
      return providerIds.map((id) => counts.get(id) ?? 0);
    }),
  };
  /** Signed documents of the credentials of a response, in one format: missing ones signed and stored in one batch. */
  const signedDocumentLoader = (format: DocumentFormat) =>
    new DataLoader<string, object | string | null>(async (ids) => {
      const rows = await loaders.credential.loadMany(ids);
      const found = rows.filter((r): r is NonNullable<typeof r> & CredentialRow => r !== null && !(r instanceof Error));
      const signed = await signedDocuments(db, config, found, format);
      const byId = new Map(found.map((row, i) => [row.id, signed[i] ?? null]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  return {
    ...loaders,
    /** The signed document of each credential, by format (signing keys are unsealed with the config's key-encryption key). */
    signedDocument: { DATA_INTEGRITY: signedDocumentLoader('DATA_INTEGRITY'), VC_JWT: signedDocumentLoader('VC_JWT') } satisfies Record<DocumentFormat, unknown>,
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
