import { builtOnceByKeys, resultRows, type Database } from '@tauliah/core';
import { buildOpenBadgeCredential, signDataIntegrityMany, signJwt, type AchievementSnapshot, type OpenBadgeCredential } from '@tauliah/credentials-vc';
import { sql } from 'drizzle-orm';
import type { CredentialsConfig } from '../config.ts';
import { credential, type CredentialRow, type IssuerRow, type tables } from '../db/schema.ts';
import { seedOf, signingKeyOf } from './issuers.ts';
import { statusListUrl } from './status-lists.ts';

type Db = Database<typeof tables>;

export const credentialUrl = (baseUrl: string, id: string) => `${baseUrl}/credentials/${id}`;
/** The learner as a credential names them: stable, and not their NRIC or anything it could be derived from. */
export const subjectIdOf = (learnerId: string) => `urn:uuid:${learnerId}`;

export interface CourseSnapshot {
  id: string;
  code: string;
  title: string;
  description: string;
  credits: number | null;
  mqfLevel: number | null;
  learningOutcomes: string[];
  skills: Array<{ code: string; name: string }>;
}

/** The unsigned OB 3.0 document of a new credential: everything a verifier needs, frozen at issuance. */
export function openBadgeFor(input: {
  id: string;
  issuer: IssuerRow;
  learnerId: string;
  course: CourseSnapshot;
  validFrom: Date;
  validUntil: Date | null;
  status: { listId: string; index: number };
}): OpenBadgeCredential {
  const { baseUrl } = input.issuer;
  const achievement: AchievementSnapshot = {
    id: `${baseUrl}/courses/${input.course.id}`,
    code: input.course.code,
    name: input.course.title,
    description: input.course.description,
    learningOutcomes: input.course.learningOutcomes,
    skills: input.course.skills.map((s) => ({ ...s, url: `${baseUrl}/skills/${encodeURIComponent(s.code)}` })),
    credits: input.course.credits,
    mqfLevel: input.course.mqfLevel,
  };
  return buildOpenBadgeCredential({
    id: credentialUrl(baseUrl, input.id),
    issuer: { id: input.issuer.did, name: input.issuer.name, url: input.issuer.website },
    subjectId: subjectIdOf(input.learnerId),
    achievement,
    validFrom: input.validFrom,
    validUntil: input.validUntil,
    status: { listUrl: statusListUrl(baseUrl, input.status.listId), index: input.status.index },
  });
}

export type DocumentFormat = 'DATA_INTEGRITY' | 'VC_JWT';
type Signed = object | string;

/** Where each signed form of a credential is stored. */
export const signedColumn = { VC_JWT: credential.documentJwt, DATA_INTEGRITY: credential.documentDataIntegrity } satisfies Record<DocumentFormat, unknown>;

/**
 * Credentials' documents in one signed form, by id, built once (public
 * verification by id reads it every time): the signed document, and the
 * document as issued only where that form is still to be signed, so a
 * verification does not read (and parse) the large documents it does not use.
 */
const documentsAs = (format: DocumentFormat, name: string) =>
  builtOnceByKeys(credential.id, 'uuid', (db: Db, byIds, shape) =>
    db
      .select({
        id: credential.id,
        issuerId: credential.issuerId,
        signed: signedColumn[format],
        document: sql`case when ${signedColumn[format]} is null then ${credential.document} end`.mapWith(credential.document),
      })
      .from(credential)
      .where(byIds)
      .prepare(`${name}_${shape}`),
  );
const documentsById = {
  VC_JWT: documentsAs('VC_JWT', 'credential_documents_jwt'),
  DATA_INTEGRITY: documentsAs('DATA_INTEGRITY', 'credential_documents_data_integrity'),
} satisfies Record<DocumentFormat, unknown>;

/**
 * The signed documents of many credentials in one format. VC-JWT is signed at
 * issuance (~0.3 ms); Data Integrity (~5-9 ms) on first request, then stored,
 * so a cohort of 10,000 is not held up by it. Either way the content is the
 * document frozen at issuance. The missing ones are signed with one key lookup
 * per issuer and stored with one statement, whatever their number.
 */
export async function signedDocuments(db: Db, config: CredentialsConfig, records: CredentialRow[], format: DocumentFormat): Promise<Array<Signed | null>> {
  if (records.length === 0) return [];
  const rows = await documentsById[format](db, records.map((r) => r.id));
  const missing = rows.filter((row) => row.document && !row.signed);
  const fresh = new Map<string, Signed>();
  const signers = new Map<string, Awaited<ReturnType<typeof signingKeyOf>>>();
  for (const issuerId of new Set(missing.map((r) => r.issuerId))) signers.set(issuerId, await signingKeyOf(db, config, issuerId));
  for (const [issuerId, signer] of signers) {
    if (!signer) continue;
    const own = missing.filter((row) => row.issuerId === issuerId);
    const unsigned = own.map((row) => row.document as OpenBadgeCredential);
    // Data Integrity is CPU-bound: a large batch is spread over the cores.
    const signed = format === 'VC_JWT' ? await Promise.all(unsigned.map((d) => signJwt(d, signer.key))) : await signDataIntegrityMany(unsigned, signer.key, seedOf(signer.key));
    own.forEach((row, i) => fresh.set(row.id, signed[i]!));
  }
  if (fresh.size > 0) {
    const column = sql.identifier(signedColumn[format].name);
    const value = format === 'VC_JWT' ? sql`v.signed` : sql`v.signed::jsonb`;
    const values = sql.join([...fresh].map(([id, signed]) => sql`(${id}::uuid, ${typeof signed === 'string' ? signed : JSON.stringify(signed)})`), sql`, `);
    // Two first requests racing: the first stored wins (only empty columns are filled), and both answer with what is stored.
    const kept = await db.execute<{ id: string; signed: Signed }>(
      sql`update ${credential} set ${column} = ${value} from (values ${values}) as v(id, signed)
          where ${credential.id} = v.id and ${column} is null returning ${credential.id} as id`,
    );
    const written = new Set(resultRows<{ id: string }>(kept).map((r) => r.id));
    const lost = [...fresh.keys()].filter((id) => !written.has(id));
    if (lost.length > 0) {
      const winners = await documentsById[format](db, lost);
      for (const row of winners) fresh.set(row.id, row.signed!);
    }
  }
  const byId = new Map(rows.map((row) => [row.id, row]));
  return records.map((record) => {
    const row = byId.get(record.id);
    return row?.signed ?? fresh.get(record.id) ?? null;
  });
}

export async function signedDocument(db: Db, config: CredentialsConfig, row: CredentialRow, format: DocumentFormat): Promise<Signed | null> {
  return (await signedDocuments(db, config, [row], format))[0] ?? null;
}
