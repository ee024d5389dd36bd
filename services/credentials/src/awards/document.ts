import { buildOpenBadgeCredential, type EvidenceItem, type OpenBadgeCredential } from '@tauliah/credentials-vc';
import type { IssuerRow, PathwayCopyDefinition } from '../db/schema.ts';
import { credentialUrl, subjectIdOf } from '../signing/documents.ts';
import { statusListUrl } from '../signing/status-lists.ts';

/** Where a pathway, and one stage's exit award as an achievement, are named under the issuer's base URL. */
export const pathwayUrl = (baseUrl: string, pathwayId: string) => `${baseUrl}/pathways/${pathwayId}`;
export const exitAwardUrl = (baseUrl: string, pathwayId: string, position: number) => `${pathwayUrl(baseUrl, pathwayId)}/stages/${position}`;

/** A micro-credential an award names as evidence, as its own signed document names it. */
export interface Constituent {
  /** Its document's `id`, exactly as signed (another issuer's base URL stays theirs). */
  documentId: string;
  title: string;
}

/**
 * The unsigned OB 3.0 document of a stage's exit award: an OpenBadgeCredential
 * whose achievement is the stage's award (achievementType Certificate or
 * Diploma, the id naming the pathway's stage, aligned to the pathway as
 * ext:Pathway), issued by the pathway's provider, with each micro-credential
 * that earned it as `evidence` (its id the credential's own document id, for
 * CLR `isPartOf` associations to match). No expiry: it holds while its stage
 * stays complete, and is suspended (its status list bit) while it does not.
 */
export function exitAwardDocument(input: {
  id: string;
  issuer: IssuerRow;
  learnerId: string;
  pathway: PathwayCopyDefinition;
  stagePosition: number;
  constituents: Constituent[];
  validFrom: Date;
  status: { listId: string; index: number };
}): OpenBadgeCredential {
  const { baseUrl } = input.issuer;
  const { pathway } = input;
  const stage = pathway.stages.find((s) => s.position === input.stagePosition)!;
  const earlier = input.stagePosition > 1 ? ` and every stage before it` : '';
  const evidence: EvidenceItem[] = input.constituents.map((c) => ({ id: c.documentId, name: c.title, genre: 'Micro-credential' }));
  return buildOpenBadgeCredential({
    id: credentialUrl(baseUrl, input.id),
    issuer: { id: input.issuer.did, name: input.issuer.name, url: input.issuer.website },
    subjectId: subjectIdOf(input.learnerId),
    achievement: {
      id: exitAwardUrl(baseUrl, pathway.pathwayId, stage.position),
      code: `${pathway.code}-${stage.position}`,
      name: stage.exitAward,
      description: `${stage.exitAward}: stage ${stage.position} of the ${pathway.title} pathway (${pathway.code}), towards the ${pathway.targetProgramme}.`,
      learningOutcomes: [],
      skills: [],
      credits: null,
      mqfLevel: null,
      achievementType: stage.awardType,
      criteria: `Completed stage ${stage.position} (${stage.title})${earlier} of the ${pathway.code} pathway, with the micro-credentials named as evidence.`,
      pathway: { code: pathway.code, name: pathway.title, url: pathwayUrl(baseUrl, pathway.pathwayId) },
    },
    validFrom: input.validFrom,
    validUntil: null,
    status: { listUrl: statusListUrl(baseUrl, input.status.listId), index: input.status.index },
    evidence,
  });
}
