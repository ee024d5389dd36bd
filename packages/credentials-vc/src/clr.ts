import { CLR_V2_CONTEXT, OB_V3_CONTEXT, VC_V2_CONTEXT } from './contexts.ts';
import { isoSeconds, type IssuerProfile } from './open-badge.ts';

/**
 * 1EdTech Comprehensive Learner Record (CLR) 2.0: one `ClrCredential` holding
 * a learner's OB 3.0 credentials (each with its own issuer's proof), their
 * achievements, and how those achievements relate.
 */
export const CLR_CREDENTIAL_TYPE = 'ClrCredential';

/** The most credentials one learner record may hold for our verifier to check them all (each costs a proof check). */
export const MAX_RECORD_CREDENTIALS = 200;

/** A credential as JSON from outside or from our store: nothing in it is trusted until looked at. */
type CredentialJson = Record<string, unknown>;

export interface ClrAssociation {
  type: 'Association';
  associationType: 'isPartOf';
  /** The achievement that is part of the other (a micro-credential's). */
  sourceId: string;
  /** The achievement it is part of (the stacked award's). */
  targetId: string;
}

export interface ClrInput {
  /** A new id per export: a record is a snapshot, not a document kept anywhere. */
  id: string;
  /** Who signs the record: the platform, not any one provider. */
  issuer: IssuerProfile;
  /** The learner, exactly as the credentials it holds name them. */
  subjectId: string;
  /** The OB 3.0 credentials, each secured by its own issuer (Data Integrity), in the order they were earned. */
  credentials: CredentialJson[];
  validFrom: Date;
  name: string;
  description: string;
}

export type ClrCredential = Record<string, unknown> & { id: string; validFrom: string };

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const idOf = (value: unknown): string | undefined => (isObject(value) && typeof value.id === 'string' ? value.id : typeof value === 'string' ? value : undefined);

/** Whether a credential says it is a ClrCredential. */
export function isClrCredential(credential: unknown): boolean {
  return isObject(credential) && asArray(credential.type).includes(CLR_CREDENTIAL_TYPE);
}

/** The credentials a ClrCredential holds (`credentialSubject.verifiableCredential`), as they are written. */
export function recordCredentials(record: CredentialJson): unknown[] {
  const subject = asArray(record.credentialSubject)[0];
  return isObject(subject) ? asArray(subject.verifiableCredential) : [];
}

/** The achievement a credential is about (`credentialSubject.achievement`), or undefined. */
function achievementOf(credential: CredentialJson): Record<string, unknown> | undefined {
  const subject = asArray(credential.credentialSubject)[0];
  const achievement = isObject(subject) ? asArray(subject.achievement)[0] : undefined;
  return isObject(achievement) ? achievement : undefined;
}

/**
 * `isPartOf` associations from micro-credentials to the stacked awards they
 * earned: an award names, in its `evidence`, the document ids of the
 * credentials that earned it. For each award held here whose evidence names
 * another credential held here, the association goes from that credential's
 * achievement to the award's. Evidence naming a credential not held here
 * (revoked, say, so left out of the record) makes no association. Once per
 * pair, in the order of the awards and their evidence.
 */
export function stackingAssociations(credentials: CredentialJson[]): ClrAssociation[] {
  const achievementByDocument = new Map<string, string>();
  for (const credential of credentials) {
    const achievementId = idOf(achievementOf(credential));
    if (typeof credential.id === 'string' && achievementId) achievementByDocument.set(credential.id, achievementId);
  }
  const seen = new Set<string>();
  const associations: ClrAssociation[] = [];
  for (const award of credentials) {
    const targetId = typeof award.id === 'string' ? achievementByDocument.get(award.id) : undefined;
    if (!targetId) continue;
    for (const evidence of asArray(award.evidence)) {
      const evidenceId = idOf(evidence);
      const sourceId = evidenceId === undefined || evidenceId === award.id ? undefined : achievementByDocument.get(evidenceId);
      if (!sourceId || sourceId === targetId || seen.has(`${sourceId} ${targetId}`)) continue;
      seen.add(`${sourceId} ${targetId}`);
      associations.push({ type: 'Association', associationType: 'isPartOf', sourceId, targetId });
    }
  }
  return associations;
}

/**
 * The achievements of the credentials, once each (by id), with the issuer of
 * the credential as their `creator`, so a reader of the record's achievement
 * list sees who awards each without opening the credential.
 */
export function recordAchievements(credentials: CredentialJson[]): Array<Record<string, unknown>> {
  const byId = new Map<string, Record<string, unknown>>();
  for (const credential of credentials) {
    const achievement = achievementOf(credential);
    const id = idOf(achievement);
    if (!achievement || !id || byId.has(id)) continue;
    const issuer = isObject(credential.issuer) ? credential.issuer : undefined;
    const creator = issuer && typeof issuer.id === 'string' ? { id: issuer.id, type: ['Profile'], ...(typeof issuer.name === 'string' ? { name: issuer.name } : {}) } : undefined;
    byId.set(id, { ...achievement, ...(creator && !achievement.creator ? { creator } : {}) });
  }
  return [...byId.values()];
}

/**
 * A CLR 2.0 ClrCredential, unsigned: the credentials as their issuers signed
 * them, their achievements and the `isPartOf` associations between them. Its
 * context is VC 2.0, CLR 2.0 and OB 3.0, in the order 1EdTech's schema wants.
 * It carries no status entry: it is signed on request and never stored, so
 * there is nothing to revoke; each credential it holds keeps its own status.
 */
export function buildClrCredential(input: ClrInput): ClrCredential {
  const associations = stackingAssociations(input.credentials);
  return {
    '@context': [VC_V2_CONTEXT, CLR_V2_CONTEXT, OB_V3_CONTEXT],
    id: input.id,
    type: ['VerifiableCredential', CLR_CREDENTIAL_TYPE],
    name: input.name,
    description: input.description,
    issuer: { id: input.issuer.id, type: ['Profile'], name: input.issuer.name, ...(input.issuer.url ? { url: input.issuer.url } : {}) },
    validFrom: isoSeconds(input.validFrom),
    credentialSubject: {
      id: input.subjectId,
      type: ['ClrSubject'],
      verifiableCredential: input.credentials,
      achievement: recordAchievements(input.credentials),
      ...(associations.length > 0 ? { association: associations } : {}),
    },
  };
}
