import { buildClrCredential, signDataIntegrityAside, type ClrCredential } from '@tauliah/credentials-vc';
import { randomUUID } from 'node:crypto';
import type { Context } from '../context.ts';
import type { CredentialRow, IssuerRow } from '../db/schema.ts';
import { CredentialStatus, effectiveStatus } from '../graph/credential.ts';
import { signedDocuments, subjectIdOf } from '../signing/documents.ts';
import { platformSigner } from './platform.ts';

/**
 * Whether a credential goes into its holder's learner record: what they hold
 * and anyone may rely on now. A CLR is signed by the platform as the record of
 * what the learner holds, and each credential in it must verify on its own;
 * so: ACTIVE (not suspended, not revoked, not past its expiry), not replaced by
 * a renewal (a renewal replaces, it does not add: the renewal is in instead),
 * from an issuer in good standing or issued before the issuer was suspended
 * (as the verifier's ISSUER_KNOWN check decides). A record from before signing
 * existed has no document to put in, and is left out too.
 */
export function heldInRecord(row: CredentialRow, issuer: IssuerRow | null | undefined, now: Date): boolean {
  if (effectiveStatus(row, now) !== CredentialStatus.ACTIVE || row.replacedBy !== null || !issuer) return false;
  return issuer.inGoodStanding || (issuer.suspendedAt !== null && row.issuedAt < issuer.suspendedAt);
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * A learner's record as one CLR 2.0 ClrCredential signed by the platform:
 * every credential they hold (heldInRecord) as its issuer signed it (Data
 * Integrity), their achievements, and the `isPartOf` associations from
 * micro-credentials to the stacked awards they earned. Null when they hold
 * none (a ClrCredential holds at least one). A new record, with a new id, on
 * every request: nothing is stored. SQL: the holder's credentials, their
 * issuers and their documents, a statement each however many there are (plus,
 * for documents never signed yet, a key lookup per issuer and one write).
 * Signing canonicalises every credential it holds, on a signing thread.
 */
export async function exportLearnerRecord({ db, config, loaders }: Context, learnerId: string, now = new Date()): Promise<ClrCredential | null> {
  const rows = await loaders.credentialsOfHolder.load(learnerId);
  const issuers = await loaders.issuer.loadMany([...new Set(rows.map((row) => row.issuerId))]);
  const issuerById = new Map(issuers.filter((i): i is IssuerRow => i !== null && !(i instanceof Error)).map((i) => [i.providerId, i]));
  const held = rows.filter((row) => heldInRecord(row, issuerById.get(row.issuerId), now));
  if (held.length === 0) return null;
  const documents = await signedDocuments(db, config, held, 'DATA_INTEGRITY');
  const signed = held.flatMap((row, i) => {
    const document = documents[i];
    return document && typeof document === 'object' ? [{ row, document: document as Record<string, unknown> }] : [];
  });
  if (signed.length === 0) return null;
  const credentials = signed.map((s) => s.document);
  const platform = await platformSigner(config);
  const issuerCount = new Set(signed.map((s) => s.row.issuerId)).size;
  const record = buildClrCredential({
    id: `urn:uuid:${randomUUID()}`,
    issuer: platform.profile,
    subjectId: subjectIdOf(learnerId),
    credentials,
    validFrom: now,
    name: 'Learner record',
    description:
      `The ${credentials.length} credential${credentials.length === 1 ? '' : 's'} this learner held on ${day(now)} from ${issuerCount} issuer${issuerCount === 1 ? '' : 's'}, ` +
      `each as its issuer signed it, with how they stack into awards; ${platform.profile.name} signed the whole.`,
  });
  return signDataIntegrityAside(record, platform.key, platform.seed, now);
}
