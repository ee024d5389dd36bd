import { OB_V3_CONTEXT, VC_V2_CONTEXT } from './contexts.ts';

export interface IssuerProfile {
  /** The issuer's DID. */
  id: string;
  name: string;
  url?: string | null;
}

export interface AchievementSnapshot {
  /** A URL naming the achievement (the course). */
  id: string;
  code: string;
  name: string;
  description: string;
  learningOutcomes: string[];
  skills: Array<{ code: string; name: string; url: string }>;
  credits: number | null;
  mqfLevel: number | null;
  /** The OB 3.0 achievementType: a course's MicroCredential (the default), or a pathway stage's exit award. */
  achievementType?: AchievementType;
  /** What was required to earn it, when not the learning outcomes (an exit award: the stage completed). */
  criteria?: string;
  /** The pathway an exit award belongs to, as an alignment to it (targetType ext:Pathway). */
  pathway?: { code: string; name: string; url: string };
}

/** The achievement types we issue, from OB 3.0's vocabulary. */
export type AchievementType = 'MicroCredential' | 'Certificate' | 'Diploma';

/**
 * One piece of evidence an achievement was earned by (OB 3.0 Evidence): for an
 * exit award, each micro-credential that earned it, its `id` being that
 * credential's own document id, exactly as in its signed document.
 */
export interface EvidenceItem {
  id: string;
  name: string;
  description?: string;
  /** e.g. "Micro-credential". */
  genre?: string;
}

export interface StatusEntry {
  /** The status list credential's URL. */
  listUrl: string;
  index: number;
}

export interface OpenBadgeInput {
  id: string;
  issuer: IssuerProfile;
  /** Stable, non-reversible: never the NRIC. */
  subjectId: string;
  achievement: AchievementSnapshot;
  validFrom: Date;
  validUntil: Date | null;
  status: StatusEntry;
  /** What the achievement was earned by (an exit award's micro-credentials); none for a course's credential. */
  evidence?: EvidenceItem[];
}

export type OpenBadgeCredential = Record<string, unknown> & { id: string; validFrom: string; validUntil?: string };

const MQF_URL = 'https://www.mqa.gov.my/new/mqf.cfm';

/**
 * The three states the status entry of a credential issued before revocation
 * lists could say (Bitstring Status List, purpose "message", 2 bits each):
 * still read by our verifier for those credentials, never written on new ones.
 */
export const STATUS_MESSAGES = [
  { status: '0x0', message: 'valid' },
  { status: '0x1', message: 'suspended' },
  { status: '0x2', message: 'revoked' },
] as const;
export const STATUS_SIZE = 2;

/** A VC date-time to the second, as verifiers expect it (no milliseconds). */
export const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * An OB 3.0 OpenBadgeCredential: a course's micro-credential, or a pathway
 * stage's exit award (a Certificate or Diploma naming its micro-credentials
 * as `evidence` and aligned to its pathway). Only terms the VC 2.0 and OB 3.0 contexts
 * define (the final VC 2.0 context has no catch-all vocabulary, so an undefined
 * term breaks eddsa-rdfc-2022): credits in `creditsAvailable`; skills and the
 * MQF level as alignments; learning outcomes in the criteria narrative. One
 * status entry (the OB schema allows one): see revocationStatusEntry.
 */
export function buildOpenBadgeCredential(input: OpenBadgeInput): OpenBadgeCredential {
  const { achievement } = input;
  const alignment: Array<Record<string, unknown>> = achievement.skills.map((skill) => ({
    type: ['Alignment'],
    targetType: 'ceasn:Competency',
    targetCode: skill.code,
    targetName: skill.name,
    targetFramework: 'Tauliah skills taxonomy',
    targetUrl: skill.url,
  }));
  if (achievement.mqfLevel !== null) {
    alignment.push({
      type: ['Alignment'],
      targetType: 'ext:MQFLevel',
      targetCode: String(achievement.mqfLevel),
      targetName: `MQF level ${achievement.mqfLevel}`,
      targetFramework: 'Malaysian Qualifications Framework',
      targetUrl: MQF_URL,
    });
  }
  if (achievement.pathway) {
    alignment.push({
      type: ['Alignment'],
      targetType: 'ext:Pathway',
      targetCode: achievement.pathway.code,
      targetName: achievement.pathway.name,
      targetFramework: 'Tauliah pathways',
      targetUrl: achievement.pathway.url,
    });
  }
  const outcomes = achievement.learningOutcomes.map((outcome) => `- ${outcome}`).join('\n');
  const evidence = (input.evidence ?? []).map((e) => ({
    id: e.id,
    type: ['Evidence'],
    name: e.name,
    ...(e.description ? { description: e.description } : {}),
    ...(e.genre ? { genre: e.genre } : {}),
  }));
  return {
    '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
    id: input.id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: achievement.name,
    issuer: { id: input.issuer.id, type: ['Profile'], name: input.issuer.name, ...(input.issuer.url ? { url: input.issuer.url } : {}) },
    validFrom: isoSeconds(input.validFrom),
    ...(input.validUntil ? { validUntil: isoSeconds(input.validUntil) } : {}),
    credentialSubject: {
      id: input.subjectId,
      type: ['AchievementSubject'],
      achievement: {
        id: achievement.id,
        type: ['Achievement'],
        achievementType: achievement.achievementType ?? 'MicroCredential',
        humanCode: achievement.code,
        name: achievement.name,
        description: achievement.description,
        criteria: {
          narrative:
            achievement.criteria ?? (outcomes ? `Assessed against the learning outcomes:\n${outcomes}` : `Completed and passed the assessment of ${achievement.name}.`),
        },
        ...(achievement.credits !== null ? { creditsAvailable: achievement.credits } : {}),
        ...(alignment.length ? { alignment } : {}),
      },
    },
    ...(evidence.length ? { evidence } : {}),
    credentialStatus: revocationStatusEntry(input.status),
  };
}

/**
 * The one status entry (the OB 3.0 schema allows one): a 1-bit `revocation`
 * entry, which every Bitstring Status List verifier reads. Set while the
 * credential is revoked or suspended; our verifier tells the two apart with
 * the list's companion `suspension` list.
 */
export function revocationStatusEntry(status: StatusEntry) {
  return {
    id: `${status.listUrl}#${status.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: String(status.index),
    statusListCredential: status.listUrl,
  };
}

/**
 * The entry credentials issued before revocation lists carry: a 2-bit
 * `message` entry (0 valid, 1 suspended, 2 revoked) that our verifier still
 * reads; nothing is issued with it any more.
 */
export function messageStatusEntry(status: StatusEntry) {
  return {
    id: `${status.listUrl}#${status.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'message',
    statusListIndex: String(status.index),
    statusListCredential: status.listUrl,
    statusSize: STATUS_SIZE,
    statusMessage: [
      { status: '0x0', message: 'valid' },
      { status: '0x1', message: 'suspended' },
      { status: '0x2', message: 'revoked' },
    ],
  };
}
