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

/** An issuer's standing as credentials keeps it (credentials.issuer). */
export interface IssuerStanding {
  inGoodStanding: boolean;
  suspendedAt: Date | null;
}

/** What an issuer issued counts while it is in good standing, and after a suspension what it issued before then. */
export const issuedInGoodStanding = (row: CredentialRow, standing: IssuerStanding) =>
  standing.inGoodStanding || (standing.suspendedAt !== null && row.issuedAt < standing.suspendedAt);

/** Counts for a skills gap: ACTIVE, unexpired, not replaced by a renewal, issued while its issuer was in good standing. */
export const countsNow = (row: CredentialRow, standing: IssuerStanding, now: Date) =>
  row.status === 'ACTIVE' && row.replacedBy === null && (row.expiresAt === null || row.expiresAt > now) && issuedInGoodStanding(row, standing);

/**
 * Each requirement is held when some counting credential teaches the skill at
 * the minimum MQF level or above (the best one proves it: highest level, then
 * latest); otherwise it is missing, with the best level below the minimum if any.
 * `provenBy` names the codes that prove a required skill (talent/successions.ts):
 * the skill in use and those retired for it, so a role listing the successor is
 * met by a credential naming the retired code and a role still listing the
 * retired code by one naming the successor, at that credential's level.
 */
export function skillGap(requirements: Requirement[], proofs: Proof[], provenBy: (skillCode: string) => readonly string[]): Gap {
  const gap: Gap = { held: [], missing: [] };
  for (const requirement of requirements) {
    const codes = provenBy(requirement.skillCode);
    const teaching = proofs
      .filter((p) => p.skills.some((code) => codes.includes(code)))
      .map((p) => ({ credential: p.credential, level: p.credential.mqfLevel ?? 0 }))
      .sort((a, b) => b.level - a.level || b.credential.issuedAt.getTime() - a.credential.issuedAt.getTime());
    const best = teaching[0];
    if (best && best.level >= requirement.minimumLevel) gap.held.push({ ...requirement, level: best.level, credential: best.credential });
    else gap.missing.push({ ...requirement, heldLevel: best ? best.level : null });
  }
  return gap;
}
