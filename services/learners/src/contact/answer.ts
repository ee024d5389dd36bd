import { Conflict, NotFound, type Database } from '@tauliah/core';
import { and, eq, sql } from 'drizzle-orm';
import { recordConsentGrant } from '../consent/grant.ts';
import { contactRequest, type ContactRequestRow, type tables } from '../db/schema.ts';
import { announceContactRequestAnswered } from './announce.ts';

/** The learner's answer: accepting grants the consent asked for, until `consentExpiresAt`. */
export type Answer = { accept: true; consentExpiresAt: Date } | { accept: false };

const PAST: Record<string, string> = { ACCEPTED: 'accepted', DECLINED: 'declined' };

/**
 * Records a learner's answer to a request sent to them, with its event, in
 * one transaction that holds the request's row: of two answers at once, the
 * second sees the first. Accepting grants the employer the scopes it asked
 * for through the same path as grantConsent (consent.granted is recorded
 * beside contact-request.answered). The same answer again is a retry and
 * answers the request as it is; the other answer, or any answer to an expired
 * request, is a CONFLICT. Someone else's request is NOT_FOUND, like one that
 * does not exist.
 */
export async function answerContactRequest(db: Database<typeof tables>, learnerId: string, id: string, answer: Answer): Promise<ContactRequestRow> {
  const wanted = answer.accept ? 'ACCEPTED' : 'DECLINED';
  return db.transaction(async (tx) => {
    const [request] = await tx
      .select()
      .from(contactRequest)
      .where(and(eq(contactRequest.id, id), eq(contactRequest.learnerId, learnerId)))
      .for('update');
    if (!request) throw new NotFound('ContactRequest', id);
    if (request.status === wanted) return request;
    if (request.status === 'ACCEPTED' || request.status === 'DECLINED') {
      const remedy = request.status === 'ACCEPTED' ? ' To withdraw the consent it granted, revoke it (revokeConsent).' : '';
      throw new Conflict(`You ${PAST[request.status]} this request on ${request.answeredAt!.toISOString()}: an answer is final.${remedy}`);
    }
    if (request.status === 'EXPIRED' || request.expiresAt <= new Date()) {
      throw new Conflict(`This request expired on ${request.expiresAt.toISOString()} unanswered: it can no longer be answered. The employer may ask you again.`);
    }
    const consent = answer.accept
      ? await recordConsentGrant(tx, { learnerId, granteeKind: 'EMPLOYER', granteeId: request.employerId, scopes: request.scopes, expiresAt: answer.consentExpiresAt })
      : null;
    const [answered] = await tx
      .update(contactRequest)
      .set({ status: wanted, answeredAt: sql`now()`, consentId: consent?.id ?? null })
      .where(eq(contactRequest.id, request.id))
      .returning();
    await announceContactRequestAnswered(tx, answered!);
    return answered!;
  });
}
