import type { CredentialRow } from '../db/schema.ts';

export interface Requirement {
  skillCode: string;
  minimumLevel: number;
}

export interface Proof {
  credential: CredentialRow;
  skills: string[];
}

export interface Gap {
  held: Array<Requirement & { level: number; credential: CredentialRow }>;
  missing: Array<Requirement & { heldLevel: number | null }>;
}

/** Counts for a skills gap: ACTIVE, unexpired, not replaced by a renewal, from an issuer in good standing. */
export const countsNow = (row: CredentialRow, inGoodStanding: boolean, now: Date) =>
  row.status === 'ACTIVE' && row.replacedBy === null && (row.expiresAt === null || row.expiresAt > now) && inGoodStanding;

/**
 * Each requirement is held when some counting credential teaches the skill at
 * the minimum MQF level or above (the best one proves it: highest level, then
 * latest); otherwise it is missing, with the best level below the minimum if any.
 */
export function skillGap(requirements: Requirement[], proofs: Proof[]): Gap {
  const gap: Gap = { held: [], missing: [] };
  for (const requirement of requirements) {
    const teaching = proofs
      .filter((p) => p.skills.includes(requirement.skillCode))
      .map((p) => ({ credential: p.credential, level: p.credential.mqfLevel ?? 0 }))
      .sort((a, b) => b.level - a.level || b.credential.issuedAt.getTime() - a.credential.issuedAt.getTime());
    const best = teaching[0];
    if (best && best.level >= requirement.minimumLevel) gap.held.push({ ...requirement, level: best.level, credential: best.credential });
    else gap.missing.push({ ...requirement, heldLevel: best ? best.level : null });
  }
  return gap;
}
