import { Conflict, Forbidden, NotFound, actingProviderId, credentialReinstatedEvent, credentialRevokedEvent, credentialSuspendedEvent } from '@tauliah/core';
import { isoSeconds, revocationStatusEntry, StatusValue, signJwt, type OpenBadgeCredential } from '@tauliah/credentials-vc';
import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Context } from '../context.ts';
import { credential, credentialRecord, credentialSkill, type CredentialRow } from '../db/schema.ts';
import { maySeeCredential } from '../policy.ts';
import { signingKeyOf } from '../signing/issuers.ts';
import { credentialUrl } from '../signing/documents.ts';
import { allocateStatusSlots, statusListUrl, writeStatus } from '../signing/status-lists.ts';
import { refreshTalentProofs } from '../talent/proofs.ts';
import { announceRenewed, announceStatusChange } from './announce.ts';

type Stored = CredentialRow['status'];

/** Each change: the statuses it applies to, the one it leaves, the status list's value for it, and the event partners hear. */
const CHANGES = {
  revoke: { from: ['ACTIVE', 'SUSPENDED'], to: 'REVOKED', value: StatusValue.REVOKED, event: credentialRevokedEvent },
  suspend: { from: ['ACTIVE'], to: 'SUSPENDED', value: StatusValue.SUSPENDED, event: credentialSuspendedEvent },
  reinstate: { from: ['SUSPENDED'], to: 'ACTIVE', value: StatusValue.VALID, event: credentialReinstatedEvent },
} as const satisfies Record<string, { from: Stored[]; to: Stored; value: StatusValue; event: typeof credentialRevokedEvent }>;
export type StatusChange = keyof typeof CHANGES;

/** The row, if it exists and the viewer may see it; NOT_FOUND otherwise; FORBIDDEN unless the viewer acts for its issuer. */
async function issuedByViewer(context: Context, id: string): Promise<CredentialRow> {
  const row = await context.loaders.credential.load(id);
  if (!row || !maySeeCredential(context.viewer, row)) throw new NotFound('Credential', id);
  if (actingProviderId(context.viewer) !== row.issuerId) throw new Forbidden('Only the provider that issued a credential may change it.');
  return row;
}

/**
 * Revokes, suspends or reinstates: the credential row, its status list bits
 * and the change's event change in one transaction, the row through a
 * conditional update so two racing changes cannot both apply (nor both be
 * announced).
 */
export async function changeStatus(context: Context, id: string, change: StatusChange, reason: string | null): Promise<CredentialRow> {
  const row = await issuedByViewer(context, id);
  const rule = CHANGES[change];
  // An exit award suspended because its stage is incomplete comes back with the stage (awards/settle.ts), not by hand.
  if (change === 'reinstate' && row.awardIncompleteSince !== null) {
    throw new Conflict('This exit award is suspended because its stage is no longer complete: it is reinstated automatically once the stage is complete again.', {
      status: row.status,
    });
  }
  const updated = await context.db.transaction(async (tx) => {
    const [changed] = await tx
      .update(credential)
      .set({ status: rule.to, statusReason: reason, updatedAt: sql`now()` })
      .where(and(eq(credential.id, row.id), eq(credential.issuerId, row.issuerId), inArray(credential.status, [...rule.from])))
      .returning(credentialRecord);
    if (!changed) return null;
    if (changed.statusListId !== null && changed.statusIndex !== null) await writeStatus(tx, changed.statusListId, changed.statusIndex, rule.value);
    await refreshTalentProofs(tx, [changed.holderId]);
    await announceStatusChange(tx, rule.event, changed);
    return changed;
  });
  if (!updated) {
    const [current] = await context.db.select({ status: credential.status }).from(credential).where(eq(credential.id, row.id));
    throw new Conflict(`Cannot ${change} a credential that is ${current?.status ?? row.status}.`, { status: current?.status ?? row.status });
  }
  return updated;
}

/**
 * A renewal: a new credential for the same achievement that replaces the old
 * one, which then stops counting; announced as credential.renewed alone (the
 * renewal is not also announced as issued).
 */
export async function renew(context: Context, id: string, validUntil: Date): Promise<CredentialRow> {
  const row = await issuedByViewer(context, id);
  const now = new Date();
  if (row.awardPathwayId !== null) throw new Conflict('An exit award does not expire and is not renewed: it holds while its stage is complete.');
  if (validUntil <= now) throw new Conflict('validUntil must be in the future.');
  const [{ document: previousDocument } = { document: null }] = await context.db.select({ document: credential.document }).from(credential).where(eq(credential.id, row.id));
  if (!previousDocument) throw new Conflict('This credential predates signed documents and cannot be renewed.');
  const signer = await signingKeyOf(context.db, context.config, row.issuerId);
  if (!signer) throw new Conflict('The issuer has no signing key.');
  const newId = randomUUID();
  return context.db.transaction(async (tx) => {
    const [old] = await tx
      .update(credential)
      .set({ replacedBy: newId, updatedAt: sql`now()` })
      .where(and(eq(credential.id, row.id), isNull(credential.replacedBy), ne(credential.status, 'REVOKED')))
      .returning({ id: credential.id });
    if (!old) throw new Conflict('Only a credential that is neither revoked nor already renewed can be renewed.');
    const { listId, indexes } = await allocateStatusSlots(tx, row.issuerId, 1);
    const previous = previousDocument as OpenBadgeCredential;
    // A renewal always goes on a revocation list, whatever entry the credential it replaces carries.
    const { validUntil: _until, credentialStatus: _status, ...rest } = previous;
    const listUrl = statusListUrl(signer.row.baseUrl, listId);
    const document: OpenBadgeCredential = {
      ...rest,
      id: credentialUrl(signer.row.baseUrl, newId),
      validFrom: isoSeconds(now),
      validUntil: isoSeconds(validUntil),
      credentialStatus: revocationStatusEntry({ listUrl, index: indexes[0]! }),
    };
    const [created] = await tx
      .insert(credential)
      .values({
        ...pick(row),
        id: newId,
        issuedAt: now,
        expiresAt: validUntil,
        renewalOf: row.id,
        statusListId: listId,
        statusIndex: indexes[0]!,
        document,
        documentJwt: await signJwt(document, signer.key),
      })
      .returning(credentialRecord);
    const skills = await tx.select().from(credentialSkill).where(eq(credentialSkill.credentialId, row.id));
    if (skills.length > 0) await tx.insert(credentialSkill).values(skills.map((s) => ({ credentialId: newId, skillCode: s.skillCode })));
    await refreshTalentProofs(tx, [row.holderId]);
    await announceRenewed(tx, created!, row.id);
    return created!;
  });
}

const pick = (row: CredentialRow) => ({
  holderId: row.holderId,
  courseId: row.courseId,
  issuerId: row.issuerId,
  title: row.title,
  credits: row.credits,
  mqfLevel: row.mqfLevel,
  visibility: row.visibility,
  subjectId: row.subjectId,
  studentNumber: row.studentNumber,
});

