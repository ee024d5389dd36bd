import { Conflict, isUniqueViolation } from '@tauliah/core';
import { and, eq, gte, sql } from 'drizzle-orm';
import type { Context } from '../context.ts';
import { application, budgetEntry, levyAccount, levyEntry, scheme, type ApplicationRow } from '../db/schema.ts';
import { announceApplicationDecided } from '../review/announce.ts';
import type { DecisionRequest } from '../review/queue.ts';

/**
 * Approves a pending application in one transaction: the application leaves
 * PENDING, the scheme's committed total grows by the amount only if it stays
 * within the budget (a conditional UPDATE: concurrent approvals queue on the
 * scheme row and each re-checks the condition; the CHECK constraint backs
 * it), the commitment is written to the ledger, an HRD Corp claim draws
 * on the employer's levy account the same way, and the decision is announced
 * (application.decided or claim.decided). Any refusal rolls it all back, the
 * event with it. Returns null, announcing nothing, when the application was no
 * longer pending.
 */
export async function approveApplication(db: Context['db'], { id, decidedBy, reason, funderId }: DecisionRequest): Promise<ApplicationRow | null> {
  return db.transaction(commit).catch((error: unknown) => {
    // The unique index that funds a learner once per course, hit by a second scheme's approval.
    if (isUniqueViolation(error, 'application_funded_once_key')) {
      throw new Conflict('The learner has already been funded for this course.', { reason: 'ALREADY_FUNDED_FOR_COURSE' });
    }
    throw error;
  });

  async function commit(tx: Parameters<Parameters<Context['db']['transaction']>[0]>[0]): Promise<ApplicationRow | null> {
    const [approved] = await tx
      .update(application)
      .set({ status: 'APPROVED', decidedBy, decidedAt: sql`now()`, reason })
      .where(and(eq(application.id, id), eq(application.status, 'PENDING')))
      .returning();
    if (!approved) return null;
    const [committed] = await tx
      .update(scheme)
      .set({ committedSen: sql`${scheme.committedSen} + ${approved.amountSen}` })
      .where(and(eq(scheme.id, approved.schemeId), sql`${scheme.committedSen} + ${approved.amountSen} <= ${scheme.budgetSen}`))
      .returning({ committedSen: scheme.committedSen });
    if (!committed) throw new Conflict("The scheme's remaining budget cannot cover this application.", { reason: 'BUDGET_EXHAUSTED' });
    await tx.insert(budgetEntry).values({ schemeId: approved.schemeId, applicationId: approved.id, kind: 'COMMITMENT', amountSen: approved.amountSen, recordedBy: decidedBy });
    if (approved.employerId) {
      const [drawn] = await tx
        .update(levyAccount)
        .set({ balanceSen: sql`${levyAccount.balanceSen} - ${approved.amountSen}`, updatedAt: sql`now()` })
        .where(and(eq(levyAccount.employerId, approved.employerId), gte(levyAccount.balanceSen, approved.amountSen)))
        .returning();
      if (!drawn) throw new Conflict("The employer's levy balance cannot cover this claim.", { reason: 'LEVY_EXHAUSTED' });
      await tx.insert(levyEntry).values({ employerId: approved.employerId, applicationId: approved.id, kind: 'GRANT_DRAWN', amountSen: approved.amountSen });
    }
    await announceApplicationDecided(tx, approved, funderId);
    return approved;
  }
}

/**
 * Records a payment against an approved application; the application row is
 * locked so concurrent disbursements cannot together exceed what was committed.
 */
export async function disburse(db: Context['db'], applicationId: string, amountSen: number, recordedBy: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(application).where(eq(application.id, applicationId)).for('update');
    if (!row || row.status !== 'APPROVED') throw new Conflict('Only an approved application is paid.');
    const [paid] = await tx
      .select({ sen: sql<number>`coalesce(sum(${budgetEntry.amountSen}), 0)::int` })
      .from(budgetEntry)
      .where(and(eq(budgetEntry.applicationId, applicationId), eq(budgetEntry.kind, 'DISBURSEMENT')));
    if ((paid?.sen ?? 0) + amountSen > row.amountSen) {
      throw new Conflict(`Only ${row.amountSen - (paid?.sen ?? 0)} sen of this application remain to be paid.`);
    }
    await tx.insert(budgetEntry).values({ schemeId: row.schemeId, applicationId, kind: 'DISBURSEMENT', amountSen, recordedBy });
  });
}
