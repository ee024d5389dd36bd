import { BadInput, Conflict, idempotentWrite, NotFound, requirePrincipal } from '@tauliah/core';
import { and, eq, sql } from 'drizzle-orm';
import { apelMApplication, apelMApplicationEvent, type ApelMApplicationRow } from '../db/schema.ts';
import { assertInGoodStanding } from '../policy.ts';
import { decidesApelMApplication } from './access.ts';
import type { ApelMContext } from './context.ts';

type Reader = Pick<ApelMContext['db'], 'select'>;

/** A decision as validated at the edge: ADMIT with the credits transferred (a reason optional), REFUSE with a reason. */
export type ApelMDecisionInput = { decision: 'ADMIT'; creditsTransferred: number; reason: string | null } | { decision: 'REFUSE'; reason: string };

const STATUS = { ADMIT: 'ADMITTED', REFUSE: 'REFUSED' } as const;

/**
 * The pathway's provider decides a pending APEL.M application, once per
 * idempotency key. Admitting credits the learner with between the credits
 * APEL.M needed and the credits their evidence earned (never more than the
 * programme has), and needs the provider in good standing, as anything it
 * newly grants on the strength of its accreditation does; refusing needs a
 * reason, and a suspended provider may still refuse.
 *
 * The decision is final: the same decision again answers the application as
 * decided, a different one is a CONFLICT. It leaves PENDING by a conditional
 * update, so of two racing decisions one wins and the other finds it decided;
 * the change is recorded in its history in the same transaction.
 *
 * An application of another provider is NOT_FOUND, as if it did not exist.
 */
export async function decideApelMApplication(context: ApelMContext, id: string, decision: ApelMDecisionInput, idempotencyKey: string | null): Promise<ApelMApplicationRow> {
  const { db, viewer, loaders } = context;
  const actor = requirePrincipal(viewer);
  const existing = await loaders.apelM.application.load(id);
  if (!existing || !decidesApelMApplication(viewer, existing)) throw new NotFound('ApelMApplication', id);
  if (decision.decision === 'ADMIT') assertCreditsInRange(existing, decision.creditsTransferred);
  const key = idempotencyKey ? { scope: 'providers.decideApelMApplication', owner: existing.providerId, key: idempotencyKey } : null;
  const { result } = await idempotentWrite(db, key, {
    replay: (reader) => (idempotencyKey ? retried(reader, existing, idempotencyKey, decision) : Promise.resolve(undefined)),
    async write(tx) {
      if (existing.status !== 'PENDING') return alreadyDecided(existing, decision);
      if (decision.decision === 'ADMIT') await assertInGoodStanding(tx, existing.providerId, 'admit learners through APEL.M');
      const [decided] = await tx
        .update(apelMApplication)
        .set({
          status: STATUS[decision.decision],
          creditsTransferred: decision.decision === 'ADMIT' ? decision.creditsTransferred : null,
          reason: decision.reason,
          decidedBy: actor.subject,
          decidedAt: sql`now()`,
          decisionIdempotencyKey: idempotencyKey,
        })
        .where(and(eq(apelMApplication.id, existing.id), eq(apelMApplication.status, 'PENDING')))
        .returning();
      if (!decided) return alreadyDecided((await applicationById(tx, existing.id))!, decision);
      await tx.insert(apelMApplicationEvent).values({
        applicationId: decided.id,
        action: decided.status,
        actorSubject: actor.subject,
        actorRole: actor.role,
        at: decided.decidedAt!,
      });
      return decided;
    },
  });
  return result;
}

/**
 * APEL.M admits on the strength of the credits needed, so at least those are
 * transferred; no more than the evidence earned, nor than the programme has.
 */
function assertCreditsInRange(application: ApelMApplicationRow, credits: number): void {
  const most = Math.min(application.creditsEarned, application.programmeCredits);
  if (credits < application.creditsNeeded || credits > most) {
    throw new BadInput(
      `creditsTransferred must be from ${application.creditsNeeded} (the credits APEL.M needed: ${application.thresholdPercent}% of the programme's ${application.programmeCredits}, MQA's minimum being 50%) to ${most} (the credits the learner's evidence earned${most < application.creditsEarned ? ', capped at the programme credits' : ''}); got ${credits}.`,
      { field: 'creditsTransferred' },
    );
  }
}

/** The application decided with this key; the key used for another application or decision is a CONFLICT. */
async function retried(reader: Reader, application: ApelMApplicationRow, idempotencyKey: string, decision: ApelMDecisionInput): Promise<ApelMApplicationRow | undefined> {
  const [previous] = await reader
    .select()
    .from(apelMApplication)
    .where(and(eq(apelMApplication.providerId, application.providerId), eq(apelMApplication.decisionIdempotencyKey, idempotencyKey)));
  if (!previous) return undefined;
  if (previous.id !== application.id) {
    throw new Conflict(`The idempotency key ${idempotencyKey} was already used to decide another APEL.M application: use a new key for each decision.`, { field: 'idempotencyKey' });
  }
  return alreadyDecided(previous, decision);
}

function applicationById(reader: Reader, id: string): Promise<ApelMApplicationRow | undefined> {
  return reader
    .select()
    .from(apelMApplication)
    .where(eq(apelMApplication.id, id))
    .then(([row]) => row);
}

/** A decided application: the same decision (with the same credits) again is answered with it; another is refused. */
function alreadyDecided(row: ApelMApplicationRow, decision: ApelMDecisionInput): ApelMApplicationRow {
  const same = row.status === STATUS[decision.decision] && (decision.decision === 'REFUSE' || row.creditsTransferred === decision.creditsTransferred);
  if (same) return row;
  const was = row.status === 'ADMITTED' ? `ADMITTED with ${row.creditsTransferred} credits transferred` : row.status;
  const next = row.status === 'REFUSED' ? ': the learner may apply again, with a new application' : '';
  throw new Conflict(`This APEL.M application was already ${was}, and decisions are final${next}.`, {
    status: row.status,
  });
}
