import type { Database } from '@tauliah/core';
import { eq } from 'drizzle-orm';
import type { CredentialsConfig } from '../config.ts';
import { credential, credentialSkill, issuer, type CredentialRow, type tables } from '../db/schema.ts';
import { effectiveStatus } from '../graph/credential.ts';
import { credentialUrl, signedDocument } from '../signing/documents.ts';
import { publicBaseOf } from '../signing/issuers.ts';
import { verifyDocument } from '../signing/verifier.ts';
import type { BadgeFace } from './badge.ts';
import type { CredentialPageView } from './credential-page.ts';
import { linkedInAddUrl } from './linkedin.ts';
import { qrDataUrl } from './qr.ts';

type Db = Database<typeof tables>;

/** How the viewer reached the page: anonymously (a PUBLIC credential) or through a share link; the name the holder published, if any. */
export interface PageAccess {
  holderName: string | null;
  share: { token: string; expiresAt: Date } | null;
}

interface Achievement {
  name?: unknown;
  description?: unknown;
  humanCode?: unknown;
  criteria?: { narrative?: unknown };
  alignment?: Array<{ targetType?: unknown; targetCode?: unknown; targetName?: unknown }>;
}
interface FrozenDocument {
  issuer?: { name?: unknown; url?: unknown };
  credentialSubject?: { achievement?: Achievement };
}

const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : null);

/** The learning outcomes as the frozen document lists them in its criteria narrative ("- outcome" lines). */
export const outcomesOf = (narrative: unknown): string[] =>
  typeof narrative === 'string'
    ? narrative
        .split('\n')
        .filter((line) => line.startsWith('- '))
        .map((line) => line.slice(2).trim())
        .filter(Boolean)
    : [];

/** This server's links for a credential, carrying the share token when the page was opened through one. */
export function credentialLinks(id: string, token: string | null) {
  const share = token ? `share=${encodeURIComponent(token)}` : '';
  const page = `/credentials/${id}`;
  return {
    self: share ? `${page}?${share}` : page,
    jsonLd: `${page}?format=jsonld${share ? `&${share}` : ''}`,
    jwt: `${page}?format=jwt${share ? `&${share}` : ''}`,
    badge: `${page}/badge.svg${share ? `?${share}` : ''}`,
    qr: `${page}/qr.svg${share ? `?${share}` : ''}`,
  };
}

/** The page's address as the QR code carries it: the credential's id URL (what the signed document names), plus the share token when opened through one. */
export async function pageUrlOf(db: Db, config: CredentialsConfig, row: Pick<CredentialRow, 'id' | 'issuerId'>, token: string | null): Promise<string> {
  const [found] = await db.select({ baseUrl: issuer.baseUrl }).from(issuer).where(eq(issuer.providerId, row.issuerId));
  const url = credentialUrl(found?.baseUrl ?? publicBaseOf(config), row.id);
  return token ? `${url}?share=${encodeURIComponent(token)}` : url;
}

/** The badge's face: the achievement's name, the issuer and the MQF level as frozen at issuance. */
export async function badgeFaceOf(db: Db, row: CredentialRow): Promise<BadgeFace> {
  const [stored] = await db.select({ document: credential.document, issuerName: issuer.name }).from(credential).leftJoin(issuer, eq(issuer.providerId, credential.issuerId)).where(eq(credential.id, row.id));
  const frozen = (stored?.document ?? {}) as FrozenDocument;
  return {
    name: str(frozen.credentialSubject?.achievement?.name) ?? row.title,
    issuer: str(frozen.issuer?.name) ?? stored?.issuerName ?? '',
    mqfLevel: row.mqfLevel,
    code: str(frozen.credentialSubject?.achievement?.humanCode),
  };
}

/**
 * Everything the credential page shows, read from our own tables: the
 * achievement as frozen in the credential's document at issuance, the issuer
 * as recorded here, and a live verification of the signed JSON-LD by the
 * same code as verifyCredential (verifyDocument).
 */
export async function credentialPageView(db: Db, config: CredentialsConfig, row: CredentialRow, access: PageAccess, now = new Date()): Promise<CredentialPageView> {
  const [stored] = await db.select({ document: credential.document }).from(credential).where(eq(credential.id, row.id));
  const [issuerRow] = await db.select().from(issuer).where(eq(issuer.providerId, row.issuerId));
  const frozen = (stored?.document ?? {}) as FrozenDocument;
  const achievement = frozen.credentialSubject?.achievement ?? {};
  const alignedSkills = (achievement.alignment ?? [])
    .filter((a) => a.targetType === 'ceasn:Competency' && typeof a.targetCode === 'string')
    .map((a) => ({ code: a.targetCode as string, name: str(a.targetName) }));
  const skills =
    alignedSkills.length > 0
      ? alignedSkills
      : (await db.select({ code: credentialSkill.skillCode }).from(credentialSkill).where(eq(credentialSkill.credentialId, row.id))).map((s) => ({ code: s.code, name: null }));
  const signed = await signedDocument(db, config, row, 'DATA_INTEGRITY');
  const verification = signed ? await verifyDocument(db, config, signed) : null;
  const token = access.share?.token ?? null;
  const canonical = credentialUrl(issuerRow?.baseUrl ?? publicBaseOf(config), row.id);
  const pageUrl = token ? `${canonical}?share=${encodeURIComponent(token)}` : canonical;
  const issuerName = str(frozen.issuer?.name) ?? issuerRow?.name ?? '';
  return {
    id: row.id,
    pageUrl,
    qrDataUrl: await qrDataUrl(pageUrl),
    links: credentialLinks(row.id, token),
    // The canonical address, never the share token: a link put on a public profile must not carry it.
    linkedInUrl: linkedInAddUrl({ name: row.title, organizationName: issuerName, issuedAt: row.issuedAt, expiresAt: row.expiresAt, certUrl: canonical, certId: row.id }),
    title: str(achievement.name) ?? row.title,
    code: str(achievement.humanCode),
    description: str(achievement.description),
    outcomes: outcomesOf(achievement.criteria?.narrative),
    skills,
    credits: row.credits,
    mqfLevel: row.mqfLevel,
    issuer: {
      name: issuerName,
      website: str(frozen.issuer?.url) ?? issuerRow?.website ?? null,
      did: issuerRow?.did ?? null,
      // As the providers service reported it at the issuer's latest issuance.
      mqaRegistration: issuerRow?.mqaRegistration ?? null,
      inGoodStanding: issuerRow?.inGoodStanding ?? false,
    },
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    status: effectiveStatus(row, now),
    statusReason: row.statusReason,
    replacedBy: row.replacedBy,
    holderName: access.holderName,
    share: access.share ? { expiresAt: access.share.expiresAt } : null,
    verification: verification && { verified: verification.verified, format: verification.format, checks: verification.checks },
    checkedAt: now,
  };
}
